using Scoutflo.Http.Integrations.Redis.Internal;
using StackExchange.Redis;

namespace Scoutflo.Http.Integrations.Storage.Tests;

/// <summary>
/// One Redis connection per test class, and a key prefix of its own so that classes running
/// in parallel (and earlier runs) never see each other's keys. The adapters get their own
/// <see cref="RedisConnection"/> over a separate multiplexer from the one the tests check
/// with, so that what is checked is what reached the server.
/// </summary>
public abstract class RedisFixture : IAsyncLifetime
{
    private ConnectionMultiplexer? _adapterMultiplexer;
    private ConnectionMultiplexer? _checkMultiplexer;

    public string KeyPrefix { get; } = $"test:{Guid.NewGuid():N}:";

    internal RedisConnection Connection { get; private set; } = null!;

    /// <summary>Plain Redis commands, on a connection the adapters do not use.</summary>
    public IDatabase Check => _checkMultiplexer!.GetDatabase();

    /// <summary>A key in the contract format, under this class's prefix.</summary>
    public string Key(string suffix = "access_token") =>
        $"{KeyPrefix}integration:jira:{Guid.NewGuid().ToString("N")[..24]}:app_user:acct-1:{suffix}";

    /// <summary>The StackExchange.Redis configuration string of the server or cluster.</summary>
    public abstract string Configuration { get; }

    /// <summary>Connection options for the server or cluster (a fresh copy each time).</summary>
    public ConfigurationOptions Options()
    {
        var options = ConfigurationOptions.Parse(Configuration);
        options.AbortOnConnectFail = true;
        options.ConnectTimeout = 5000;
        return options;
    }

    public async Task InitializeAsync()
    {
        _adapterMultiplexer = await ConnectionMultiplexer.ConnectAsync(Options());
        _checkMultiplexer = await ConnectionMultiplexer.ConnectAsync(Options());
        // A generous bound: these tests are about behaviour, not the bound (the outage tests
        // use connections of their own), and a loaded CI machine may stall a command a while.
        Connection = new RedisConnection(_adapterMultiplexer, TimeSpan.FromSeconds(30));
    }

    public async Task DisposeAsync()
    {
        if (_checkMultiplexer is not null)
        {
            // Every primary: in a cluster the keys are spread over the nodes.
            foreach (var server in _checkMultiplexer.GetServers().Where(s => !s.IsReplica))
            {
                await foreach (var key in server.KeysAsync(pattern: KeyPrefix + "*"))
                {
                    await Check.KeyDeleteAsync(key);
                }
            }

            await _checkMultiplexer.DisposeAsync();
        }

        if (_adapterMultiplexer is not null)
        {
            await _adapterMultiplexer.DisposeAsync();
        }
    }
}

/// <summary>One Redis server (<c>SCOUTFLO_TEST_REDIS</c>).</summary>
public sealed class OneRedisServer : RedisFixture
{
    public override string Configuration => TestServers.Redis;
}

/// <summary>A Redis Cluster of three masters (<c>SCOUTFLO_TEST_REDIS_CLUSTER</c>).</summary>
public sealed class RedisClusterServers : RedisFixture
{
    public override string Configuration => TestServers.RedisCluster;
}
