using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Scoutflo.Http.Integrations.Redis.Internal;
using Scoutflo.Http.Integrations.Storage.Tests.Contracts;

namespace Scoutflo.Http.Integrations.Storage.Tests.Redis;

// The storage contracts against one Redis server and against a three-master cluster; keys
// carry the fixture's prefix, so that classes running in parallel never meet.

public sealed class RedisTokenCacheContractTestsOnOneServer(OneRedisServer redis) : TokenCacheContractTests, IClassFixture<OneRedisServer>
{
    protected override ITokenCache CreateCache() => new RedisTokenCache(redis.Connection, Time, NullLogger<RedisTokenCache>.Instance);

    protected override string NewKey() => redis.Key();
}

public sealed class RedisTokenCacheContractTestsOnCluster(RedisClusterServers redis) : TokenCacheContractTests, IClassFixture<RedisClusterServers>
{
    protected override ITokenCache CreateCache() => new RedisTokenCache(redis.Connection, Time, NullLogger<RedisTokenCache>.Instance);

    protected override string NewKey() => redis.Key();
}

public sealed class RedisDistributedLockContractTestsOnOneServer(OneRedisServer redis) : DistributedLockContractTests, IClassFixture<OneRedisServer>
{
    protected override IDistributedLock CreateLock(FakeTimeProvider time) => new RedisDistributedLock(redis.Connection, time, NullLogger<RedisDistributedLock>.Instance);

    protected override string NewKey() => redis.Key("refresh_lock");
}

public sealed class RedisDistributedLockContractTestsOnCluster(RedisClusterServers redis) : DistributedLockContractTests, IClassFixture<RedisClusterServers>
{
    protected override IDistributedLock CreateLock(FakeTimeProvider time) => new RedisDistributedLock(redis.Connection, time, NullLogger<RedisDistributedLock>.Instance);

    protected override string NewKey() => redis.Key("refresh_lock");
}

public sealed class RedisOneTimeStoreContractTestsOnOneServer(OneRedisServer redis) : OneTimeStoreContractTests, IClassFixture<OneRedisServer>
{
    protected override IOneTimeStore CreateStore() => new RedisOneTimeStore(redis.Connection);

    protected override string NewKey(string suffix) => redis.Key(suffix);
}

public sealed class RedisOneTimeStoreContractTestsOnCluster(RedisClusterServers redis) : OneTimeStoreContractTests, IClassFixture<RedisClusterServers>
{
    protected override IOneTimeStore CreateStore() => new RedisOneTimeStore(redis.Connection);

    protected override string NewKey(string suffix) => redis.Key(suffix);
}
