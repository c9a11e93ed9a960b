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

    private sealed class UnreachableStore : IIntegrationStore
    {
        public Task<Integration?> GetAsync(string integrationId, CancellationToken cancellationToken = default) => throw new TimeoutException("no server");

        public Task<IReadOnlyList<Integration>> FindByAccountAsync(string accountId, IReadOnlyCollection<string>? providers = null, CancellationToken cancellationToken = default) => throw new TimeoutException("no server");

        public Task<Integration> InsertAsync(Integration integration, CancellationToken cancellationToken = default) => throw new TimeoutException("no server");

        public Task<Integration> UpdateAsync(Integration integration, int expectedVersion, CancellationToken cancellationToken = default) => throw new TimeoutException("no server");

        public Task<bool> DeleteAsync(string integrationId, CancellationToken cancellationToken = default) => throw new TimeoutException("no server");
    }
}
