using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MongoDB.Bson;
using MongoDB.Driver;
using Scoutflo.Http.Integrations.MongoDb.Internal;
using Scoutflo.Http.Integrations.Redis.Internal;
using StackExchange.Redis;

namespace Scoutflo.Http.Integrations.Storage.Tests.DependencyInjection;

public sealed class StorageIntegrationsBuilderExtensionsTests(MongoFixture mongo, OneRedisServer redis)
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
    public async Task UseRedis_OperationTimeout_ReachesTheConnectionAndTheClientTimeouts()
    {
        var services = new ServiceCollection();
        services.AddScoutfloIntegrations().UseRedis(o =>
        {
            o.Configuration = "127.0.0.1:1";
            o.OperationTimeout = TimeSpan.FromMilliseconds(1500);
        });
        await using var provider = services.BuildServiceProvider();

        var connection = provider.GetRequiredService<RedisConnection>();

        Assert.Equal(TimeSpan.FromMilliseconds(1500), connection.OperationTimeout);
        Assert.Equal(1500, connection.Configuration!.ConnectTimeout);
        Assert.Equal(1500, connection.Configuration.AsyncTimeout);
        Assert.Equal(1500, connection.Configuration.SyncTimeout);
    }

    [Fact]
    public async Task UseRedis_TimeoutsInTheConfigurationString_WinAndTheDefaultBoundIsThreeSeconds()
    {
        var services = new ServiceCollection();
        services.AddScoutfloIntegrations().UseRedis("127.0.0.1:1,connectTimeout=200,asyncTimeout=300");
        await using var provider = services.BuildServiceProvider();

        var connection = provider.GetRequiredService<RedisConnection>();

        Assert.Equal(TimeSpan.FromSeconds(3), connection.OperationTimeout);
        Assert.Equal(200, connection.Configuration!.ConnectTimeout);
        Assert.Equal(300, connection.Configuration.AsyncTimeout);
        Assert.Equal(3000, connection.Configuration.SyncTimeout);
    }

    [Fact]
    public async Task UseRedis_MultiplexerOfTheApplication_IsBoundedWithoutChangingIt()
    {
        await using var multiplexer = await ConnectionMultiplexer.ConnectAsync(TestServers.RedisOptions());
        var services = new ServiceCollection();
        services.AddSingleton<IConnectionMultiplexer>(multiplexer);
        services.AddScoutfloIntegrations().UseRedis(o => o.OperationTimeout = TimeSpan.FromSeconds(2));
        await using var provider = services.BuildServiceProvider();

        var connection = provider.GetRequiredService<RedisConnection>();

        Assert.Equal(TimeSpan.FromSeconds(2), connection.OperationTimeout);
        Assert.Null(connection.Configuration);
        Assert.Equal(5000, multiplexer.TimeoutMilliseconds);
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

    [Fact]
    public async Task UseMongoDb_InvalidOptions_FailTheHostStartWithoutEchoingSecrets()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddScoutfloIntegrations().UseMongoDb(o =>
        {
            o.ConnectionString = "notmongo://user:s3cret@host";
            o.CollectionName = string.Empty;
        });
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("ConnectionString", error.Message, StringComparison.Ordinal);
        Assert.Contains("CollectionName", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UseRedis_InvalidConfiguration_FailsTheHostStart()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddScoutfloIntegrations().UseRedis(o => o.Configuration = "password=s3cret");
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Configuration", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UseMongoDb_DatabaseNameWithoutConnectionString_IsRejected()
    {
        var validator = new MongoIntegrationStoreOptionsValidator(new ServiceCollection().BuildServiceProvider().GetRequiredService<IServiceProviderIsService>());

        var result = validator.Validate(null, new MongoIntegrationStoreOptions { DatabaseName = "scoutflo" });
        var fromUrl = validator.Validate(null, new MongoIntegrationStoreOptions { ConnectionString = "mongodb://h:27017/scoutflo" });
        var noDatabase = validator.Validate(null, new MongoIntegrationStoreOptions { ConnectionString = "mongodb://h:27017" });

        Assert.True(result.Failed);
        Assert.True(fromUrl.Succeeded);
        Assert.True(noDatabase.Failed);
        Assert.Contains("DatabaseName", noDatabase.FailureMessage, StringComparison.Ordinal);
    }
}
