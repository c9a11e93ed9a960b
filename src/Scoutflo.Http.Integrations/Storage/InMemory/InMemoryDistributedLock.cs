namespace Scoutflo.Http.Integrations.Storage.InMemory;

/// <summary>
/// The embedded default lock: a semaphore per key. The holder lives in this process, so the
/// lease (which frees the lock of a dead holder in Redis) has nothing to guard here, and an
/// extend succeeds for as long as the handle has not been released.
/// </summary>
internal sealed class InMemoryDistributedLock : IDistributedLock
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);

    public async ValueTask<IDistributedLockHandle?> TryAcquireAsync(string key, TimeSpan lease, TimeSpan wait, CancellationToken cancellationToken = default)
    {
        var semaphore = _locks.GetOrAdd(key, static _ => new SemaphoreSlim(1, 1));
        return await semaphore.WaitAsync(wait, cancellationToken).ConfigureAwait(false)
            ? new Handle(key, semaphore)
            : null;
    }

    private sealed class Handle(string key, SemaphoreSlim semaphore) : IDistributedLockHandle
    {
        private int _released;

        public string Key => key;

        // No lease runs out in process: the lock is this holder's until it is released.
        public ValueTask<bool> TryExtendAsync(TimeSpan lease, CancellationToken cancellationToken = default)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(lease, TimeSpan.FromMilliseconds(1));
            cancellationToken.ThrowIfCancellationRequested();
            return ValueTask.FromResult(Volatile.Read(ref _released) == 0);
        }

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                semaphore.Release();
            }

            return ValueTask.CompletedTask;
        }
    }
}
