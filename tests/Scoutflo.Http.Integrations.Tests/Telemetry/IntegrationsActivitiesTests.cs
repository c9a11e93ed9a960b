using System.Collections.Concurrent;
using System.Diagnostics;
using Scoutflo.Http.Integrations.Telemetry;
using Scoutflo.Http.Integrations.Tests.TestSupport;

namespace Scoutflo.Http.Integrations.Tests.Telemetry;

public sealed class IntegrationsActivitiesTests
{
    [Fact]
    public async Task InstallAndRefresh_EmitSpansTaggedWithProviderAndIdsAndNoSecret()
    {
        const string account = "acct-traces";
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == IntegrationsActivities.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var harness = new AtlassianHarness();

        var callback = await harness.ConsentAsync(accountId: account);
        var integration = await harness.Install.HandleCallbackAndSaveAsync(IntegrationProviders.Jira, callback);
        var jira = harness.Jira(integration.Id);
        await jira.GetMyselfAsync();
        harness.Fake.ExpireAccessTokens();
        await jira.GetMyselfAsync();

        // Other tests run in parallel: keep this test's spans only.
        var mine = stopped.Where(a =>
            (a.GetTagItem(IntegrationsActivities.IntegrationIdTag) as string) == integration.Id
            || (a.GetTagItem(IntegrationsActivities.AccountIdTag) as string) == account).ToList();
        var install = Assert.Single(mine, a => a.OperationName == IntegrationsActivities.InstallCallback);
        Assert.Equal("jira", install.GetTagItem(IntegrationsActivities.ProviderTag));
        Assert.Equal("success", install.GetTagItem(IntegrationsActivities.OutcomeTag));
        var codeExchange = Assert.Single(mine, a => a.OperationName == IntegrationsActivities.TokenExchange && (string?)a.GetTagItem("scoutflo.integration.grant_type") == "authorization_code");
        Assert.Equal(install.SpanId, codeExchange.ParentSpanId);

        var refresh = Assert.Single(mine, a => a.OperationName == IntegrationsActivities.Refresh);
        Assert.Equal("jira", refresh.GetTagItem(IntegrationsActivities.ProviderTag));
        Assert.Equal("success", refresh.GetTagItem(IntegrationsActivities.OutcomeTag));
        var lockWait = Assert.Single(mine, a => a.OperationName == IntegrationsActivities.LockWait);
        Assert.Equal(refresh.SpanId, lockWait.ParentSpanId);
        var refreshExchange = Assert.Single(mine, a => a.OperationName == IntegrationsActivities.TokenExchange && (string?)a.GetTagItem("scoutflo.integration.grant_type") == "refresh_token");
        Assert.Equal(refresh.SpanId, refreshExchange.ParentSpanId);

        var stored = (await harness.Store.GetAsync(integration.Id))!;
        var secrets = stored.Credentials.Values
            .Append(harness.Fake.ClientSecret)
            .Append(callback.Code!)
            .Append(callback.State!)
            .ToList();
        foreach (var activity in mine)
        {
            foreach (var (key, value) in activity.TagObjects)
            {
                var text = value?.ToString() ?? string.Empty;
                Assert.DoesNotContain(secrets, s => text.Contains(s, StringComparison.Ordinal));
            }
        }
    }

    [Fact]
    public async Task Refresh_InvalidGrant_MarksTheSpanFailedWithTheErrorCode()
    {
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == IntegrationsActivities.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var harness = new AtlassianHarness();
        var (integration, jira) = await harness.InstallAndCallOnceAsync();
        harness.Fake.RevokeGrant(harness.Fake.ConsentingAccountId);

        await Assert.ThrowsAsync<ReauthorizationRequiredException>(() => jira.GetMyselfAsync());

        var refresh = Assert.Single(stopped, a => a.OperationName == IntegrationsActivities.Refresh
            && (string?)a.GetTagItem(IntegrationsActivities.IntegrationIdTag) == integration.Id);
        Assert.Equal(ActivityStatusCode.Error, refresh.Status);
        Assert.Equal("integration_reauthorization_required", refresh.GetTagItem(IntegrationsActivities.ErrorCodeTag));
    }
}
