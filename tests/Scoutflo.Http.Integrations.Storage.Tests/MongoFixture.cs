using MongoDB.Bson;
using MongoDB.Driver;

namespace Scoutflo.Http.Integrations.Storage.Tests;

/// <summary>One database per test class, dropped afterwards, so that classes never collide.</summary>
public sealed class MongoFixture : IAsyncLifetime
{
    private MongoClient? _client;

    public string DatabaseName { get; } = TestServers.UniqueName("scoutflo_tests");

    public IMongoDatabase Database { get; private set; } = null!;

    /// <summary>A collection of its own, for a test that must see only its own documents.</summary>
    public IMongoCollection<BsonDocument> NewCollection() =>
        Database.GetCollection<BsonDocument>(TestServers.UniqueName("integrations"));

    public Task InitializeAsync()
    {
        _client = TestServers.CreateMongoClient();
        Database = _client.GetDatabase(DatabaseName);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_client is not null)
        {
            await _client.DropDatabaseAsync(DatabaseName);
            _client.Dispose();
        }
    }
}
