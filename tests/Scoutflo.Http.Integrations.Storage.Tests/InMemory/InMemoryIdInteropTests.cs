using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MongoDB.Bson;
using MongoDB.Driver;
using Scoutflo.Http.Integrations.MongoDb.Internal;
using Scoutflo.Http.Integrations.Storage.InMemory;

namespace Scoutflo.Http.Integrations.Storage.Tests.InMemory;

/// <summary>
/// The core makes its ids without MongoDB.Bson; the driver must read them as the ObjectIds
/// Mongoose would have made at the same time, and the MongoDB store must keep them.
/// </summary>
public sealed class InMemoryIdInteropTests(MongoFixture mongo) : IClassFixture<MongoFixture>
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 9, 30, 15, TimeSpan.Zero);

    [Fact]
    public async Task InsertAsync_InMemoryId_IsAnObjectIdOfTheInsertTime()
    {
        var time = new FakeTimeProvider(Now);
        var inserted = await new InMemoryIntegrationStore(time).InsertAsync(new Integration { Provider = "custom", AccountId = "acct", AuthType = "bearer" });

        var parsed = ObjectId.Parse(inserted.Id);

        Assert.Equal(inserted.Id, parsed.ToString());
        Assert.Equal(Now.UtcDateTime, parsed.CreationTime);
    }

    [Fact]
    public async Task MongoStore_IdMadeInMemory_IsKeptAsTheDocumentsObjectId()
    {
        var time = new FakeTimeProvider(Now);
        var id = ObjectIdGenerator.NewId(time);
        var collection = mongo.NewCollection();
        var store = new MongoIntegrationStore(collection, time, NullLogger<MongoIntegrationStore>.Instance);

        await store.InsertAsync(new Integration { Id = id, Provider = "custom", AccountId = "acct", AuthType = "bearer" });

        var document = await collection.Find(FilterDefinition<BsonDocument>.Empty).SingleAsync();
        Assert.Equal(BsonType.ObjectId, document["_id"].BsonType);
        Assert.Equal(id, document["_id"].AsObjectId.ToString());
        Assert.Equal(id, (await store.GetAsync(id))?.Id);
    }
}
