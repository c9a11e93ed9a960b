using System.Collections.Concurrent;

namespace Scoutflo.Http.Integrations.Storage.InMemory;

/// <summary>
/// The embedded default lock: a semaphore per key. The holder lives in this process, so the
/// lease (which frees the lock of a dead holder in Redis) has nothing to guard here.
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
