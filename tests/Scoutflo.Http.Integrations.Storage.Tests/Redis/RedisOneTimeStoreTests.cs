using Microsoft.Extensions.Time.Testing;
using Scoutflo.Http.Integrations.Redis.Internal;

namespace Scoutflo.Http.Integrations.Storage.Tests.Redis;

/// <summary>The adapter against one server and against a three-master cluster (the derived classes below).</summary>
public abstract class RedisOneTimeStoreTests(RedisFixture redis)
{
    [Fact]
    public async Task TryAddAsync_NewKey_StoresTheValueWithItsTtl()
    {
        var store = new RedisOneTimeStore(redis.Connection);
        var key = redis.Key("oauth_state");

        var added = await store.TryAddAsync(key, "state-payload", TimeSpan.FromMinutes(10));

        Assert.True(added);
        Assert.Equal("state-payload", (string?)await redis.Check.StringGetAsync(key));
        var ttl = await redis.Check.KeyTimeToLiveAsync(key);
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(10));
    }

    [Fact]
    public async Task Operations_RedisUnreachable_ThrowStateStoreUnavailable()
    {
        await using var connection = UnreachableRedis.CreateConnection();
        var store = new RedisOneTimeStore(connection);

        var add = await Assert.ThrowsAsync<IntegrationException>(async () => await store.TryAddAsync("k", "v", TimeSpan.FromMinutes(1)));
        var peek = await Assert.ThrowsAsync<IntegrationException>(async () => await store.PeekAsync("k"));
        var take = await Assert.ThrowsAsync<IntegrationException>(async () => await store.TakeAsync("k"));

        Assert.All([add, peek, take], e => Assert.Equal(IntegrationErrorCodes.StateStoreUnavailable, e.ErrorCode));
    }

    [Fact(Timeout = 30_000)]
    public async Task Operations_RedisNeverAnswers_FailWithStateStoreUnavailableWhenTheOperationTimeoutRunsOut()
    {
        var time = new FakeTimeProvider();
        var (connection, server) = UnreachableRedis.CreateSilent(time, TimeSpan.FromSeconds(1));
        using var _ = server;
        await using var __ = connection;
        var store = new RedisOneTimeStore(connection);

        var add = store.TryAddAsync("k", "v", TimeSpan.FromMinutes(1)).AsTask();
        var peek = store.PeekAsync("k").AsTask();
        var take = store.TakeAsync("k").AsTask();
        Assert.False(add.IsCompleted || peek.IsCompleted || take.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));

        foreach (var pending in new Task[] { add, peek, take })
        {
            var error = await Assert.ThrowsAsync<IntegrationException>(() => pending);
            Assert.Equal(IntegrationErrorCodes.StateStoreUnavailable, error.ErrorCode);
            var inner = Assert.IsType<TimeoutException>(error.InnerException);
            Assert.Contains("1000 ms", inner.Message, StringComparison.Ordinal);
        }
    }
}

public sealed class RedisOneTimeStoreTestsOnOneServer(OneRedisServer redis) : RedisOneTimeStoreTests(redis), IClassFixture<OneRedisServer>;

public sealed class RedisOneTimeStoreTestsOnCluster(RedisClusterServers redis) : RedisOneTimeStoreTests(redis), IClassFixture<RedisClusterServers>;
