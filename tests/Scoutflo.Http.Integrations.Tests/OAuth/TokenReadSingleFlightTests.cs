using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Scoutflo.Http.Integrations.Storage.InMemory;
using Scoutflo.Http.Integrations.TestSupport;
using Scoutflo.Http.Integrations.Tests.TestSupport;

namespace Scoutflo.Http.Integrations.Tests.OAuth;

/// <summary>
/// Concurrent first requests on one OAuth connection, with nothing in the shared cache, share one
/// pass through the store: a burst of callers on a replica must not become a burst of record
/// reads (a thousand of them across four replicas overflowed MongoDB's connection wait queue).
/// </summary>
public sealed class TokenReadSingleFlightTests : IAsyncDisposable
{
    private const string CloudId = "7a1c3a5e-0000-4000-8000-000000000002";

    private readonly TestHost _host;
    private readonly CountingIntegrationStore _store;
    private readonly HeldWritesTokenCache _cache;

    public TokenReadSingleFlightTests()
    {
        _host = TestHost.Create(services =>
        {
            services.AddSingleton(sp => new CountingIntegrationStore(new InMemoryIntegrationStore(sp.GetRequiredService<TimeProvider>())));
            services.AddSingleton<IIntegrationStore>(sp => sp.GetRequiredService<CountingIntegrationStore>());

            // A shared cache whose writes take a while (Redis: a round trip): the window in which
            // every concurrent caller misses it and reads the store.
            services.AddSingleton(sp => new HeldWritesTokenCache(new InMemoryTokenCache(
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<ScoutfloIntegrationsOptions>>())));
            services.AddSingleton<ITokenCache>(sp => sp.GetRequiredService<HeldWritesTokenCache>());
        });
        _store = _host.Services.GetRequiredService<CountingIntegrationStore>();
        _cache = _host.Services.GetRequiredService<HeldWritesTokenCache>();
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task SendAsync_ConcurrentFirstRequests_ReadTheStoredTokenOnce()
    {
        var stored = await AddJiraAsync(TestHost.Start.AddHours(1));
        await _host.Connections.ResolveConnectionAsync(stored.Id);
        using var client = _host.CreateHandlerClient(stored.Id);
        var readsBefore = _store.Gets;

        var calls = Enumerable.Range(0, 50).Select(_ => client.GetAsync("rest/api/3/myself")).ToArray();
        await Signal.WaitAsync(_cache.Writes.Reached, "the first shared-cache write");
        _cache.Writes.Release();
        var responses = await Task.WhenAll(calls);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(50, _host.Network.Sent.Count);
        Assert.All(_host.Network.Sent, r =>
        {
            Assert.Equal($"https://api.atlassian.com/ex/jira/{CloudId}/rest/api/3/myself", r.Uri.AbsoluteUri);
            Assert.Equal(["Bearer at-stored"], r.Header("Authorization"));
        });
        Assert.Equal(readsBefore + 1, _store.Gets);
    }

    [Fact]
    public async Task SendAsync_SharedPassFails_EveryCallerSeesTheFailureAndTheNextRequestTriesAgain()
    {
        // The token expired: the shared pass goes on to a refresh, whose read under the lock
        // fails (the store is down). A request made after that failure was seen must not join
        // the failed pass (or the failed refresh flight): it makes its own attempt.
        var stored = await AddJiraAsync(TestHost.Start.AddMinutes(-1));
        await _host.Connections.ResolveConnectionAsync(stored.Id);
        using var client = _host.CreateHandlerClient(stored.Id);
        _store.FindFailure = new InvalidOperationException("the store is down");
        var read = _store.HoldNextAccountRead();

        var calls = Enumerable.Range(0, 10).Select(_ => client.GetAsync("rest/api/3/myself")).ToArray();
        await Signal.WaitAsync(read.Reached, "the refresh's read of the account under the lock");
        read.Release();
        var failures = new List<Exception>();
        foreach (var call in calls)
        {
            failures.Add(await Assert.ThrowsAnyAsync<Exception>(() => call));
        }

        Assert.Equal(1, _store.Finds);
        Assert.All(failures, f => Assert.Same(failures[0].GetType(), f.GetType()));

        await Assert.ThrowsAnyAsync<Exception>(() => client.GetAsync("rest/api/3/myself"));
        Assert.Equal(2, _store.Finds);
        Assert.Empty(_host.Network.Sent);
    }

    private Task<Integration> AddJiraAsync(DateTimeOffset expiresAt) =>
        _host.Connections.CreateConnectionAsync(new Integration
        {
            Provider = IntegrationProviders.Jira,
            AccountId = Records.AccountId,
            AuthType = IntegrationAuthTypes.OAuth2,
            Credentials = new Dictionary<string, string>
            {
                [IntegrationCredentialKeys.AccessToken] = "at-stored",
                [IntegrationCredentialKeys.RefreshToken] = "rt-stored",
                [IntegrationCredentialKeys.ExpiresAt] = expiresAt.ToString("O"),
            },
            Metadata = new Dictionary<string, string>
            {
                [IntegrationMetadataKeys.CloudId] = CloudId,
                [IntegrationMetadataKeys.SiteUrl] = "https://acme.atlassian.net",
            },
        });

    private sealed class HeldWritesTokenCache(ITokenCache inner) : ITokenCache
    {
        public Hold Writes { get; } = new();

        public ValueTask<CachedToken?> GetAsync(string key, CancellationToken cancellationToken = default) => inner.GetAsync(key, cancellationToken);

        public async ValueTask SetAsync(string key, string token, TimeSpan timeToLive, CancellationToken cancellationToken = default)
        {
            await Writes.WaitAsync(cancellationToken);
            await inner.SetAsync(key, token, timeToLive, cancellationToken);
        }

        public ValueTask<bool> RemoveIfAsync(string key, string token, CancellationToken cancellationToken = default) => inner.RemoveIfAsync(key, token, cancellationToken);
    }
}
