using System.Collections.Concurrent;
using Scoutflo.Http.Integrations.Storage.InMemory;

namespace Scoutflo.Http.Integrations.Tests.TestSupport;

/// <summary>The in-memory lock, remembering which keys were taken, in order.</summary>
internal sealed class RecordingLock : IDistributedLock
{
    private readonly IDistributedLock _inner = new InMemoryDistributedLock();

    public ConcurrentQueue<string> Acquired { get; } = new();

    public async ValueTask<IDistributedLockHandle?> TryAcquireAsync(string key, TimeSpan lease, TimeSpan wait, CancellationToken cancellationToken = default)
    {
        var handle = await _inner.TryAcquireAsync(key, lease, wait, cancellationToken);
        if (handle is not null)
        {
            Acquired.Enqueue(key);
        }

        return handle;
    }
}
