using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MongoDB.Bson;
using MongoDB.Driver;
using Scoutflo.Http.Integrations.MongoDb.Internal;

namespace Scoutflo.Http.Integrations.Storage.Tests.MongoDb;

public sealed class MongoIntegrationStoreTests(MongoFixture mongo) : IClassFixture<MongoFixture>
{
    // Sub-millisecond ticks on purpose: a BSON date keeps milliseconds only.
    private static readonly DateTimeOffset Start = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero).AddTicks(1234567);

    private readonly FakeTimeProvider _time = new(Start);

    [Fact]
    public async Task InsertAsync_EveryField_RoundTripsThroughGet()
    {
        var (store, _) = NewStore();

        var inserted = await store.InsertAsync(SampleIntegration());
        var read = await store.GetAsync(inserted.Id);

        Assert.NotNull(read);
        Assert.True(ObjectId.TryParse(inserted.Id, out _));
        Assert.Equal(1, inserted.Version);
        var expectedTime = new DateTimeOffset(2026, 3, 1, 12, 0, 0, 123, TimeSpan.Zero);
        Assert.Equal(expectedTime, inserted.CreatedAt);
        Assert.Equal(expectedTime, inserted.UpdatedAt);
        AssertSame(inserted, read);
        Assert.Equal(IntegrationProviders.Jira, read.Provider);
        Assert.Equal("acct-1", read.AccountId);
        Assert.Equal("user-7", read.CreatedBy);
        Assert.Equal(IntegrationAuthTypes.OAuth2, read.AuthType);
        Assert.Equal("at-1", read.Credentials["access_token"]);
        Assert.Equal("rt-1", read.Credentials["refresh_token"]);
        Assert.Equal("cloud-1", read.Metadata["cloud_id"]);
        Assert.Equal("https://acme.atlassian.net", read.Metadata["site_url"]);
        Assert.Equal(["read:jira-work", "offline_access"], read.Scopes);
        Assert.Equal(IntegrationStatus.Active, read.Status);
    }

    [Fact]
    public async Task InsertAsync_NewRecord_WritesTheContractDocumentShape()
    {
        var (store, collection) = NewStore();

        var inserted = await store.InsertAsync(SampleIntegration());
        var document = await collection.Find(new BsonDocument("_id", ObjectId.Parse(inserted.Id))).SingleAsync();

        Assert.Equal(BsonType.ObjectId, document["_id"].BsonType);
        Assert.Equal("jira", document["provider"].AsString);
        Assert.Equal("acct-1", document["account_id"].AsString);
        Assert.Equal("user-7", document["created_by"].AsString);
        Assert.Equal("oauth2", document["auth_type"].AsString);
        Assert.Equal("at-1", document["credentials"]["access_token"].AsString);
        Assert.Equal("cloud-1", document["metadata"]["cloud_id"].AsString);
        Assert.Equal(new BsonArray { "read:jira-work", "offline_access" }, document["scopes"].AsBsonArray);
        Assert.Equal("active", document["status"].AsString);
        Assert.Equal(BsonType.Int32, document["version"].BsonType);
        Assert.Equal(1, document["version"].AsInt32);
        Assert.Equal(BsonType.DateTime, document["created_at"].BsonType);
        Assert.Equal(BsonType.DateTime, document["updated_at"].BsonType);
        Assert.Equal(12, document.ElementCount);
    }

    [Fact]
    public async Task GetAsync_DocumentWrittenByHand_ReadsEveryField()
    {
        var (store, collection) = NewStore();
        var id = ObjectId.GenerateNewId();
        var createdAt = new DateTime(2025, 12, 24, 8, 30, 0, 250, DateTimeKind.Utc);
        await collection.InsertOneAsync(new BsonDocument
        {
            { "_id", id },
            { "provider", "slack" },
            { "account_id", "acct-hand" },
            { "created_by", BsonNull.Value },
            { "auth_type", "oauth2" },
            {
                "credentials", new BsonDocument
                {
                    { "access_token", "xoxe.xoxp-1" },
                    { "expires_at", new BsonDateTime(new DateTime(2026, 1, 2, 3, 4, 5, 678, DateTimeKind.Utc)) },
                    { "expires_in", 43200 },
                    { "rotating", true },
                    { "legacy_blob", new BsonDocument("nested", 1) },
                }
            },
            { "metadata", new BsonDocument { { "team_id", "T123" }, { "seats", 12.5 }, { "big", 9_000_000_000L } } },
            { "scopes", new BsonArray { "chat:write", "channels:read" } },
            { "status", "reauthorization_required" },
            { "version", 7 },
            { "created_at", new BsonDateTime(createdAt) },
            { "updated_at", new BsonDateTime(createdAt.AddDays(1)) },
            { "__v", 0 },
        });

        var read = await store.GetAsync(id.ToString());

        Assert.NotNull(read);
        Assert.Equal(id.ToString(), read.Id);
        Assert.Equal("slack", read.Provider);
        Assert.Equal("acct-hand", read.AccountId);
        Assert.Null(read.CreatedBy);
        Assert.Equal("oauth2", read.AuthType);
        Assert.Equal("xoxe.xoxp-1", read.Credentials["access_token"]);
        Assert.Equal("2026-01-02T03:04:05.6780000Z", read.Credentials["expires_at"]);
        Assert.Equal("43200", read.Credentials["expires_in"]);
        Assert.Equal("true", read.Credentials["rotating"]);
        Assert.False(read.Credentials.ContainsKey("legacy_blob"));
        Assert.Equal("T123", read.Metadata["team_id"]);
        Assert.Equal("12.5", read.Metadata["seats"]);
        Assert.Equal("9000000000", read.Metadata["big"]);
        Assert.Equal(["chat:write", "channels:read"], read.Scopes);
        Assert.Equal(IntegrationStatus.ReauthorizationRequired, read.Status);
        Assert.Equal(7, read.Version);
        Assert.Equal(new DateTimeOffset(createdAt), read.CreatedAt);
        Assert.Equal(new DateTimeOffset(createdAt.AddDays(1)), read.UpdatedAt);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task UpdateAsync_UnknownFieldsTopLevelAndNested_AreKept(bool throughUpdateEach)
    {
        var (store, collection) = NewStore();
        var inserted = await store.InsertAsync(SampleIntegration());
        var id = ObjectId.Parse(inserted.Id);
        var installedAt = new DateTime(2025, 6, 1, 0, 0, 0, DateTimeKind.Utc);

        // Another service (the TypeScript SDK) adds fields this library does not know.
        await collection.UpdateOneAsync(new BsonDocument("_id", id), new BsonDocument("$set", new BsonDocument
        {
            { "legacy_flag", true },
            { "webhook", new BsonDocument("secret_ref", "vault:1") },
            { "credentials.sdk_blob", new BsonDocument("kid", "k1") },
            { "credentials.issued_at", new BsonDateTime(installedAt) },
            { "metadata.installed_at", new BsonDateTime(installedAt) },
            { "metadata.seat_count", 5 },
        }));
        var current = await store.GetAsync(inserted.Id);
        Assert.NotNull(current);

        var credentials = new Dictionary<string, string>(current.Credentials)
        {
            ["access_token"] = "at-2",
            ["refresh_token"] = "rt-2",
        };
        credentials.Remove("token_type");
        var change = current with { Credentials = credentials, Status = IntegrationStatus.Disabled };

        // UpdateEachAsync writes without reading first: its diff is against the record as read.
        var updated = throughUpdateEach
            ? (await ((IIntegrationStore)store).UpdateEachAsync([new IntegrationUpdate(current, change)]))[0]!
            : await store.UpdateAsync(change, current.Version);

        var document = await collection.Find(new BsonDocument("_id", id)).SingleAsync();
        Assert.Equal(2, updated.Version);
        Assert.True(document["legacy_flag"].AsBoolean);
        Assert.Equal("vault:1", document["webhook"]["secret_ref"].AsString);
        Assert.Equal("k1", document["credentials"]["sdk_blob"]["kid"].AsString);
        Assert.Equal("at-2", document["credentials"]["access_token"].AsString);
        Assert.Equal("rt-2", document["credentials"]["refresh_token"].AsString);
        Assert.False(document["credentials"].AsBsonDocument.Contains("token_type"));
        Assert.Equal("disabled", document["status"].AsString);

        // Non-string values that did not change keep their BSON type.
        Assert.Equal(BsonType.DateTime, document["credentials"]["issued_at"].BsonType);
        Assert.Equal(BsonType.DateTime, document["metadata"]["installed_at"].BsonType);
        Assert.Equal(installedAt, document["metadata"]["installed_at"].ToUniversalTime());
        Assert.Equal(BsonType.Int32, document["metadata"]["seat_count"].BsonType);
        Assert.Equal("cloud-1", document["metadata"]["cloud_id"].AsString);
    }

    [Fact]
    public async Task UpdateAsync_ChangedNonStringValue_IsWrittenAsString()
    {
        var (store, collection) = NewStore();
        var inserted = await store.InsertAsync(SampleIntegration());
        var id = ObjectId.Parse(inserted.Id);
        await collection.UpdateOneAsync(new BsonDocument("_id", id), new BsonDocument("$set", new BsonDocument("metadata.seat_count", 5)));
        var current = await store.GetAsync(inserted.Id);
        Assert.NotNull(current);

        await store.UpdateAsync(current with { Metadata = new Dictionary<string, string>(current.Metadata) { ["seat_count"] = "6" } }, current.Version);

        var document = await collection.Find(new BsonDocument("_id", id)).SingleAsync();
        Assert.Equal("6", document["metadata"]["seat_count"].AsString);
    }

    [Fact]
    public async Task UpdateAsync_KeyWithDot_MergesTheSubDocumentAndKeepsUnknownFields()
    {
        var (store, collection) = NewStore();
        var inserted = await store.InsertAsync(SampleIntegration());
        var id = ObjectId.Parse(inserted.Id);
        await collection.UpdateOneAsync(new BsonDocument("_id", id), new BsonDocument("$set", new BsonDocument("metadata.extra", new BsonArray { 1, 2 })));

        await store.UpdateAsync(inserted with { Metadata = new Dictionary<string, string>(inserted.Metadata) { ["header.name"] = "X-Key" } }, 1);

        var document = await collection.Find(new BsonDocument("_id", id)).SingleAsync();
        var metadata = document["metadata"].AsBsonDocument;
        Assert.Equal("X-Key", metadata["header.name"].AsString);
        Assert.Equal(new BsonArray { 1, 2 }, metadata["extra"].AsBsonArray);
        Assert.Equal("cloud-1", metadata["cloud_id"].AsString);
    }

    [Fact]
    public async Task UpdateAsync_DocumentWithoutVersion_IsUpdatedAsVersionZero()
    {
        var (store, collection) = NewStore();
        var id = ObjectId.GenerateNewId();
        await collection.InsertOneAsync(new BsonDocument { { "_id", id }, { "provider", "sentry" }, { "account_id", "acct-old" }, { "auth_type", "bearer" } });
        var read = await store.GetAsync(id.ToString());
        Assert.NotNull(read);
        Assert.Equal(0, read.Version);

        var updated = await store.UpdateAsync(read with { Credentials = new Dictionary<string, string> { ["token"] = "sntrys_1" } }, 0);

        Assert.Equal(1, updated.Version);
        Assert.Equal("sntrys_1", updated.Credentials["token"]);
        await Assert.ThrowsAsync<IntegrationConcurrencyException>(() => store.UpdateAsync(read, 0));
    }

    [Fact]
    public async Task EnsureIndexesAsync_Twice_LeavesOneAccountProviderIndex()
    {
        var (store, collection) = NewStore();

        await store.EnsureIndexesAsync(CancellationToken.None);
        await store.EnsureIndexesAsync(CancellationToken.None);

        var indexes = await (await collection.Indexes.ListAsync()).ToListAsync();
        var index = Assert.Single(indexes, i => i["key"].AsBsonDocument.Names.SequenceEqual(["account_id", "provider"]));
        Assert.Equal(1, index["key"]["account_id"].ToInt32());
        Assert.Equal(1, index["key"]["provider"].ToInt32());
    }

    [Fact]
    public async Task FindStaleOAuthAsync_MixedRecords_PagesActiveOAuthRecordsWrittenBeforeTheCutoffById()
    {
        var (store, collection) = NewStore();
        var idleA = await store.InsertAsync(SampleIntegration());
        var idleB = await store.InsertAsync(SampleIntegration() with { AccountId = "acct-2" });
        await store.InsertAsync(SampleIntegration() with { Status = IntegrationStatus.ReauthorizationRequired });
        await store.InsertAsync(SampleIntegration() with { Status = IntegrationStatus.Disabled });
        await store.InsertAsync(SampleIntegration() with { AuthType = IntegrationAuthTypes.ApiKey, Credentials = new Dictionary<string, string> { ["api_key"] = "k" } });
        var withoutStatus = ObjectId.GenerateNewId(Start.UtcDateTime.AddSeconds(1));
        await collection.InsertOneAsync(new BsonDocument
        {
            { "_id", withoutStatus },
            { "provider", "jira" },
            { "account_id", "acct-sdk" },
            { "auth_type", "oauth2" },
            { "credentials", new BsonDocument("refresh_token", "rt-sdk") },
            { "updated_at", new BsonDateTime(Start.UtcDateTime) },
        });
        _time.Advance(TimeSpan.FromDays(40));
        var fresh = await store.InsertAsync(SampleIntegration() with { AccountId = "acct-fresh" });
        var touched = await store.UpdateAsync(idleB with { Scopes = ["read:jira-work"] }, idleB.Version); // written recently: not idle

        var cutoff = Start.AddDays(30);
        var first = await store.FindStaleOAuthAsync(cutoff, limit: 1);
        var second = await store.FindStaleOAuthAsync(cutoff, limit: 1, afterId: first[0].Id);
        var third = await store.FindStaleOAuthAsync(cutoff, limit: 1, afterId: second[0].Id);

        Assert.Equal(idleA.Id, Assert.Single(first).Id);
        Assert.Equal(withoutStatus.ToString(), Assert.Single(second).Id);
        Assert.Equal(IntegrationStatus.Active, second[0].Status);
        Assert.Empty(third);
        var all = await store.FindStaleOAuthAsync(cutoff, limit: 100);
        Assert.Equal([idleA.Id, withoutStatus.ToString()], all.Select(r => r.Id));
        Assert.DoesNotContain(all, r => r.Id == fresh.Id || r.Id == touched.Id);
    }

    private (MongoIntegrationStore Store, IMongoCollection<BsonDocument> Collection) NewStore()
    {
        var collection = mongo.NewCollection();
        return (new MongoIntegrationStore(collection, _time, NullLogger<MongoIntegrationStore>.Instance), collection);
    }

    private static Integration SampleIntegration() => new()
    {
        Provider = IntegrationProviders.Jira,
        AccountId = "acct-1",
        CreatedBy = "user-7",
        AuthType = IntegrationAuthTypes.OAuth2,
        Credentials = new Dictionary<string, string> { ["access_token"] = "at-1", ["refresh_token"] = "rt-1", ["token_type"] = "Bearer" },
        Metadata = new Dictionary<string, string> { ["cloud_id"] = "cloud-1", ["site_url"] = "https://acme.atlassian.net" },
        Scopes = ["read:jira-work", "offline_access"],
    };

    private static void AssertSame(Integration expected, Integration actual)
    {
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.Provider, actual.Provider);
        Assert.Equal(expected.AccountId, actual.AccountId);
        Assert.Equal(expected.CreatedBy, actual.CreatedBy);
        Assert.Equal(expected.AuthType, actual.AuthType);
        Assert.Equal(expected.Credentials.OrderBy(p => p.Key), actual.Credentials.OrderBy(p => p.Key));
        Assert.Equal(expected.Metadata.OrderBy(p => p.Key), actual.Metadata.OrderBy(p => p.Key));
        Assert.Equal(expected.Scopes, actual.Scopes);
        Assert.Equal(expected.Status, actual.Status);
        Assert.Equal(expected.Version, actual.Version);
        Assert.Equal(expected.CreatedAt, actual.CreatedAt);
        Assert.Equal(expected.UpdatedAt, actual.UpdatedAt);
    }
}
