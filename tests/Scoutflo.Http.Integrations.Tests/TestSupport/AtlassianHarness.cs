using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Scoutflo.Http.Integrations.Fakes.Atlassian;

namespace Scoutflo.Http.Integrations.Tests.TestSupport;

/// <summary>
/// The library wired to an <see cref="AtlassianFake"/> as a consuming service would wire it,
/// with one fake clock for both, so that expiry is driven by the test.
/// </summary>
internal sealed class AtlassianHarness : IAsyncDisposable
{
    public static readonly Uri CallbackUri = new("https://app.scoutflo.test/integrations/callback");

    private readonly ServiceProvider _services;

    public AtlassianHarness(Action<AtlassianFakeOptions>? fake = null, Action<IServiceCollection>? services = null, AtlassianFake? sharedFake = null)
    {
        Time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 9, 0, 0, TimeSpan.Zero));
        if (sharedFake is null)
        {
            var options = new AtlassianFakeOptions { TimeProvider = Time };
            fake?.Invoke(options);
            Fake = new AtlassianFake(options);
            OwnsFake = true;
        }
        else
        {
            Fake = sharedFake;
        }

        var collection = new ServiceCollection();
        collection.AddSingleton<TimeProvider>(Time);
        collection.AddScoutfloIntegrations(o =>
            {
                o.StateSigningKey = SigningKey;
                o.TokenRequestRetryDelay = TimeSpan.Zero;
            })
            .AddAtlassian(o =>
            {
                o.ClientId = Fake.ClientId;
                o.ClientSecret = Fake.ClientSecret;
                o.RedirectUri = CallbackUri;
                o.AuthorizeEndpoint = Fake.AuthorizeEndpoint;
                o.TokenEndpoint = Fake.TokenEndpoint;
                o.ApiBaseUrl = Fake.ApiBaseUrl;
            });
        services?.Invoke(collection);
        _services = collection.BuildServiceProvider();
    }

    public static string SigningKey { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public FakeTimeProvider Time { get; }

    public AtlassianFake Fake { get; }

    private bool OwnsFake { get; }

    public IServiceProvider Services => _services;

    public IntegrationInstallService Install => _services.GetRequiredService<IntegrationInstallService>();

    public IConnectionManager Connections => _services.GetRequiredService<IConnectionManager>();

    public IIntegrationStore Store => _services.GetRequiredService<IIntegrationStore>();

    public JiraClient Jira(string integrationId) =>
        _services.GetRequiredService<IIntegrationClientFactory>().CreateClient<JiraClient>(integrationId);

    public ConfluenceClient Confluence(string integrationId) =>
        _services.GetRequiredService<IIntegrationClientFactory>().CreateClient<ConfluenceClient>(integrationId);

    /// <summary>The whole browser round trip: install URL, consent at the fake, the callback URL's query.</summary>
    public async Task<OAuthCallback> ConsentAsync(string provider = IntegrationProviders.Jira, string accountId = "acct-1", string? userId = "user-1")
    {
        var url = await Install.BuildInstallUrlAsync(new InstallRequest { Provider = provider, AccountId = accountId, UserId = userId });
        var callback = await Fake.AuthorizeAsync(url);
        return OAuthCallback.FromQueryString(callback.Query);
    }

    /// <summary>Installs and stores an integration through the public flow.</summary>
    public async Task<Integration> InstallAsync(string provider = IntegrationProviders.Jira, string accountId = "acct-1")
    {
        var callback = await ConsentAsync(provider, accountId);
        return await Install.HandleCallbackAndSaveAsync(provider, callback);
    }

    /// <summary>
    /// Installs Jira and calls it once, so that the access token is held in process; then the
    /// fake refuses every current access token (as if it had expired early) and its counters
    /// start from zero. <paramref name="refuseToken"/> false leaves the token valid.
    /// </summary>
    public async Task<(Integration Integration, JiraClient Jira)> InstallAndCallOnceAsync(bool refuseToken = true)
    {
        var integration = await InstallAsync();
        var jira = Jira(integration.Id);
        await jira.GetMyselfAsync();
        if (refuseToken)
        {
            Fake.ExpireAccessTokens();
        }

        Fake.ResetCounters();
        return (integration, jira);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        if (OwnsFake)
        {
            Fake.Dispose();
        }
    }
}
