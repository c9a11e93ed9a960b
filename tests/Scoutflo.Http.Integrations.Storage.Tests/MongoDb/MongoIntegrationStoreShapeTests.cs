using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MongoDB.Bson;
using MongoDB.Driver;
using Scoutflo.Http.Integrations.MongoDb.Internal;

namespace Scoutflo.Http.Integrations.Storage.Tests.MongoDb;

/// <summary>
/// Documents the store cannot take or did not write: one larger than MongoDB's 16 MiB, and
/// ones of the wrong shape written behind its back (the TypeScript SDK, or a hand edit). Each
/// surfaces as an <see cref="IntegrationException"/>, never as a driver or BSON exception.
/// </summary>
public sealed class MongoIntegrationStoreShapeTests(MongoFixture mongo) : IClassFixture<MongoFixture>
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task InsertAsync_DocumentOverSixteenMebibytes_ThrowsRecordTooLargeAndWritesNothing()
    {
        var (store, collection) = NewStore();
        var huge = new string('x', 17 * 1024 * 1024);

        var error = await Assert.ThrowsAsync<IntegrationException>(() => store.InsertAsync(Sample() with
        {
            Metadata = new Dictionary<string, string> { ["notes"] = huge },
        }));

        Assert.Equal(IntegrationErrorCodes.RecordTooLarge, error.ErrorCode);
        Assert.NotNull(error.InnerException);
        Assert.True(error.Message.Length < 1000);
        Assert.Equal(0, await collection.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty));
    }

    [Fact]
    public async Task UpdateAsync_GrowsOverSixteenMebibytes_ThrowsRecordTooLargeAndKeepsTheStoredVersion()
    {
        var (store, _) = NewStore();
        var inserted = await store.InsertAsync(Sample());

        var error = await Assert.ThrowsAsync<IntegrationException>(() => store.UpdateAsync(inserted with
        {
            Credentials = new Dictionary<string, string> { ["api_key"] = new string('k', 17 * 1024 * 1024) },
        }, inserted.Version));

        Assert.Equal(IntegrationErrorCodes.RecordTooLarge, error.ErrorCode);
        Assert.Equal(inserted.Id, error.IntegrationId);
        Assert.Equal(inserted.Version, (await store.GetAsync(inserted.Id))!.Version);
    }

    public static TheoryData<string, BsonDocument> WrongShapes() => new()
    {
        { "credentials as a string", new BsonDocument { { "credentials", "api_key=abc" } } },
        { "scopes as a number", new BsonDocument { { "scopes", 42 } } },
        { "version missing", new BsonDocument() },
        { "version as a huge Decimal128", new BsonDocument { { "version", new BsonDecimal128(Decimal128.Parse("1e30")) } } },
        { "version as a huge Int64", new BsonDocument { { "version", long.MaxValue } } },
        { "version as a string", new BsonDocument { { "version", "7" } } },
        { "created_at beyond DateTime", new BsonDocument { { "created_at", new BsonDateTime(long.MaxValue) } } },
        { "credential value as a date beyond DateTime", new BsonDocument { { "credentials", new BsonDocument { { "api_key", "k" }, { "expires_at", new BsonDateTime(long.MinValue) } } } } },
        { "account_id as a number", new BsonDocument { { "account_id", 12 } } },
        { "metadata as an array", new BsonDocument { { "metadata", new BsonArray { "a", "b" } } } },
        { "provider as null", new BsonDocument { { "provider", BsonNull.Value } } },
        { "status as a document", new BsonDocument { { "status", new BsonDocument("x", 1) } } },
    };

    [Theory]
    [MemberData(nameof(WrongShapes))]
    public async Task WrongShapeWrittenBehindTheStoresBack_EveryEntryPoint_ReadsItOrThrowsAnIntegrationException(string shape, BsonDocument overrides)
    {
        using var services = NewServices(out var collection);
        var id = ObjectId.GenerateNewId(_time.GetUtcNow().UtcDateTime);
        var document = new BsonDocument
        {
            { "_id", id },
            { "provider", "custom" },
            { "account_id", "acct-shape" },
            { "auth_type", "api_key" },
            { "credentials", new BsonDocument("api_key", "k-1") },
            { "metadata", new BsonDocument("base_url", "https://api.example.com") },
            { "scopes", new BsonArray() },
            { "status", "active" },
            { "version", 1 },
            { "created_at", new BsonDateTime(_time.GetUtcNow().UtcDateTime) },
            { "updated_at", new BsonDateTime(_time.GetUtcNow().UtcDateTime) },
        };
        document.Merge(overrides, overwriteExistingElements: true);
        if (shape == "version missing")
        {
            document.Remove("version");
        }

        await collection.InsertOneAsync(document);
        var store = services.GetRequiredService<IIntegrationStore>();
        var connections = services.GetRequiredService<IConnectionManager>();
        var integrationId = id.ToString();

        await NoRawException(() => store.GetAsync(integrationId));
        await NoRawException(() => store.FindByAccountAsync("acct-shape"));
        await NoRawException(() => store.FindStaleOAuthAsync(DateTimeOffset.MaxValue, 10));
        await NoRawException(async () => await connections.ResolveConnectionAsync(integrationId));
        await NoRawException(async () =>
        {
            var read = await store.GetAsync(integrationId);
            await store.UpdateAsync(read! with { Metadata = new Dictionary<string, string> { ["base_url"] = "https://api.example.com", ["touched"] = "yes" } }, read.Version);
        });
        await NoRawException(() => connections.DeleteConnectionAsync(integrationId));

        async Task NoRawException(Func<Task> action)
        {
            try
            {
                await action();
            }
            catch (IntegrationException)
            {
                // The library's own error: what a caller can act on.
            }
            catch (Exception ex)
            {
                Assert.Fail($"{shape}: a raw {ex.GetType().Name} escaped: {ex.Message}");
            }
        }
    }

    [Fact]
    public async Task ResolveConnection_CredentialsWrittenAsAString_FailsWithTheLibrarysCode()
    {
        using var services = NewServices(out var collection);
        var id = ObjectId.GenerateNewId();
        await collection.InsertOneAsync(new BsonDocument
        {
            { "_id", id },
            { "provider", "custom" },
            { "account_id", "acct-shape" },
            { "auth_type", "api_key" },
            { "credentials", "api_key=abc" },
            { "metadata", new BsonDocument("base_url", "https://api.example.com") },
            { "version", 1 },
        });

        var error = await Assert.ThrowsAsync<IntegrationException>(async () =>
            await services.GetRequiredService<IConnectionManager>().ResolveConnectionAsync(id.ToString()));

        Assert.Equal(IntegrationErrorCodes.CredentialsMissing, error.ErrorCode);
    }

    [Fact]
    public async Task GetAsync_VersionThatIsNoInt32_ThrowsRecordInvalid()
    {
        var (store, collection) = NewStore();
        var id = ObjectId.GenerateNewId();
        await collection.InsertOneAsync(new BsonDocument
        {
            { "_id", id },
            { "provider", "custom" },
            { "account_id", "acct-shape" },
            { "auth_type", "api_key" },
            { "version", new BsonDecimal128(Decimal128.Parse("1e30")) },
        });

        // Read as 0 (or cut to an int), an update's version filter could never match, or match
        // the wrong document state: the record is refused instead.
        var error = await Assert.ThrowsAsync<IntegrationException>(() => store.GetAsync(id.ToString()));

        Assert.Equal(IntegrationErrorCodes.RecordInvalid, error.ErrorCode);
        Assert.Contains("version", error.Message, StringComparison.Ordinal);
    }

    private (MongoIntegrationStore Store, IMongoCollection<BsonDocument> Collection) NewStore()
    {
        var collection = mongo.NewCollection();
        return (new MongoIntegrationStore(collection, _time, NullLogger<MongoIntegrationStore>.Instance), collection);
    }

    private ServiceProvider NewServices(out IMongoCollection<BsonDocument> collection)
    {
        var name = TestServers.UniqueName("shapes");
        collection = mongo.Database.GetCollection<BsonDocument>(name);
        var services = new ServiceCollection();
        services.AddSingleton(mongo.Database);
        services.AddSingleton<TimeProvider>(_time);
        services.AddScoutfloIntegrations().UseMongoDb(o => o.CollectionName = name);
        return services.BuildServiceProvider();
    }

    private static Integration Sample() => new()
    {
        Provider = IntegrationProviders.Custom,
        AccountId = "acct-shape",
        AuthType = IntegrationAuthTypes.ApiKey,
        Credentials = new Dictionary<string, string> { ["api_key"] = "k-1" },
        Metadata = new Dictionary<string, string> { ["base_url"] = "https://api.example.com" },
    };
}
