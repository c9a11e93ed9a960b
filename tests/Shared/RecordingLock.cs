using System.Collections.Concurrent;
using Scoutflo.Http.Integrations.Storage.InMemory;

namespace Scoutflo.Http.Integrations.TestSupport;

/// <summary>
/// A lock (the in-memory one unless another is given) that tells the test which keys were asked
/// for and which were taken, in order, and signals each key when it is first asked for.
/// </summary>
internal sealed class RecordingLock(IDistributedLock? inner = null) : IDistributedLock
{
    private readonly IDistributedLock _inner = inner ?? new InMemoryDistributedLock();
    private readonly TaskCompletionSource<string> _firstRequest = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _requested = new(StringComparer.Ordinal);

    /// <summary>The first key asked for.</summary>
    public Task<string> FirstRequest => _firstRequest.Task;

    /// <summary>Every key asked for, in order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>Every key taken, in order.</summary>
    public ConcurrentQueue<string> Acquired { get; } = new();

    /// <summary>Completes when <paramref name="key"/> is asked for (or was already).</summary>
    public Task Requested(string key) => RequestedSource(key).Task;

    public async ValueTask<IDistributedLockHandle?> TryAcquireAsync(string key, TimeSpan lease, TimeSpan wait, CancellationToken cancellationToken = default)
    {
        Requests.Enqueue(key);
        _firstRequest.TrySetResult(key);
        RequestedSource(key).TrySetResult();
        var handle = await _inner.TryAcquireAsync(key, lease, wait, cancellationToken);
        if (handle is not null)
        {
            Acquired.Enqueue(key);
        }

        return handle;
    }

    private TaskCompletionSource RequestedSource(string key) =>
        _requested.GetOrAdd(key, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}
