using Microsoft.Extensions.Time.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Scoutflo.Http.Integrations.Redis.Internal;
using Scoutflo.Http.Integrations.TestSupport;

namespace Scoutflo.Http.Integrations.Storage.Tests.Redis;

/// <summary>The adapter against one server and against a three-master cluster (the derived classes below).</summary>
public abstract class RedisDistributedLockTests(RedisFixture redis)
{
    private readonly TestClock _time = new();

    [Fact]
    public async Task TryAcquireAsync_FreeKey_StoresItsOwnerAtTheExactKeyWithTheLease()
    {
        var redisLock = NewLock(_time);
        var key = redis.Key("refresh_lock");

        await using var handle = await redisLock.TryAcquireAsync(key, TimeSpan.FromSeconds(30), TimeSpan.Zero);

        var held = Assert.IsType<RedisDistributedLock.Handle>(handle);
        Assert.Equal(key, held.Key);
        Assert.Equal(held.OwnerToken, (string?)await redis.Check.StringGetAsync(key));
        var ttl = await redis.Check.KeyTimeToLiveAsync(key);
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromSeconds(25), TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task DisposeAsync_HandleOfAnotherOwner_DoesNotRelease()
    {
        var redisLock = NewLock(_time);
        var key = redis.Key("refresh_lock");
        await using var holder = await redisLock.TryAcquireAsync(key, TimeSpan.FromSeconds(30), TimeSpan.Zero);
        var held = Assert.IsType<RedisDistributedLock.Handle>(holder);

        await new RedisDistributedLock.Handle(redisLock, key, "another-owner").DisposeAsync();

        Assert.Equal(held.OwnerToken, (string?)await redis.Check.StringGetAsync(key));
        Assert.Null(await redisLock.TryAcquireAsync(key, TimeSpan.FromSeconds(30), TimeSpan.Zero));
    }

    [Fact]
    public async Task TryAcquireAsync_HolderDiedAndLeaseRanOut_WaiterGetsItAtItsNextBackoffAndFirstCannotRelease()
    {
        var redisLock = NewLock(_time);
        var key = redis.Key("refresh_lock");
        var dead = await redisLock.TryAcquireAsync(key, TimeSpan.FromSeconds(30), TimeSpan.Zero);
        Assert.NotNull(dead);
        var waiter = redisLock.TryAcquireAsync(key, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(10)).AsTask();
        await FirstBackoffAsync(waiter);

        // The lease runs out on the server (no release, so no announcement): the key is gone.
        await redis.Check.KeyDeleteAsync(key);
        _time.Advance(RedisDistributedLock.FirstBackoff);
        await using var second = await Signal.WaitAsync(waiter, "the waiter's retry after its backoff");
        await dead.DisposeAsync();

        var held = Assert.IsType<RedisDistributedLock.Handle>(second);
        Assert.Equal(held.OwnerToken, (string?)await redis.Check.StringGetAsync(key));
    }

    [Fact]
    public async Task TryAcquireAsync_HeldLongerThanTheWait_ReturnsNullAfterTheWaitWithoutSpinning()
    {
        var redisLock = NewLock(_time);
        var key = redis.Key("refresh_lock");
        await using var holder = await redisLock.TryAcquireAsync(key, TimeSpan.FromSeconds(30), TimeSpan.Zero);
        Assert.NotNull(holder);
        var started = _time.GetUtcNow();

        var waiter = redisLock.TryAcquireAsync(key, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(2)).AsTask();

        // Without time passing, the waiter sleeps on one timer: it neither spins nor gives up.
        await FirstBackoffAsync(waiter);
        Assert.False(waiter.IsCompleted);
        for (var timers = 2; !waiter.IsCompleted; timers++)
        {
            _time.Advance(RedisDistributedLock.MaxBackoff);
            await Signal.WaitAsync(Task.WhenAny(waiter, _time.TimersCreated(timers)), "the waiter's next backoff or its end");
            Assert.True(timers < 20, "the waiter kept waiting past its wait");
        }

        Assert.Null(await waiter);
        Assert.True(_time.GetUtcNow() - started >= TimeSpan.FromSeconds(2));
        Assert.True(_time.GetUtcNow() - started < TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task TryAcquireAsync_HolderReleasesWhileWaiting_WaiterGetsTheLockWithoutTimeMoving()
    {
        var redisLock = NewLock(_time);
        var key = redis.Key("refresh_lock");
        var holder = await redisLock.TryAcquireAsync(key, TimeSpan.FromSeconds(30), TimeSpan.Zero);
        Assert.NotNull(holder);

        var waiter = redisLock.TryAcquireAsync(key, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(10)).AsTask();
        await FirstBackoffAsync(waiter);
        var before = _time.GetUtcNow();
        await holder.DisposeAsync();
        await using var acquired = await Signal.WaitAsync(waiter, "the waiter woken by the release");

        var held = Assert.IsType<RedisDistributedLock.Handle>(acquired);
        Assert.Equal(held.OwnerToken, (string?)await redis.Check.StringGetAsync(key));
        Assert.Equal(before, _time.GetUtcNow());
    }

    [Fact]
    public async Task TryAcquireAsync_HolderInAnotherProcessReleases_WaiterIsWokenByTheAnnouncementNotByTime()
    {
        // Two processes: separate connections, separate locks, separate clocks that never move.
        await using var otherConnection = new RedisConnection(redis.Options());
        var otherTime = new TestClock();
        var holderLock = new RedisDistributedLock(otherConnection, otherTime, NullLogger<RedisDistributedLock>.Instance);
        var waiterLock = NewLock(_time);
        var key = redis.Key("refresh_lock");
        var holder = await holderLock.TryAcquireAsync(key, TimeSpan.FromSeconds(30), TimeSpan.Zero);
        Assert.NotNull(holder);

        var waiter = waiterLock.TryAcquireAsync(key, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(10)).AsTask();
        await FirstBackoffAsync(waiter);
        await holder.DisposeAsync();
        await using var acquired = await Signal.WaitAsync(waiter, "the waiter woken by the other process's release");

        var held = Assert.IsType<RedisDistributedLock.Handle>(acquired);
        Assert.Equal(held.OwnerToken, (string?)await redis.Check.StringGetAsync(key));
        Assert.Equal(TestClock.DefaultStart, _time.GetUtcNow());
        Assert.Equal(1, _time.TimersCreatedCount);
    }

    [Fact]
    public async Task TryExtendAsync_Holder_ResetsTheLeaseUntilReleased()
    {
        var redisLock = NewLock(_time);
        var key = redis.Key("refresh_lock");
        var handle = Assert.IsType<RedisDistributedLock.Handle>(await redisLock.TryAcquireAsync(key, TimeSpan.FromSeconds(5), TimeSpan.Zero));

        var extended = await handle.TryExtendAsync(TimeSpan.FromMinutes(2));
        var ttl = await redis.Check.KeyTimeToLiveAsync(key);
        await handle.DisposeAsync();
        var afterRelease = await handle.TryExtendAsync(TimeSpan.FromMinutes(2));

        Assert.True(extended);
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromSeconds(100), TimeSpan.FromMinutes(2));
        Assert.False(afterRelease);
        Assert.False(await redis.Check.KeyExistsAsync(key));
    }

    [Fact]
    public async Task TryExtendAsync_ThroughThePublicContract_ExtendsOnlyWhileTheLockIsThisHolders()
    {
        IDistributedLock redisLock = NewLock(_time);
        var key = redis.Key("refresh_lock");
        var handle = (await redisLock.TryAcquireAsync(key, TimeSpan.FromSeconds(5), TimeSpan.Zero))!;

        Assert.True(await handle.TryExtendAsync(TimeSpan.FromMinutes(2)));
        Assert.InRange((await redis.Check.KeyTimeToLiveAsync(key))!.Value, TimeSpan.FromSeconds(100), TimeSpan.FromMinutes(2));

        // The lease ran out and another process took the lock: not this holder's any more.
        await redis.Check.StringSetAsync(key, "next-holder", TimeSpan.FromSeconds(20));
        Assert.False(await handle.TryExtendAsync(TimeSpan.FromMinutes(2)));
        Assert.True((await redis.Check.KeyTimeToLiveAsync(key))!.Value <= TimeSpan.FromSeconds(20));
        await handle.DisposeAsync();
        Assert.Equal("next-holder", (string?)await redis.Check.StringGetAsync(key));
    }

    [Fact]
    public async Task TryExtendAsync_LockTakenOverByAnotherOwner_ReturnsFalseAndLeavesItsLease()
    {
        var redisLock = NewLock(_time);
        var key = redis.Key("refresh_lock");
        await redis.Check.StringSetAsync(key, "another-owner", TimeSpan.FromSeconds(20));

        var extended = await new RedisDistributedLock.Handle(redisLock, key, "former-owner").TryExtendAsync(TimeSpan.FromMinutes(5));

        Assert.False(extended);
        var ttl = await redis.Check.KeyTimeToLiveAsync(key);
        Assert.NotNull(ttl);
        Assert.True(ttl.Value <= TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task TryAcquireAsync_RedisUnreachable_ThrowsLockUnavailable()
    {
        await using var connection = UnreachableRedis.CreateConnection();
        var redisLock = new RedisDistributedLock(connection, _time, NullLogger<RedisDistributedLock>.Instance);

        var error = await Assert.ThrowsAsync<IntegrationException>(
            async () => await redisLock.TryAcquireAsync("integration:jira:x:app_user:a:refresh_lock", TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(5)));

        Assert.Equal(IntegrationErrorCodes.LockUnavailable, error.ErrorCode);
        Assert.NotNull(error.InnerException);
    }

    [Fact(Timeout = 30_000)]
    public async Task TryAcquireAsync_RedisNeverAnswers_FailsWithLockUnavailableWhenTheOperationTimeoutRunsOut()
    {
        var time = new FakeTimeProvider();
        var (connection, server) = UnreachableRedis.CreateSilent(time, TimeSpan.FromSeconds(2));
        using var _ = server;
        await using var __ = connection;
        var redisLock = new RedisDistributedLock(connection, time, NullLogger<RedisDistributedLock>.Instance);

        var pending = redisLock.TryAcquireAsync("integration:jira:x:app_user:a:refresh_lock", TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30)).AsTask();
        Assert.False(pending.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(2));

        var error = await Assert.ThrowsAsync<IntegrationException>(() => pending);
        Assert.Equal(IntegrationErrorCodes.LockUnavailable, error.ErrorCode);
        var inner = Assert.IsType<TimeoutException>(error.InnerException);
        Assert.Contains("2000 ms", inner.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(RedisIntegrationsOptions.OperationTimeout), inner.Message, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1:", error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Waits until the waiter sleeps on its first backoff. A waiter that ended before (a failed
    /// attempt, a lock it should not have got) fails the test with its own outcome, not a hang.
    /// </summary>
    private async Task FirstBackoffAsync(Task<IDistributedLockHandle?> waiter)
    {
        await Signal.WaitAsync(Task.WhenAny(waiter, _time.TimersCreated(1)), "the waiter's first backoff");
        if (waiter.IsCompleted)
        {
            var outcome = await waiter;
            Assert.Fail($"The waiter ended before its first backoff, with {(outcome is null ? "no lock" : "the lock")}.");
        }
    }

    private RedisDistributedLock NewLock(TimeProvider time) => new(redis.Connection, time, NullLogger<RedisDistributedLock>.Instance);
}

public sealed class RedisDistributedLockTestsOnOneServer(OneRedisServer redis) : RedisDistributedLockTests(redis), IClassFixture<OneRedisServer>;

public sealed class RedisDistributedLockTestsOnCluster(RedisClusterServers redis) : RedisDistributedLockTests(redis), IClassFixture<RedisClusterServers>;
