using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Scoutflo.Http.Integrations.OAuth.Internal;
using Scoutflo.Http.Integrations.Storage.InMemory;
using Scoutflo.Http.Integrations.Tests.TestSupport;

namespace Scoutflo.Http.Integrations.Tests.OAuth;

/// <summary>
/// The refresh path beside its happy case, with the in-memory defaults: refused tokens, the
/// rotation journal in process, the lease kept alive (and lost), and the options that bound it.
/// </summary>
public class RefreshReliabilityTests
{
    [Fact]
    public async Task Send_TokenRefusedEarlyWhileTheTokenEndpointIsDown_TheRefusedTokenIsNeverSentAgain()
    {
        await using var harness = new AtlassianHarness();
        var jira = await harness.InstallAsync();
        await harness.Jira(jira.Id).GetMyselfAsync();
        harness.Fake.ExpireAccessTokens(); // revoked early: the record still says it is good for an hour
        harness.Fake.FailNextTokenRequests(6); // two refreshes of three attempts each
        harness.Fake.ResetCounters();

        await Assert.ThrowsAnyAsync<Exception>(() => harness.Jira(jira.Id).GetMyselfAsync());
        Assert.Equal(1, harness.Fake.ApiCalls); // the refused request; its refresh failed

        var second = await Assert.ThrowsAsync<OAuthTokenRequestException>(() => harness.Jira(jira.Id).GetMyselfAsync());
        Assert.Equal("oauth_token_endpoint_unavailable", second.ErrorCode);
        Assert.Equal(jira.Id, second.IntegrationId);
        Assert.Equal(IntegrationProviders.Jira, second.Provider);
        Assert.Equal(1, harness.Fake.ApiCalls); // not sent again

        await harness.Jira(jira.Id).GetMyselfAsync(); // the endpoint is back
        Assert.Equal(2, harness.Fake.ApiCalls);
    }

    [Fact]
    public async Task Refresh_SlackStoreWriteFailsAfterRotation_TheNextRefreshAdoptsTheJournalInProcess()
    {
        FailingStore? store = null;
        await using var harness = new SlackHarness(services: s =>
            s.AddSingleton<IIntegrationStore>(sp => store = new FailingStore(new InMemoryIntegrationStore(sp.GetRequiredService<TimeProvider>()))));
        var slack = await harness.InstallAsync();
        await harness.Slack(slack.Id).AuthTestAsync();
        harness.Time.Advance(TimeSpan.FromHours(12));
        harness.Fake.ResetCounters();

        store!.FailUpdates = true;
        var error = await Assert.ThrowsAsync<IntegrationException>(() => harness.Slack(slack.Id).AuthTestAsync());
        Assert.Equal("integration_store_write_failed", error.ErrorCode);
        Assert.Equal(slack.Id, error.IntegrationId);
        Assert.Equal(IntegrationProviders.Slack, error.Provider);
        store.FailUpdates = false;

        var result = await harness.Slack(slack.Id).AuthTestAsync();

        Assert.True(result.GetProperty("ok").GetBoolean());
        Assert.Equal(1, harness.Fake.RefreshCalls); // the journal, not a second spend of the old token
        var stored = (await harness.Store.GetAsync(slack.Id))!;
        Assert.Equal(IntegrationStatus.Active, stored.Status);
        Assert.Equal(harness.Fake.CurrentBotRefreshToken, stored.GetCredential(IntegrationCredentialKeys.RefreshToken));
    }

    [Fact]
    public async Task Refresh_LeaseLostWhileTheTokenCallRuns_StopsTheCallWithLockLost()
    {
        LosingLock? locks = null;
        await using var harness = new AtlassianHarness(services: s =>
        {
            s.Configure<ScoutfloIntegrationsOptions>(o => o.TokenRequestTimeout = TimeSpan.FromSeconds(25));
            s.AddSingleton<IDistributedLock>(locks = new LosingLock(new InMemoryDistributedLock()));
        });
        var jira = await harness.InstallAsync();
        await harness.Jira(jira.Id).GetMyselfAsync();
        var before = (await harness.Store.GetAsync(jira.Id))!;
        harness.Fake.ExpireAccessTokens();
        harness.Fake.ResetCounters();
        var hold = harness.Fake.HoldNextTokenRequest();

        var call = harness.Jira(jira.Id).GetMyselfAsync();
        await hold.Reached; // the token request is in flight, under the lock
        harness.Time.Advance(TimeSpan.FromSeconds(20)); // a third of the 60 s lease: the extend answers "not yours"

        var error = await Assert.ThrowsAsync<IntegrationException>(() => call);
        hold.Release();
        Assert.Equal("integration_refresh_lock_lost", error.ErrorCode);
        Assert.Equal(jira.Id, error.IntegrationId);
        Assert.Equal(IntegrationProviders.Jira, error.Provider);
        Assert.Equal(1, locks!.Extends);
        Assert.Equal(1, harness.Fake.TokenEndpointCalls); // no retry after the lease was lost
        var after = (await harness.Store.GetAsync(jira.Id))!;
        Assert.Equal(before.Version, after.Version);
    }

    [Fact]
    public async Task LeaseKeeper_HolderKeepsTheLock_ExtendsEveryThirdOfTheLeaseAndIsNeverLost()
    {
        var time = new FakeTimeProvider();
        var handle = new ScriptedHandle(_ => ValueTask.FromResult(true));
        await using var keeper = LeaseKeeper.Start(handle, TimeSpan.FromSeconds(60), time, NullLogger.Instance, "id-1");

        time.Advance(TimeSpan.FromSeconds(19));
        Assert.Empty(handle.Leases);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal([TimeSpan.FromSeconds(60)], handle.Leases);
        for (var i = 0; i < 5; i++)
        {
            time.Advance(TimeSpan.FromSeconds(20));
        }

        Assert.Equal(6, handle.Leases.Count); // 120 s of refresh: twice the lease, still held
        Assert.False(keeper.IsLost);
    }

    [Fact]
    public async Task LeaseKeeper_ExtendAnswersNotHeld_IsLostAtOnce()
    {
        var time = new FakeTimeProvider();
        var handle = new ScriptedHandle(_ => ValueTask.FromResult(false));
        await using var keeper = LeaseKeeper.Start(handle, TimeSpan.FromSeconds(60), time, NullLogger.Instance, "id-1");

        time.Advance(TimeSpan.FromSeconds(20));

        Assert.True(keeper.IsLost);
        Assert.True(keeper.Lost.IsCancellationRequested);
    }

    [Fact]
    public async Task LeaseKeeper_LockBackendUnreachable_LostOnlyOnceTheLeaseMayHaveRunOut()
    {
        var time = new FakeTimeProvider();
        var handle = new ScriptedHandle(_ => throw new IntegrationException(IntegrationErrorCodes.LockUnavailable, "down"));
        await using var keeper = LeaseKeeper.Start(handle, TimeSpan.FromSeconds(60), time, NullLogger.Instance, "id-1");

        time.Advance(TimeSpan.FromSeconds(20));
        Assert.False(keeper.IsLost); // 40 s of lease left: the next tick may still reach it
        time.Advance(TimeSpan.FromSeconds(20));
        Assert.True(keeper.IsLost); // 20 s left and no extend confirmed: stop before it can run out
    }

    [Fact]
    public void AddScoutfloIntegrations_LeaseShorterThanTwoTokenAttempts_FailsAtStartNamingBothOptions()
    {
        var services = new ServiceCollection();
        services.AddScoutfloIntegrations(o =>
        {
            o.RefreshLockLease = TimeSpan.FromSeconds(30);
            o.TokenRequestTimeout = TimeSpan.FromSeconds(20);
        });
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ScoutfloIntegrationsOptions>>().Value);

        Assert.Contains("RefreshLockLease", error.Message, StringComparison.Ordinal);
        Assert.Contains("TokenRequestTimeout", error.Message, StringComparison.Ordinal);
    }

    private sealed class ScriptedHandle(Func<TimeSpan, ValueTask<bool>> extend) : IDistributedLockHandle
    {
        public List<TimeSpan> Leases { get; } = [];

        public string Key => "lock";

        public ValueTask<bool> TryExtendAsync(TimeSpan lease, CancellationToken cancellationToken = default)
        {
            Leases.Add(lease);
            return extend(lease);
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    /// <summary>A real in-memory lock whose extends answer "no longer yours", as after a lease ran out.</summary>
    private sealed class LosingLock(IDistributedLock inner) : IDistributedLock
    {
        private int _extends;

        public int Extends => Volatile.Read(ref _extends);

        public async ValueTask<IDistributedLockHandle?> TryAcquireAsync(string key, TimeSpan lease, TimeSpan wait, CancellationToken cancellationToken = default) =>
            await inner.TryAcquireAsync(key, lease, wait, cancellationToken) is { } handle ? new Handle(this, handle) : null;

        private sealed class Handle(LosingLock owner, IDistributedLockHandle inner) : IDistributedLockHandle
        {
            public string Key => inner.Key;

            public ValueTask<bool> TryExtendAsync(TimeSpan lease, CancellationToken cancellationToken = default)
            {
                Interlocked.Increment(ref owner._extends);
                return ValueTask.FromResult(false);
            }

            public ValueTask DisposeAsync() => inner.DisposeAsync();
        }
    }

    private sealed class FailingStore(IIntegrationStore inner) : IIntegrationStore
    {
        public bool FailUpdates { get; set; }

        public Task<Integration?> GetAsync(string integrationId, CancellationToken cancellationToken = default) => inner.GetAsync(integrationId, cancellationToken);

        public Task<IReadOnlyList<Integration>> FindByAccountAsync(string accountId, IReadOnlyCollection<string>? providers = null, CancellationToken cancellationToken = default) =>
            inner.FindByAccountAsync(accountId, providers, cancellationToken);

        public Task<Integration> InsertAsync(Integration integration, CancellationToken cancellationToken = default) => inner.InsertAsync(integration, cancellationToken);

        public Task<Integration> UpdateAsync(Integration integration, int expectedVersion, CancellationToken cancellationToken = default) =>
            FailUpdates ? throw new IOException("the store is down") : inner.UpdateAsync(integration, expectedVersion, cancellationToken);

        public Task<bool> DeleteAsync(string integrationId, CancellationToken cancellationToken = default) => inner.DeleteAsync(integrationId, cancellationToken);
    }
}
