using System.Collections.Concurrent;
using MongoDB.Driver;
using MongoDB.Driver.Core.Events;
using StackExchange.Redis;

namespace Scoutflo.Http.Integrations.Storage.Tests;

/// <summary>
/// The real servers the storage tests run against, named by environment variables that
/// ./test.sh sets after starting them. Missing variables fail the tests: a storage test that
/// silently skips proves nothing.
/// </summary>
internal static class TestServers
{
    public const string RedisVariable = "SCOUTFLO_TEST_REDIS";
    public const string MongoDbVariable = "SCOUTFLO_TEST_MONGODB";
    public const string RedisClusterVariable = "SCOUTFLO_TEST_REDIS_CLUSTER";

    public static string Redis => Require(RedisVariable, "a Redis host:port, e.g. 127.0.0.1:6379");

    /// <summary>A Redis Cluster (three masters in ./test.sh): its nodes, comma-separated.</summary>
    public static string RedisCluster => Require(RedisClusterVariable, "the nodes of a Redis Cluster, e.g. 127.0.0.1:7000,127.0.0.1:7001,127.0.0.1:7002");

    public static string MongoDb => Require(MongoDbVariable, "a MongoDB connection string, e.g. mongodb://127.0.0.1:27017/?directConnection=true");

    public static ConfigurationOptions RedisOptions() => Options(Redis);

    public static ConfigurationOptions RedisClusterOptions() => Options(RedisCluster);

    private static ConfigurationOptions Options(string configuration)
    {
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = true;
        options.ConnectTimeout = 5000;
        return options;
    }

    public static MongoClient CreateMongoClient() => new(MongoDb);

    /// <summary>
    /// A client that tells <paramref name="commands"/> the name of every command it sends that
    /// reads or writes documents; the handshake, heartbeats and index creation are left out.
    /// For tests that count what an operation costs the server.
    /// </summary>
    public static MongoClient CreateMongoClient(ConcurrentQueue<string> commands)
    {
        var settings = MongoClientSettings.FromConnectionString(MongoDb);
        settings.ClusterConfigurator = cluster => cluster.Subscribe<CommandStartedEvent>(e =>
        {
            if (e.CommandName is "find" or "update" or "findAndModify" or "insert" or "delete" or "aggregate")
            {
                commands.Enqueue(e.CommandName);
            }
        });
        return new MongoClient(settings);
    }

    /// <summary>A name no other test class (or earlier run) uses.</summary>
    public static string UniqueName(string prefix) => $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 60)];

    private static string Require(string variable, string what)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new InvalidOperationException(
                $"{variable} is not set. Run the tests with ./test.sh (it starts Redis and a MongoDB-wire server and sets it), or set {variable} to {what}.");
        }

        return value;
    }
}
