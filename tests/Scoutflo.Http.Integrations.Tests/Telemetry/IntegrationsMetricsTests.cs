using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Scoutflo.Http.Integrations.OAuth.Internal;
using Scoutflo.Http.Integrations.Telemetry;
using Scoutflo.Http.Integrations.Tests.TestSupport;

namespace Scoutflo.Http.Integrations.Tests.Telemetry;

public sealed class IntegrationsMetricsTests
{
    private const string Meter = IntegrationsMetrics.MeterName;

    [Fact]
    public async Task Lifecycle_CallsRefreshesAndRevocation_AreCountedByLevelProviderAndOutcome()
    {
        await using var harness = new AtlassianHarness();
        var meters = harness.Services.GetRequiredService<IMeterFactory>();
        using var hits = new MetricCollector<long>(meters, Meter, "scoutflo.integrations.token.cache.hits");
        using var misses = new MetricCollector<long>(meters, Meter, "scoutflo.integrations.token.cache.misses");
        using var refreshes = new MetricCollector<long>(meters, Meter, "scoutflo.integrations.token.refreshes");
        using var durations = new MetricCollector<double>(meters, Meter, "scoutflo.integrations.token.refresh.duration");
        using var lockWaits = new MetricCollector<double>(meters, Meter, "scoutflo.integrations.lock.wait.duration");
        using var retries = new MetricCollector<long>(meters, Meter, "scoutflo.integrations.unauthorized.retries");
        using var reauthorizations = new MetricCollector<long>(meters, Meter, "scoutflo.integrations.reauthorization_required");
        var integration = await harness.InstallAsync();
        var jira = harness.Jira(integration.Id);

        await jira.GetMyselfAsync(); // L1 miss, L2 miss, the stored token
        await jira.GetMyselfAsync(); // L1 hit
        await jira.GetMyselfAsync(); // L1 hit

        Assert.Equal(2, Sum(hits, IntegrationsTelemetry.CacheLevelAttribute, "l1"));
        Assert.Equal(1, Sum(misses, IntegrationsTelemetry.CacheLevelAttribute, "l1"));
        Assert.Equal(1, Sum(misses, IntegrationsTelemetry.CacheLevelAttribute, "l2"));
        Assert.Equal(1, Sum(hits, IntegrationsTelemetry.CacheLevelAttribute, "store"));

        harness.Fake.ExpireAccessTokens();
        await jira.GetMyselfAsync(); // 401, refresh, one retry

        Assert.Equal(1, Sum(retries, IntegrationsTelemetry.ProviderAttribute, "jira"));
        Assert.Equal(1, Sum(refreshes, IntegrationsTelemetry.OutcomeAttribute, "success"));
        Assert.All(refreshes.GetMeasurementSnapshot(), m => Assert.Equal("jira", m.Tags[IntegrationsTelemetry.ProviderAttribute]));
        Assert.Single(durations.GetMeasurementSnapshot(), m => (string?)m.Tags[IntegrationsTelemetry.OutcomeAttribute] == "success" && m.Value >= 0);
        Assert.Single(lockWaits.GetMeasurementSnapshot(), m => (bool?)m.Tags[IntegrationsTelemetry.LockAcquiredAttribute] == true);

        harness.Fake.RevokeGrant(harness.Fake.ConsentingAccountId);
        harness.Fake.ExpireAccessTokens();
        await Assert.ThrowsAsync<ReauthorizationRequiredException>(() => jira.GetMyselfAsync());
        await Assert.ThrowsAsync<ReauthorizationRequiredException>(() => jira.GetMyselfAsync());

        Assert.Equal(1, Sum(refreshes, IntegrationsTelemetry.OutcomeAttribute, "reauthorization_required"));
        Assert.Equal(1, Sum(reauthorizations, IntegrationsTelemetry.ProviderAttribute, "jira"));
        Assert.Equal(0, Sum(refreshes, IntegrationsTelemetry.OutcomeAttribute, "failure"));
    }

    [Fact]
    public async Task Refresh_TokenEndpointDown_CountsOneFailure()
    {
        await using var harness = new AtlassianHarness();
        using var refreshes = new MetricCollector<long>(harness.Services.GetRequiredService<IMeterFactory>(), Meter, "scoutflo.integrations.token.refreshes");
        var (_, jira) = await harness.InstallAndCallOnceAsync();
        harness.Fake.FailNextTokenRequests(3, 500);

        await Assert.ThrowsAsync<OAuthTokenRequestException>(() => jira.GetMyselfAsync());

        Assert.Equal(1, Sum(refreshes, IntegrationsTelemetry.OutcomeAttribute, "failure"));
        Assert.Equal(0, Sum(refreshes, IntegrationsTelemetry.OutcomeAttribute, "success"));
    }

    [Fact]
    public async Task Refresh_WaiterFindsATokenRefreshedElsewhere_CountsASkip()
    {
        await using var harness = new AtlassianHarness();
        using var refreshes = new MetricCollector<long>(harness.Services.GetRequiredService<IMeterFactory>(), Meter, "scoutflo.integrations.token.refreshes");
        var integration = await harness.InstallAsync();
        harness.Fake.ExpireAccessTokens();

        await harness.Jira(integration.Id).GetMyselfAsync(); // refreshes once and caches the new token
        var manager = harness.Services.GetRequiredService<OAuthTokenManager>();
        var connection = new OAuthConnection(
            (await harness.Store.GetAsync(integration.Id))!,
            harness.Services.GetServices<IOAuthProvider>().First(p => p.Providers.Contains(IntegrationProviders.Jira)),
            OAuthTokenSlot.Primary);

        // A caller whose refused token is an old one: someone already refreshed, nothing is spent.
        var token = await manager.RefreshAsync(connection, rejectedToken: "an-older-token-than-the-current-one", CancellationToken.None);

        Assert.False(string.IsNullOrEmpty(token.Token));
        Assert.Equal(1, Sum(refreshes, IntegrationsTelemetry.OutcomeAttribute, "skipped_refreshed_elsewhere"));
        Assert.Equal(1, harness.Fake.RefreshCalls);
    }

    [Fact]
    public async Task ApplyCredential_L1HitWithAListener_AllocatesNothing()
    {
        await using var harness = new AtlassianHarness();
        var integration = await harness.InstallAsync();
        await harness.Jira(integration.Id).GetMyselfAsync();
        var credentials = (await harness.Connections.ResolveConnectionAsync(integration.Id)).Credentials;
        long seen = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == Meter && instrument.Name == "scoutflo.integrations.token.cache.hits")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref seen, value));
        listener.Start();
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://api.atlassian.com/ex/jira/x/rest/api/3/myself");
        for (var i = 0; i < 100; i++)
        {
            await credentials.ApplyAsync(request, CancellationToken.None); // warm up
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            var pending = credentials.ApplyAsync(request, CancellationToken.None);
            Assert.True(pending.IsCompletedSuccessfully);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.True(Interlocked.Read(ref seen) >= 1100);
    }

    [Fact]
    public void AttributeNames_AreTheOpenTelemetryConventionOrUnderTheLibrarysPrefix()
    {
        Assert.Equal("scoutflo.integration.provider", IntegrationsTelemetry.ProviderAttribute);
        Assert.Equal("scoutflo.integration.cache.level", IntegrationsTelemetry.CacheLevelAttribute);
        Assert.Equal("error.type", IntegrationsTelemetry.ErrorTypeAttribute);
        Assert.Equal("Scoutflo.Http.Integrations", IntegrationsTelemetry.MeterName);
        Assert.Equal(IntegrationsTelemetry.MeterName, IntegrationsTelemetry.ActivitySourceName);
    }

    [Theory]
    [InlineData("scoutflo.integrations.token.refresh.duration")]
    [InlineData("scoutflo.integrations.lock.wait.duration")]
    public void DurationHistograms_AdviseSubSecondBuckets(string name)
    {
        using var services = new ServiceCollection().AddScoutfloIntegrations().Services.BuildServiceProvider();
        _ = services.GetRequiredService<IntegrationsMetrics>();
        Histogram<double>? found = null;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, _) =>
        {
            if (instrument.Meter.Name == Meter && instrument.Name == name)
            {
                found = (Histogram<double>)instrument;
            }
        };
        listener.Start();

        Assert.NotNull(found);
        Assert.Equal("s", found.Unit);
        var buckets = found.Advice?.HistogramBucketBoundaries;
        Assert.NotNull(buckets);

        // A 100 ms refresh lands in a bucket of its own scale, not in 0-5 s.
        Assert.Contains(0.1, buckets);
        Assert.True(buckets[0] <= 0.01, "the first boundary is at most 10 ms");
    }

    private static long Sum<T>(MetricCollector<T> collector, string tag, object value)
        where T : struct =>
        collector.GetMeasurementSnapshot()
            .Where(m => m.Tags.TryGetValue(tag, out var v) && Equals(v, value))
            .Sum(m => Convert.ToInt64(m.Value, System.Globalization.CultureInfo.InvariantCulture));
}
