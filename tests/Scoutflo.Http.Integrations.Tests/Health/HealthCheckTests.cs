using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Scoutflo.Http.Integrations.Tests.TestSupport;

namespace Scoutflo.Http.Integrations.Tests.Health;

public sealed class HealthCheckTests
{
    [Fact]
    public async Task InMemoryStorage_BothChecks_AreHealthy()
    {
        await using var harness = new AtlassianHarness(services: s => s.AddHealthChecks().AddScoutfloIntegrationsChecks(tags: ["ready"]));

        var report = await harness.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.Equal(HealthStatus.Healthy, report.Status);
        Assert.Equal(HealthStatus.Healthy, report.Entries[ScoutfloIntegrationsHealthChecksBuilderExtensions.StoreCheckName].Status);
        Assert.Equal(HealthStatus.Healthy, report.Entries[ScoutfloIntegrationsHealthChecksBuilderExtensions.CacheCheckName].Status);
        Assert.Contains("ready", report.Entries[ScoutfloIntegrationsHealthChecksBuilderExtensions.StoreCheckName].Tags);
    }

    [Fact]
    public async Task FailingStore_StoreCheck_ReportsTheConfiguredFailureStatus()
    {
        await using var harness = new AtlassianHarness(services: s =>
        {
            s.AddSingleton<IIntegrationStore, UnreachableStore>();
            s.AddScoutfloIntegrations().AddHealthChecks();
            s.Configure<HealthCheckServiceOptions>(o =>
            {
                foreach (var registration in o.Registrations)
                {
                    registration.FailureStatus = HealthStatus.Degraded;
                }
            });
        });

        var report = await harness.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        var store = report.Entries[ScoutfloIntegrationsHealthChecksBuilderExtensions.StoreCheckName];
        Assert.Equal(HealthStatus.Degraded, store.Status);
        Assert.IsType<TimeoutException>(store.Exception);
        Assert.Equal(HealthStatus.Healthy, report.Entries[ScoutfloIntegrationsHealthChecksBuilderExtensions.CacheCheckName].Status);
    }

    [Fact]
    public async Task AddedTwice_BothWays_RegistersEachCheckOnce()
    {
        await using var harness = new AtlassianHarness(services: s =>
        {
            s.AddScoutfloIntegrations().AddHealthChecks();
            s.AddHealthChecks().AddScoutfloIntegrationsChecks();
        });

        var report = await harness.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.Equal(2, report.Entries.Count);
        Assert.Equal(HealthStatus.Healthy, report.Status);
    }

    [Fact]
    public async Task KeyedCheckOfAStoragePackage_ReplacesTheDefaultCheckUnderItsName()
    {
        // The extension point UseRedis and UseMongoDb use, open to any storage adapter: the
        // default cache check reads a key, which a cache hiding its outages would pass.
        await using var harness = new AtlassianHarness(services: s =>
        {
            s.AddKeyedSingleton<IHealthCheck>(ScoutfloIntegrationsHealthChecksBuilderExtensions.CacheCheckName, new AdapterCheck());
            s.AddScoutfloIntegrations().AddHealthChecks();
        });

        var report = await harness.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        var cache = report.Entries[ScoutfloIntegrationsHealthChecksBuilderExtensions.CacheCheckName];
        Assert.Equal(HealthStatus.Unhealthy, cache.Status);
        Assert.Equal("the adapter's own probe failed", cache.Description);
        Assert.Equal(HealthStatus.Healthy, report.Entries[ScoutfloIntegrationsHealthChecksBuilderExtensions.StoreCheckName].Status);
    }

    private sealed class AdapterCheck : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(new HealthCheckResult(context.Registration.FailureStatus, "the adapter's own probe failed"));
    }

    private sealed class UnreachableStore : IIntegrationStore
    {
        public Task<Integration?> GetAsync(string integrationId, CancellationToken cancellationToken = default) => throw new TimeoutException("no server");

        public Task<IReadOnlyList<Integration>> FindByAccountAsync(string accountId, IReadOnlyCollection<string>? providers = null, CancellationToken cancellationToken = default) => throw new TimeoutException("no server");

        public Task<Integration> InsertAsync(Integration integration, CancellationToken cancellationToken = default) => throw new TimeoutException("no server");

        public Task<Integration> UpdateAsync(Integration integration, int expectedVersion, CancellationToken cancellationToken = default) => throw new TimeoutException("no server");

        public Task<bool> DeleteAsync(string integrationId, CancellationToken cancellationToken = default) => throw new TimeoutException("no server");
    }
}
