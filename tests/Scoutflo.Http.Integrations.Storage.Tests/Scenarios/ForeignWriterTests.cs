using System.Net;
using Microsoft.Extensions.DependencyInjection;
using MongoDB.Bson;
using MongoDB.Driver;

namespace Scoutflo.Http.Integrations.Storage.Tests.Scenarios;

/// <summary>
/// Another service (the TypeScript SDK) writes the same MongoDB collection and Redis keys, past
/// every check this library makes on create. What it wrote is checked again when it is used:
/// a record or cached token that would inject into the wire, or send credentials off the
/// provider's hosts, fails its request with a code and nothing reaches the network.
/// </summary>
public sealed class ForeignWriterTests(MongoFixture mongo, OneRedisServer redis)
    : IClassFixture<MongoFixture>, IClassFixture<OneRedisServer>
{
    private readonly CountingHandler _network = new();

    [Fact]
    public async Task SendAsync_DocumentWithAnInjectingApiKey_FailsWithCredentialsInvalidAndSendsNothing()
    {
        await using var services = Build();
        var id = await InsertAsync(new BsonDocument
        {
            { "provider", "custom" },
            { "auth_type", "api_key" },
            { "credentials", new BsonDocument("api_key", "ak-SECRET-ts\r\nX-Injected: 1") },
            { "metadata", new BsonDocument("base_url", "https://api.example.test/v2") },
        });

        var error = await Assert.ThrowsAsync<IntegrationException>(() => Client(services, id).GetAsync("items"));

        Assert.Equal(IntegrationErrorCodes.CredentialsInvalid, error.ErrorCode);
        Assert.DoesNotContain("ak-SECRET-ts", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, _network.Calls);
    }

    [Fact]
    public async Task SendAsync_DocumentWithASiteOffAtlassianNet_FailsWithBaseUrlNotAllowedAndSendsNothing()
    {
        await using var services = Build();
        var id = await InsertAsync(new BsonDocument
        {
            { "provider", "jira" },
            { "auth_type", "basic" },
            { "credentials", new BsonDocument { { "username", "jane@example.test" }, { "password", "atl-SECRET-ts" } } },
            { "metadata", new BsonDocument("site_url", "https://collector.evil.example") },
        });

        var error = await Assert.ThrowsAsync<IntegrationException>(() => Client(services, id).GetAsync("rest/api/3/myself"));

        Assert.Equal(IntegrationErrorCodes.BaseUrlNotAllowed, error.ErrorCode);
        Assert.Equal(0, _network.Calls);
    }

    [Fact]
    public async Task SendAsync_RedisHoldsAnInjectingAccessToken_FailsDropsTheKeyAndSendsNothing()
    {
        await using var services = Build();
        var id = await InsertAsync(new BsonDocument
        {
            { "provider", "jira" },
            { "auth_type", "oauth2" },
            { "credentials", new BsonDocument("refresh_token", "rt-1") },
            {
                "metadata", new BsonDocument
                {
                    { "cloud_id", "7a1c3a5e-0000-4000-8000-000000000001" },
                    { "site_url", "https://acme.atlassian.net" },
                }
            },
        });
        var key = $"integration:jira:{id}:app_user:acct-foreign:access_token";
        await redis.Check.StringSetAsync(key, "at-SECRET-ts\r\nX-Injected: 1", TimeSpan.FromMinutes(30));

        try
        {
            var error = await Assert.ThrowsAsync<IntegrationException>(() => Client(services, id).GetAsync("rest/api/3/myself"));

            Assert.Equal(IntegrationErrorCodes.CredentialsInvalid, error.ErrorCode);
            Assert.DoesNotContain("at-SECRET-ts", error.ToString(), StringComparison.Ordinal);
            Assert.Equal(0, _network.Calls);
            Assert.False(await redis.Check.KeyExistsAsync(key));
        }
        finally
        {
            await redis.Check.KeyDeleteAsync(key);
        }
    }

    private ServiceProvider Build()
    {
        var services = new ServiceCollection();
        // The foreign records are Jira's: the application adds Atlassian, as the core serves no named provider.
        services.AddScoutfloIntegrations()
            .AddAtlassian(o =>
            {
                o.ClientId = "client-foreign";
                o.ClientSecret = "secret-foreign";
            })
            .UseMongoDb(TestServers.MongoDb, mongo.DatabaseName)
            .UseRedis(TestServers.Redis);
        services.ConfigureHttpClientDefaults(b => b.ConfigurePrimaryHttpMessageHandler(() => _network));
        return services.BuildServiceProvider();
    }

    private static HttpClient Client(ServiceProvider services, string id) =>
        services.GetRequiredService<IIntegrationClientFactory>().CreateClient(id);

    private async Task<string> InsertAsync(BsonDocument fields)
    {
        var id = ObjectId.GenerateNewId();
        var now = new DateTime(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);
        var document = new BsonDocument
        {
            { "_id", id },
            { "account_id", "acct-foreign" },
            { "created_by", BsonNull.Value },
            { "scopes", new BsonArray() },
            { "status", "active" },
            { "version", 1 },
            { "created_at", now },
            { "updated_at", now },
        };
        document.Merge(fields);
        await mongo.Database.GetCollection<BsonDocument>("integrations").InsertOneAsync(document);
        return id.ToString();
    }

    /// <summary>Counts what would have left the process; nothing should.</summary>
    private sealed class CountingHandler : HttpMessageHandler
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
        }
    }
}
