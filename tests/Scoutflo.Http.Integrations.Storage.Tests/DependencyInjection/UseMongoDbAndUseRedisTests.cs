using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MongoDB.Bson;
using MongoDB.Driver;
using Scoutflo.Http.Integrations.MongoDb.Internal;
using Scoutflo.Http.Integrations.Redis.Internal;
using StackExchange.Redis;

namespace Scoutflo.Http.Integrations.Storage.Tests.DependencyInjection;

/// <summary>UseMongoDb and UseRedis together, as a service with several replicas registers them.</summary>
public sealed class UseMongoDbAndUseRedisTests(MongoFixture mongo, OneRedisServer redis)
    : IClassFixture<MongoFixture>, IClassFixture<OneRedisServer>
{
    [Fact]
    public async Task UseMongoDbAndUseRedis_ConnectionStrings_ReplaceTheInMemoryDefaultsAndReachTheServers()
    {
        var services = new ServiceCollection();
        services.AddScoutfloIntegrations()
            .UseMongoDb(TestServers.MongoDb, mongo.DatabaseName)
            .UseRedis(TestServers.Redis);
        await using var provider = services.BuildServiceProvider();

        Assert.Single(services, d => d.ServiceType == typeof(IIntegrationStore));
        Assert.Single(services, d => d.ServiceType == typeof(ITokenCache));
        Assert.Single(services, d => d.ServiceType == typeof(IDistributedLock));
        Assert.Single(services, d => d.ServiceType == typeof(IOneTimeStore));
        Assert.IsType<RedisDistributedLock>(provider.GetRequiredService<IDistributedLock>());
        Assert.IsType<RedisOneTimeStore>(provider.GetRequiredService<IOneTimeStore>());

        var store = Assert.IsType<MongoIntegrationStore>(provider.GetRequiredService<IIntegrationStore>());
        var inserted = await store.InsertAsync(new Integration { Provider = "custom", AccountId = "acct-di", AuthType = "api_key" });
        var document = await mongo.Database.GetCollection<BsonDocument>("integrations")
            .Find(new BsonDocument("_id", ObjectId.Parse(inserted.Id))).SingleOrDefaultAsync();
        Assert.NotNull(document);

        var cache = Assert.IsType<RedisTokenCache>(provider.GetRequiredService<ITokenCache>());
        var key = redis.Key();
        await cache.SetAsync(key, "token-through-di", TimeSpan.FromMinutes(1));
        Assert.Equal("token-through-di", (string?)await redis.Check.StringGetAsync(key));
    }

    [Fact]
    public async Task UseMongoDbAndUseRedis_NoConnectionStrings_UseTheClientsRegisteredInTheContainer()
    {
        await using var multiplexer = await ConnectionMultiplexer.ConnectAsync(TestServers.RedisOptions());
        var services = new ServiceCollection();
        services.AddSingleton(mongo.Database);
        services.AddSingleton<IConnectionMultiplexer>(multiplexer);
        services.AddScoutfloIntegrations()
            .UseMongoDb(o => o.CollectionName = "integrations_from_di")
            .UseRedis();
        await using (var provider = services.BuildServiceProvider())
        {
            var inserted = await provider.GetRequiredService<IIntegrationStore>()
                .InsertAsync(new Integration { Provider = "custom", AccountId = "acct-di", AuthType = "api_key" });
            var count = await mongo.Database.GetCollection<BsonDocument>("integrations_from_di")
                .CountDocumentsAsync(new BsonDocument("_id", ObjectId.Parse(inserted.Id)));
            Assert.Equal(1, count);

            var key = redis.Key("oauth_state");
            Assert.True(await provider.GetRequiredService<IOneTimeStore>().TryAddAsync(key, "v", TimeSpan.FromMinutes(1)));
            Assert.Equal("v", (string?)await redis.Check.StringGetAsync(key));
        }

        // Disposing the container must not close a multiplexer it does not own.
        Assert.True(multiplexer.IsConnected);
    }

    [Fact]
    public void UseMongoDbAndUseRedis_NothingRegisteredAndNoConnectionStrings_FailWithAHint()
    {
        var services = new ServiceCollection();
        services.AddScoutfloIntegrations().UseMongoDb().UseRedis();
        using var provider = services.BuildServiceProvider();

        var mongoError = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IIntegrationStore>());
        var redisError = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<ITokenCache>());

        Assert.Contains("MongoDb:ConnectionString", mongoError.Message, StringComparison.Ordinal);
        Assert.Contains("IMongoDatabase", mongoError.Message, StringComparison.Ordinal);
        Assert.Contains("Redis:Configuration", redisError.Message, StringComparison.Ordinal);
        Assert.Contains("IConnectionMultiplexer", redisError.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UseMongoDbAndUseRedis_Configuration_BindsTheirSections()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["MongoDb:ConnectionString"] = "mongodb://db.internal:27017",
            ["MongoDb:DatabaseName"] = "scoutflo",
            ["MongoDb:CollectionName"] = "connections",
            ["Redis:Configuration"] = "cache.internal:6380,ssl=true",
        }).Build();
        var services = new ServiceCollection();
        services.AddScoutfloIntegrations().UseMongoDb(configuration).UseRedis(configuration);
        using var provider = services.BuildServiceProvider();

        var mongoOptions = provider.GetRequiredService<IOptions<MongoIntegrationStoreOptions>>().Value;
        var redisOptions = provider.GetRequiredService<IOptions<RedisIntegrationsOptions>>().Value;

        Assert.Equal("mongodb://db.internal:27017", mongoOptions.ConnectionString);
        Assert.Equal("scoutflo", mongoOptions.DatabaseName);
        Assert.Equal("connections", mongoOptions.CollectionName);
        Assert.Equal("cache.internal:6380,ssl=true", redisOptions.Configuration);
    }

}
