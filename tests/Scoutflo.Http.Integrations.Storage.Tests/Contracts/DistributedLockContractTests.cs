using Microsoft.Extensions.Time.Testing;
using Scoutflo.Http.Integrations.TestSupport;

namespace Scoutflo.Http.Integrations.Storage.Tests.Contracts;

/// <summary>
/// What every <see cref="IDistributedLock"/> does (the refresh lock): one holder per key, a
/// release lets the next one in (a waiter too, without the clock moving), a released handle
/// extends nothing and releases nothing twice. Each implementation runs it through a subclass
/// (in memory, Redis on one server and on a cluster); leases that run out on the server,
/// backoff, announcements across processes and outages are tested beside the Redis lock.
/// </summary>
public abstract class DistributedLockContractTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    /// <summary>The clock the lock is built with; it never moves here, so a waiter can only be woken by a release.</summary>
    private protected TestClock Time { get; } = new();

    /// <summary>A lock of the implementation under test, on <paramref name="time"/>.</summary>
    protected abstract IDistributedLock CreateLock(FakeTimeProvider time);

    /// <summary>A key in the contract format nobody else uses.</summary>
    protected virtual string NewKey() => $"integration:jira:{Guid.NewGuid().ToString("N")[..24]}:app_user:acct-1:refresh_lock";

    [Fact]
    public async Task TryAcquireAsync_FreeKey_ReturnsAHandleForTheKey()
    {
        var locks = CreateLock(Time);
        var key = NewKey();

        await using var handle = await locks.TryAcquireAsync(key, Lease, TimeSpan.Zero);

        Assert.NotNull(handle);
        Assert.Equal(key, handle.Key);
    }

    [Fact]
    public async Task TryAcquireAsync_HeldKeyWithoutWaiting_ReturnsNull()
    {
        var locks = CreateLock(Time);
        var key = NewKey();
        await using var holder = await locks.TryAcquireAsync(key, Lease, TimeSpan.Zero);

        var second = await locks.TryAcquireAsync(key, Lease, TimeSpan.Zero);

        Assert.NotNull(holder);
        Assert.Null(second);
    }

    [Fact]
    public async Task TryAcquireAsync_OtherKey_IsNotHeldByTheFirst()
    {
        var locks = CreateLock(Time);
        await using var first = await locks.TryAcquireAsync(NewKey(), Lease, TimeSpan.Zero);

        await using var other = await locks.TryAcquireAsync(NewKey(), Lease, TimeSpan.Zero);

        Assert.NotNull(first);
        Assert.NotNull(other);
    }

    [Fact]
    public async Task DisposeAsync_Holder_ReleasesTheLock()
    {
        var locks = CreateLock(Time);
        var key = NewKey();
        var handle = await locks.TryAcquireAsync(key, Lease, TimeSpan.Zero);
        Assert.NotNull(handle);

        await handle.DisposeAsync();
        await using var next = await locks.TryAcquireAsync(key, Lease, TimeSpan.Zero);

        Assert.NotNull(next);
    }

    [Fact]
    public async Task DisposeAsync_Twice_DoesNotReleaseTheNextHolder()
    {
        var locks = CreateLock(Time);
        var key = NewKey();
        var first = (await locks.TryAcquireAsync(key, Lease, TimeSpan.Zero))!;
        await first.DisposeAsync();
        await using var second = await locks.TryAcquireAsync(key, Lease, TimeSpan.Zero);

        await first.DisposeAsync();

        Assert.NotNull(second);
        Assert.Null(await locks.TryAcquireAsync(key, Lease, TimeSpan.Zero));
    }

    [Fact]
    public async Task TryExtendAsync_WhileHeld_True_AfterRelease_False_AndTheNextHolderIsUnaffected()
    {
        var locks = CreateLock(Time);
        var key = NewKey();
        var first = (await locks.TryAcquireAsync(key, Lease, TimeSpan.Zero))!;

        Assert.True(await first.TryExtendAsync(Lease));
        Assert.Null(await locks.TryAcquireAsync(key, Lease, TimeSpan.Zero));
        await first.DisposeAsync();
        await using var second = await locks.TryAcquireAsync(key, Lease, TimeSpan.Zero);

        Assert.False(await first.TryExtendAsync(Lease));
        Assert.NotNull(second);
        Assert.True(await second.TryExtendAsync(Lease));
    }

    [Fact]
    public async Task TryAcquireAsync_HolderReleasesWhileWaiting_WaiterGetsTheLockWithoutTimeMoving()
    {
        var locks = CreateLock(Time);
        var key = NewKey();
        var holder = await locks.TryAcquireAsync(key, Lease, TimeSpan.Zero);
        Assert.NotNull(holder);

        var waiter = locks.TryAcquireAsync(key, Lease, TimeSpan.FromSeconds(10)).AsTask();
        await holder.DisposeAsync();
        await using var acquired = await Signal.WaitAsync(waiter, "the waiter woken by the release");

        Assert.NotNull(acquired);
        Assert.Equal(TestClock.DefaultStart, Time.GetUtcNow());
        Assert.Null(await locks.TryAcquireAsync(key, Lease, TimeSpan.Zero));
    }

    [Fact]
    public async Task TryAcquireAsync_TwentyConcurrentCallers_ExactlyOneHolds()
    {
        var locks = CreateLock(Time);
        var key = NewKey();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var callers = Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            await start.Task;
            return await locks.TryAcquireAsync(key, Lease, TimeSpan.Zero);
        })).ToList();
        start.SetResult();
        var handles = await Task.WhenAll(callers);

        var holder = Assert.Single(handles, h => h is not null);
        await holder!.DisposeAsync();
    }
}
