using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Scoutflo.Http.Integrations.TestSupport;

namespace Scoutflo.Http.Integrations.Storage.Tests.Health;

/// <summary>The library's health checks against the real servers, and against ports nobody listens on.</summary>
public sealed class StorageHealthCheckTests
{
    [Fact]
    public async Task RealMongoDbAndRedis_BothChecks_AreHealthy()
    {
        var report = await CheckAsync(b => b
            .UseMongoDb(TestServers.MongoDb, TestServers.UniqueName("health"))
            .UseRedis(TestServers.Redis));

        Assert.Equal(HealthStatus.Healthy, report.Entries[ScoutfloIntegrationsHealthChecksBuilderExtensions.StoreCheckName].Status);
        Assert.Equal(HealthStatus.Healthy, report.Entries[ScoutfloIntegrationsHealthChecksBuilderExtensions.CacheCheckName].Status);
    }

    [Fact]
    public async Task UseMongoDbAndUseRedis_TheirOwnChecks_RunUnderTheLibrarysNames()
    {
        // Each package registers its check itself: the store check names the collection and
        // host it read (never the connection string), the cache check the Redis it pinged.
        var database = TestServers.UniqueName("health");
        var report = await CheckAsync(b => b
            .UseMongoDb(TestServers.MongoDb, database)
            .UseRedis(TestServers.Redis));

        var store = report.Entries[ScoutfloIntegrationsHealthChecksBuilderExtensions.StoreCheckName];
        var cache = report.Entries[ScoutfloIntegrationsHealthChecksBuilderExtensions.CacheCheckName];
        Assert.StartsWith($"The integration store (MongoDB collection '{database}.integrations' at ", store.Description, StringComparison.Ordinal);
        Assert.Equal($"The token cache (Redis at {TestServers.Redis}) answers.", cache.Description);
    }

    [Fact]
    public async Task UnreachableRedis_CacheCheck_IsUnhealthy()
    {
        // The token cache reads an outage as a miss on purpose; the check must not.
        var report = await CheckAsync(b => b
            .UseMongoDb(TestServers.MongoDb, TestServers.UniqueName("health"))
            .UseRedis($"127.0.0.1:{LoopbackPorts.Unused()},connectTimeout=200,asyncTimeout=300,syncTimeout=300,connectRetry=0"));

        var cache = report.Entries[ScoutfloIntegrationsHealthChecksBuilderExtensions.CacheCheckName];
        Assert.Equal(HealthStatus.Unhealthy, cache.Status);
        Assert.NotNull(cache.Exception);
        Assert.Equal(HealthStatus.Healthy, report.Entries[ScoutfloIntegrationsHealthChecksBuilderExtensions.StoreCheckName].Status);
        Assert.Equal(HealthStatus.Unhealthy, report.Status);
    }

    [Fact]
    public async Task UnreachableMongoDb_StoreCheck_IsUnhealthy()
    {
        var report = await CheckAsync(b => b
            .UseMongoDb($"mongodb://127.0.0.1:{LoopbackPorts.Unused()}/?directConnection=true&serverSelectionTimeoutMS=300&connectTimeoutMS=300", "health")
            .UseRedis(TestServers.Redis));

        Assert.Equal(HealthStatus.Unhealthy, report.Entries[ScoutfloIntegrationsHealthChecksBuilderExtensions.StoreCheckName].Status);
        Assert.Equal(HealthStatus.Healthy, report.Entries[ScoutfloIntegrationsHealthChecksBuilderExtensions.CacheCheckName].Status);
    }

    private static async Task<HealthReport> CheckAsync(Action<IIntegrationsBuilder> storage)
    {
        var services = new ServiceCollection();
        var builder = services.AddScoutfloIntegrations();
        storage(builder);
        builder.AddHealthChecks();
        await using var provider = services.BuildServiceProvider();
        return await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();
    }
}
