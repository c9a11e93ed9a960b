using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Scoutflo.Http.Integrations.Storage.Redis;

namespace Scoutflo.Http.Integrations.Storage.Tests.Storage.Redis;

public sealed class RedisDistributedLockTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

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
    public async Task DisposeAsync_Holder_ReleasesTheLock()
    {
        var redisLock = NewLock(_time);
        var key = redis.Key("refresh_lock");
        var handle = await redisLock.TryAcquireAsync(key, TimeSpan.FromSeconds(30), TimeSpan.Zero);
        Assert.NotNull(handle);

        await handle.DisposeAsync();
        await using var next = await redisLock.TryAcquireAsync(key, TimeSpan.FromSeconds(30), TimeSpan.Zero);

        Assert.NotNull(next);
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
    public async Task TryAcquireAsync_HolderDiedAndLeaseRanOut_SecondAcquirerGetsItAndFirstCannotRelease()
    {
        // Real time: the lease runs out on the server's clock.
        var redisLock = NewLock(TimeProvider.System);
        var key = redis.Key("refresh_lock");
        var dead = await redisLock.TryAcquireAsync(key, TimeSpan.FromMilliseconds(300), TimeSpan.Zero);
        Assert.NotNull(dead);

        var stopwatch = Stopwatch.StartNew();
        await using var second = await redisLock.TryAcquireAsync(key, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(3));
        stopwatch.Stop();
        await dead.DisposeAsync();

        var held = Assert.IsType<RedisDistributedLock.Handle>(second);
        Assert.InRange(stopwatch.Elapsed, TimeSpan.FromMilliseconds(150), TimeSpan.FromSeconds(2));
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

        // Without time passing, the waiter sleeps: it neither spins to its deadline nor gives up.
        await Task.Delay(200);
        Assert.False(waiter.IsCompleted);
        var result = await AdvanceUntilDoneAsync(waiter);

        Assert.Null(result);
        Assert.True(_time.GetUtcNow() - started >= TimeSpan.FromSeconds(2));
        Assert.True(_time.GetUtcNow() - started < TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task TryAcquireAsync_HolderReleasesWhileWaiting_WaiterGetsTheLock()
    {
        var redisLock = NewLock(_time);
        var key = redis.Key("refresh_lock");
        var holder = await redisLock.TryAcquireAsync(key, TimeSpan.FromSeconds(30), TimeSpan.Zero);
        Assert.NotNull(holder);

        var waiter = redisLock.TryAcquireAsync(key, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(10)).AsTask();
        await holder.DisposeAsync();
        await using var acquired = await AdvanceUntilDoneAsync(waiter);

        var held = Assert.IsType<RedisDistributedLock.Handle>(acquired);
        Assert.Equal(held.OwnerToken, (string?)await redis.Check.StringGetAsync(key));
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

    private RedisDistributedLock NewLock(TimeProvider time) => new(redis.Connection, time, NullLogger<RedisDistributedLock>.Instance);

    /// <summary>Moves fake time on in small steps, letting the real Redis round trips in between run.</summary>
    private async Task<T> AdvanceUntilDoneAsync<T>(Task<T> task)
    {
        var realDeadline = Stopwatch.StartNew();
        while (!task.IsCompleted)
        {
            Assert.True(realDeadline.Elapsed < TimeSpan.FromSeconds(10), "the waiter did not finish");
            _time.Advance(TimeSpan.FromMilliseconds(50));
            await Task.Delay(5);
        }

        return await task;
    }
}
