using Microsoft.Extensions.DependencyInjection;
using MongoDB.Bson;
using MongoDB.Driver;
using Scoutflo.Http.Integrations.Secrets.Internal;

namespace Scoutflo.Http.Integrations.Storage.Tests.Secrets;

/// <summary>UseCredentialEncryption with UseMongoDb and UseRedis on the real servers, in either order.</summary>
public sealed class CredentialEncryptionRegistrationTests(MongoFixture mongo, OneRedisServer redis)
    : IClassFixture<MongoFixture>, IClassFixture<OneRedisServer>
{
    private static readonly string Key = Convert.ToBase64String(SecretsTestKeys.KeyBytes("k1"));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task CreateAndResolveConnection_EncryptionBeforeOrAfterStorage_StoresOnlyEnvelopesAndResolvesPlain(bool encryptionFirst)
    {
        var collection = TestServers.UniqueName("integrations");
        var services = new ServiceCollection();
        var builder = services.AddScoutfloIntegrations();
        void Encryption() => builder.UseCredentialEncryption(o =>
        {
            o.CurrentKeyId = "k1";
            o.Keys["k1"] = Key;
        });
        if (encryptionFirst)
        {
            Encryption();
        }

        builder.UseMongoDb(o =>
        {
            o.ConnectionString = TestServers.MongoDb;
            o.DatabaseName = mongo.DatabaseName;
            o.CollectionName = collection;
        }).UseRedis(TestServers.Redis);
        if (!encryptionFirst)
        {
            Encryption();
        }

        await using var provider = services.BuildServiceProvider();
        var connections = provider.GetRequiredService<IConnectionManager>();

        var created = await connections.CreateConnectionAsync(new Integration
        {
            Provider = IntegrationProviders.Custom,
            AccountId = "acct-reg",
            AuthType = IntegrationAuthTypes.ApiKey,
            Credentials = new Dictionary<string, string> { [IntegrationCredentialKeys.ApiKey] = "sk-SECRET-registration" },
            Metadata = new Dictionary<string, string> { [IntegrationMetadataKeys.BaseUrl] = "https://api.example.test" },
        });
        var resolved = await connections.GetConnectionAsync(created.Id);

        Assert.Equal("sk-SECRET-registration", resolved!.GetCredential(IntegrationCredentialKeys.ApiKey));
        var document = await mongo.Database.GetCollection<BsonDocument>(collection).Find(new BsonDocument("_id", ObjectId.Parse(created.Id))).SingleAsync();
        Assert.DoesNotContain("SECRET", document.ToJson(), StringComparison.Ordinal);

        var cache = provider.GetRequiredService<ITokenCache>();
        Assert.IsType<EncryptingTokenCache>(cache);
        var key = redis.Key();
        await cache.SetAsync(key, "SECRET-cached", TimeSpan.FromMinutes(1));
        Assert.DoesNotContain("SECRET", (string?)await redis.Check.StringGetAsync(key), StringComparison.Ordinal);
    }
}
