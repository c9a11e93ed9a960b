using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MongoDB.Bson;
using MongoDB.Driver;
using Scoutflo.Http.Integrations.MongoDb.Internal;

namespace Scoutflo.Http.Integrations.Storage.Tests.MongoDb;

/// <summary>
/// What the MongoDB store's <see cref="IIntegrationStore.UpdateEachAsync"/> sends: one bulk write
/// when every update is taken, diffed against the records as the caller read them, so that the
/// fields and keys another service added survive as they do under <see cref="IIntegrationStore.UpdateAsync"/>
/// (that part runs in <see cref="MongoIntegrationStoreTests"/>, for both).
/// </summary>
public sealed class MongoIntegrationStoreUpdateEachTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, 123, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Start);
    private readonly ConcurrentQueue<string> _commands = new();
    private readonly MongoClient _client;
    private readonly IMongoDatabase _database;
    private readonly IMongoCollection<BsonDocument> _collection;
    private readonly IIntegrationStore _store;

    public MongoIntegrationStoreUpdateEachTests()
    {
        _client = TestServers.CreateMongoClient(_commands);
        _database = _client.GetDatabase(TestServers.UniqueName("scoutflo_update_each"));
        _collection = _database.GetCollection<BsonDocument>("integrations");
        _store = new MongoIntegrationStore(_collection, _time, NullLogger<MongoIntegrationStore>.Instance);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task UpdateEachAsync_EveryRecordAtItsVersion_OneBulkWriteAndNoRead(int records)
    {
        var inserted = new List<Integration>();
        for (var i = 0; i < records; i++)
        {
            inserted.Add(await _store.InsertAsync(Sample()));
        }

        _commands.Clear();

        var stored = await _store.UpdateEachAsync(inserted.Select(r => new IntegrationUpdate(r, WithTokens(r, "rt-2"))).ToList());

        Assert.Equal(["update"], _commands);
        Assert.All(stored, r => Assert.Equal(2, r!.Version));
        foreach (var record in inserted)
        {
            Assert.Equal("rt-2", (await _store.GetAsync(record.Id))!.Credentials["refresh_token"]);
        }
    }

    [Fact]
    public async Task UpdateEachAsync_OneRecordMovedOn_OneMoreReadTellsWhichAndTheOthersAreReportedStored()
    {
        var first = await _store.InsertAsync(Sample());
        var moved = await _store.InsertAsync(Sample());
        await _store.UpdateAsync(WithTokens(moved, "rt-other"), moved.Version);
        _commands.Clear();

        var stored = await _store.UpdateEachAsync([new IntegrationUpdate(first, WithTokens(first, "rt-2")), new IntegrationUpdate(moved, WithTokens(moved, "rt-2"))]);

        Assert.Equal(["update", "find"], _commands);
        Assert.Equal("rt-2", stored[0]!.Credentials["refresh_token"]);
        Assert.Null(stored[1]);
        Assert.Equal("rt-other", (await _store.GetAsync(moved.Id))!.Credentials["refresh_token"]);
    }

    [Fact]
    public async Task UpdateEachAsync_ChangedKeyWithDot_FallsBackToTheReadFirstUpdateAndKeepsUnknownKeys()
    {
        var inserted = await _store.InsertAsync(Sample());
        var id = ObjectId.Parse(inserted.Id);
        await _collection.UpdateOneAsync(new BsonDocument("_id", id), new BsonDocument("$set", new BsonDocument("metadata.extra", new BsonArray { 1, 2 })));
        var current = await _store.GetAsync(inserted.Id);
        _commands.Clear();

        var stored = await _store.UpdateEachAsync([new IntegrationUpdate(current!, current! with { Metadata = new Dictionary<string, string>(current.Metadata) { ["header.name"] = "X-Key" } })]);

        Assert.Equal("X-Key", stored[0]!.Metadata["header.name"]);
        Assert.Equal(["find", "findAndModify"], _commands);
        var metadata = (await _collection.Find(new BsonDocument("_id", id)).SingleAsync())["metadata"].AsBsonDocument;
        Assert.Equal(new BsonArray { 1, 2 }, metadata["extra"].AsBsonArray);
        Assert.Equal("X-Key", metadata["header.name"].AsString);
    }

    [Fact]
    public async Task UpdateEachAsync_DocumentWithoutVersionOrCredentials_IsUpdatedAsVersionZero()
    {
        var id = ObjectId.GenerateNewId();
        await _collection.InsertOneAsync(new BsonDocument { { "_id", id }, { "provider", "sentry" }, { "account_id", "acct-old" }, { "auth_type", "bearer" } });
        var read = await _store.GetAsync(id.ToString());
        Assert.NotNull(read);

        var stored = await _store.UpdateEachAsync([new IntegrationUpdate(read, read with { Credentials = new Dictionary<string, string> { ["token"] = "sntrys_1" } })]);

        Assert.Equal(1, stored[0]!.Version);
        Assert.Equal("sntrys_1", (await _store.GetAsync(id.ToString()))!.Credentials["token"]);
    }

    [Fact]
    public async Task UpdateEachAsync_UnacknowledgedWrites_ReadsBackInsteadOfCounting()
    {
        // An application's client may write with w:0, whose result counts nothing. One pooled
        // connection keeps the read behind the write, so the read-back sees it.
        var settings = MongoClientSettings.FromConnectionString(TestServers.MongoDb);
        settings.MaxConnectionPoolSize = 1;
        using var client = new MongoClient(settings);
        var collection = client.GetDatabase(_database.DatabaseNamespace.DatabaseName).GetCollection<BsonDocument>("integrations_w0").WithWriteConcern(WriteConcern.Unacknowledged);
        IIntegrationStore store = new MongoIntegrationStore(collection, _time, NullLogger<MongoIntegrationStore>.Instance);
        var inserted = await _store.InsertAsync(Sample());
        await _collection.Database.GetCollection<BsonDocument>("integrations_w0").InsertOneAsync(await _collection.Find(new BsonDocument("_id", ObjectId.Parse(inserted.Id))).SingleAsync());

        var stored = await store.UpdateEachAsync([new IntegrationUpdate(inserted, WithTokens(inserted, "rt-2"))]);

        Assert.Equal("rt-2", Assert.Single(stored)!.Credentials["refresh_token"]);
        Assert.Equal("rt-2", (await store.GetAsync(inserted.Id))!.Credentials["refresh_token"]);
    }

    public void Dispose()
    {
        _client.DropDatabase(_database.DatabaseNamespace.DatabaseName);
        _client.Dispose();
    }

    private static Integration Sample() => new()
    {
        Provider = IntegrationProviders.Jira,
        AccountId = "acct-1",
        AuthType = IntegrationAuthTypes.OAuth2,
        Credentials = new Dictionary<string, string> { ["access_token"] = "at-1", ["refresh_token"] = "rt-1", ["token_type"] = "Bearer" },
        Metadata = new Dictionary<string, string> { ["cloud_id"] = "cloud-1" },
    };

    /// <summary>The record with new tokens, every other credential kept.</summary>
    private static Integration WithTokens(Integration record, string refreshToken) => record with
    {
        Credentials = new Dictionary<string, string>(record.Credentials) { ["access_token"] = "at-" + refreshToken, ["refresh_token"] = refreshToken },
    };
}
