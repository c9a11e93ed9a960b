using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Scoutflo.Http.Integrations.Redis.Internal;

namespace Scoutflo.Http.Integrations.Storage.Tests.Redis;

/// <summary>The adapter against one server and against a three-master cluster (the derived classes below).</summary>
public abstract class RedisTokenCacheTests(RedisFixture redis)
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task SetAsync_Token_StoresThePlainValueAtTheExactKeyWithItsTtl()
    {
        var cache = NewCache();
        var key = redis.Key();

        await cache.SetAsync(key, "eyJ.access.token", TimeSpan.FromMinutes(10));

        Assert.Equal("eyJ.access.token", (string?)await redis.Check.StringGetAsync(key));
        var ttl = await redis.Check.KeyTimeToLiveAsync(key);
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(10));
    }

    [Fact]
    public async Task GetAsync_TokenCachedByAnotherProcess_ReturnsItWithItsExpiry()
    {
        var cache = NewCache();
        var key = redis.Key();
        await redis.Check.StringSetAsync(key, "token-from-sdk", TimeSpan.FromSeconds(120));

        var cached = await cache.GetAsync(key);

        Assert.NotNull(cached);
        Assert.Equal("token-from-sdk", cached.Value.Token);
        Assert.InRange(cached.Value.ExpiresAt, _time.GetUtcNow().AddSeconds(115), _time.GetUtcNow().AddSeconds(120));
    }

    [Fact]
    public async Task GetAsync_KeyWithoutTtl_IsAMiss()
    {
        var cache = NewCache();
        var key = redis.Key();
        await redis.Check.StringSetAsync(key, "forever");

        Assert.Null(await cache.GetAsync(key));
    }

    [Fact]
    public async Task SetAsync_NonPositiveTtl_StoresNothing()
    {
        var cache = NewCache();
        var key = redis.Key();

        await cache.SetAsync(key, "t", TimeSpan.Zero);
        await cache.SetAsync(key, "t", TimeSpan.FromSeconds(-1));

        Assert.False(await redis.Check.KeyExistsAsync(key));
    }

    [Fact]
    public async Task GetSetRemoveIf_RedisUnreachable_DegradeWithoutThrowing()
    {
        await using var connection = UnreachableRedis.CreateConnection();
        var cache = new RedisTokenCache(connection, _time, NullLogger<RedisTokenCache>.Instance);

        var cached = await cache.GetAsync("integration:jira:x:app_user:a:access_token");
        await cache.SetAsync("integration:jira:x:app_user:a:access_token", "t", TimeSpan.FromMinutes(1));
        var removed = await cache.RemoveIfAsync("integration:jira:x:app_user:a:access_token", "t");

        Assert.Null(cached);
        Assert.False(removed);
    }

    [Fact]
    public async Task GetAsync_RedisUnreachableForABurst_LogsOncePerQuietPeriod()
    {
        await using var connection = UnreachableRedis.CreateConnection();
        var logger = new FakeLogger<RedisTokenCache>();
        var cache = new RedisTokenCache(connection, _time, logger);

        for (var i = 0; i < 3; i++)
        {
            await cache.GetAsync("integration:jira:x:app_user:a:access_token");
        }

        var afterBurst = logger.Collector.GetSnapshot().Count(r => r.Id.Id == 3020);
        _time.Advance(TimeSpan.FromSeconds(31));
        await cache.GetAsync("integration:jira:x:app_user:a:access_token");
        var records = logger.Collector.GetSnapshot().Where(r => r.Id.Id == 3020).ToList();

        Assert.Equal(1, afterBurst);
        Assert.Equal(2, records.Count);
        Assert.All(records, r => Assert.Equal(LogLevel.Warning, r.Level));
        Assert.All(records, r => Assert.NotNull(r.Exception));
    }

    private RedisTokenCache NewCache() => new(redis.Connection, _time, NullLogger<RedisTokenCache>.Instance);
}

public sealed class RedisTokenCacheTestsOnOneServer(OneRedisServer redis) : RedisTokenCacheTests(redis), IClassFixture<OneRedisServer>;

public sealed class RedisTokenCacheTestsOnCluster(RedisClusterServers redis) : RedisTokenCacheTests(redis), IClassFixture<RedisClusterServers>;
