using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Scoutflo.Http.Integrations.Fakes.Atlassian;
using Scoutflo.Http.Integrations.KeepAlive.Internal;
using Scoutflo.Http.Integrations.Tests.TestSupport;
using Scoutflo.Http.Integrations.TestSupport;

namespace Scoutflo.Http.Integrations.Tests.KeepAlive;

public sealed class IntegrationKeepAliveTests
{
    private static readonly AtlassianFakeUser Bob = new("557058:bob-0002", "Bob Example", "bob@example.com");
    private static readonly AtlassianFakeUser Carol = new("557058:carol-0003", "Carol Example", "carol@example.com");

    [Fact]
    public async Task RunOnce_RefreshesIdleConnectionsOnly_AndSkipsThoseMarkedForReauthorization()
    {
        await using var harness = NewHarness();
        var alice = await InstallAsAsync(harness, harness.Fake.Users[0].AccountId, "acct-1");
        var bob = await InstallAsAsync(harness, Bob.AccountId, "acct-2");
        var carol = await InstallAsAsync(harness, Carol.AccountId, "acct-3");
        var carolRecord = (await harness.Store.GetAsync(carol.Id))!;
        await harness.Store.UpdateAsync(carolRecord with { Status = IntegrationStatus.ReauthorizationRequired }, carolRecord.Version);
        var bobRefreshToken = bob.GetCredential(IntegrationCredentialKeys.RefreshToken);

        harness.Time.Advance(TimeSpan.FromDays(31));
        await harness.Jira(alice.Id).GetMyselfAsync(); // alice is in use: refreshed by her own call
        harness.Fake.ResetCounters();

        var result = await harness.Services.GetRequiredService<IntegrationKeepAlive>().RunOnceAsync(CancellationToken.None);

        Assert.Equal(new KeepAlivePassResult(Found: 1, Refreshed: 1, Skipped: 0, Failed: 0), result);
        Assert.Equal(1, harness.Fake.RefreshCalls);
        var bobNow = (await harness.Store.GetAsync(bob.Id))!;
        Assert.NotEqual(bobRefreshToken, bobNow.GetCredential(IntegrationCredentialKeys.RefreshToken));
        Assert.Equal(harness.Fake.CurrentRefreshToken(Bob.AccountId), bobNow.GetCredential(IntegrationCredentialKeys.RefreshToken));
        Assert.Equal(carolRecord.Credentials, (await harness.Store.GetAsync(carol.Id))!.Credentials);
        Assert.Equal(IntegrationStatus.ReauthorizationRequired, (await harness.Store.GetAsync(carol.Id))!.Status);

        // A second pass right after finds nothing idle.
        var second = await harness.Services.GetRequiredService<IntegrationKeepAlive>().RunOnceAsync(CancellationToken.None);
        Assert.Equal(0, second.Found);
        Assert.Equal(1, harness.Fake.RefreshCalls);
    }

    [Fact]
    public async Task RunOnce_KeepsAnIdleGrantAlivePastTheProvidersInactivityExpiry()
    {
        await using var harness = NewHarness();
        var kept = await InstallAsAsync(harness, Bob.AccountId, "acct-2");
        var neglected = await InstallAsAsync(harness, Carol.AccountId, "acct-3");
        var keepAlive = harness.Services.GetRequiredService<IntegrationKeepAlive>();

        // Carol's connection is hidden from the keep-alive by disabling it; Bob's is kept alive.
        var record = (await harness.Store.GetAsync(neglected.Id))!;
        await harness.Store.UpdateAsync(record with { Status = IntegrationStatus.Disabled }, record.Version);
        for (var day = 0; day < 120; day += 40)
        {
            harness.Time.Advance(TimeSpan.FromDays(40));
            await keepAlive.RunOnceAsync(CancellationToken.None);
        }

        // 120 idle days: past the fake's (and Atlassian's) 90-day inactivity expiry.
        var me = await harness.Jira(kept.Id).GetMyselfAsync();
        Assert.Equal(Bob.AccountId, me.AccountId);
        Assert.False(harness.Fake.IsGrantRevoked(Bob.AccountId));
        await harness.Store.UpdateAsync((await harness.Store.GetAsync(neglected.Id))! with { Status = IntegrationStatus.Active }, record.Version + 1);
        await Assert.ThrowsAsync<ReauthorizationRequiredException>(() => harness.Jira(neglected.Id).GetMyselfAsync());
    }

    [Fact]
    public async Task RunOnce_SiblingsSharingAGrant_AreRefreshedOnce()
    {
        await using var harness = NewHarness();
        var jira = await harness.InstallAsync(IntegrationProviders.Jira);
        var confluence = await harness.InstallAsync(IntegrationProviders.Confluence);
        harness.Time.Advance(TimeSpan.FromDays(31));
        harness.Fake.ResetCounters();

        var result = await harness.Services.GetRequiredService<IntegrationKeepAlive>().RunOnceAsync(CancellationToken.None);

        Assert.Equal(new KeepAlivePassResult(Found: 2, Refreshed: 1, Skipped: 1, Failed: 0), result);
        Assert.Equal(1, harness.Fake.RefreshCalls);
        var current = harness.Fake.CurrentRefreshToken(harness.Fake.ConsentingAccountId);
        Assert.Equal(current, (await harness.Store.GetAsync(jira.Id))!.GetCredential(IntegrationCredentialKeys.RefreshToken));
        Assert.Equal(current, (await harness.Store.GetAsync(confluence.Id))!.GetCredential(IntegrationCredentialKeys.RefreshToken));
    }

    [Fact]
    public async Task RunOnce_MoreIdleConnectionsThanABatch_PagesThroughAll()
    {
        var users = Enumerable.Range(0, 5).Select(i => new AtlassianFakeUser($"557058:user-{i:0000}", $"User {i}", $"user{i}@example.com")).ToList();
        await using var harness = new AtlassianHarness(
            fake: o => users.ForEach(o.Users.Add),
            services: s => s.AddScoutfloIntegrations().AddKeepAlive(o => o.BatchSize = 2));
        for (var i = 0; i < users.Count; i++)
        {
            await InstallAsAsync(harness, users[i].AccountId, $"acct-{i}");
        }

        harness.Time.Advance(TimeSpan.FromDays(31));
        harness.Fake.ResetCounters();

        var result = await harness.Services.GetRequiredService<IntegrationKeepAlive>().RunOnceAsync(CancellationToken.None);

        Assert.Equal(new KeepAlivePassResult(Found: 5, Refreshed: 5, Skipped: 0, Failed: 0), result);
        Assert.Equal(5, harness.Fake.RefreshCalls);
    }

    [Fact]
    public async Task RunOnce_RevokedGrant_CountsAFailureAndMarksTheConnection()
    {
        await using var harness = NewHarness();
        var bob = await InstallAsAsync(harness, Bob.AccountId, "acct-2");
        harness.Fake.RevokeGrant(Bob.AccountId);
        harness.Time.Advance(TimeSpan.FromDays(31));

        var result = await harness.Services.GetRequiredService<IntegrationKeepAlive>().RunOnceAsync(CancellationToken.None);

        Assert.Equal(1, result.Failed);
        Assert.Equal(IntegrationStatus.ReauthorizationRequired, (await harness.Store.GetAsync(bob.Id))!.Status);
    }

    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task HostedService_RunsAPassEachInterval()
    {
        await using var harness = new AtlassianHarness(
            fake: o => o.Users.Add(Bob),
            services: s => s.AddScoutfloIntegrations().AddKeepAlive(o => o.Interval = Interval));
        await InstallAsAsync(harness, Bob.AccountId, "acct-2");
        harness.Time.Advance(TimeSpan.FromDays(31));
        harness.Fake.ResetCounters();
        var service = Assert.Single(harness.Services.GetServices<IHostedService>().OfType<IntegrationKeepAliveService>());

        await service.StartAsync(CancellationToken.None);

        // ExecuteAsync runs on its own task: each step waits until the service sleeps on its
        // interval (a timer on the test clock) before the clock moves, and moves it only then,
        // so no token-request timeout can fire while the pass's HTTP call is in flight.
        await Signal.WaitAsync(harness.Time.TimersCreated(1, Interval), "the first interval's delay");
        Assert.Equal(0, harness.Fake.RefreshCalls); // the first pass waits one interval

        harness.Time.Advance(Interval);
        await Signal.WaitAsync(harness.Time.TimersCreated(2, Interval), "the delay after the first pass");
        Assert.Equal(1, harness.Fake.RefreshCalls);

        harness.Time.Advance(Interval);
        await Signal.WaitAsync(harness.Time.TimersCreated(3, Interval), "the delay after the second pass");
        await service.StopAsync(CancellationToken.None);

        // The second pass (the clock moved on) found the connection no longer idle.
        Assert.Equal(1, harness.Fake.RefreshCalls);
    }

    [Fact]
    public void AddKeepAlive_InvalidBatchSize_FailsValidation()
    {
        var services = new ServiceCollection();
        services.AddScoutfloIntegrations().AddKeepAlive(o => o.BatchSize = 0);
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<IntegrationKeepAliveOptions>>().Value);

        Assert.Contains(nameof(IntegrationKeepAliveOptions.BatchSize), error.Message, StringComparison.Ordinal);
    }

    private static AtlassianHarness NewHarness() => new(
        fake: o =>
        {
            o.Users.Add(Bob);
            o.Users.Add(Carol);
        },
        services: s => s.AddScoutfloIntegrations().AddKeepAlive());

    private static async Task<Integration> InstallAsAsync(AtlassianHarness harness, string atlassianAccountId, string accountId)
    {
        harness.Fake.ConsentingAccountId = atlassianAccountId;
        return await harness.InstallAsync(IntegrationProviders.Jira, accountId);
    }
}
