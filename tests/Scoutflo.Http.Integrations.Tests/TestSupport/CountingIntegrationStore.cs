namespace Scoutflo.Http.Integrations.Tests.TestSupport;

/// <summary>
/// Counts reads of the decorated store, to tell a cached resolution (or a skipped look-up) from a
/// store hit; after <see cref="Hold"/>, reads also wait until <see cref="Release"/>, so that
/// callers can be made concurrent deterministically. The test may also hold the next account
/// read, fail account reads or updates (a store that is down), and look on as each update begins.
/// </summary>
internal sealed class CountingIntegrationStore(IIntegrationStore inner) : IIntegrationStore
{
    private Scoutflo.Http.Integrations.TestSupport.Hold? _hold;
    private Scoutflo.Http.Integrations.TestSupport.Hold? _nextAccountRead;
    private int _gets;
    private int _finds;

    /// <summary>Completes when the first read after <see cref="Hold"/> is waiting.</summary>
    public Task FirstHeldRead => (_hold ?? throw new InvalidOperationException("Call Hold() first.")).Reached;

    public void Hold() => _hold = new Scoutflo.Http.Integrations.TestSupport.Hold();

    public void Release() => _hold?.Release();

    public int Gets => Volatile.Read(ref _gets);

    public int Finds => Volatile.Read(ref _finds);

    /// <summary>The account of every <see cref="FindByAccountAsync"/>, in order.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> FoundAccounts { get; } = new();

    public async Task<Integration?> GetAsync(string integrationId, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _gets);
        if (_hold is { } hold)
        {
            await hold.WaitAsync(cancellationToken);
        }

        return await inner.GetAsync(integrationId, cancellationToken);
    }

    /// <summary>When set, every <see cref="FindByAccountAsync"/> fails with it (a store that is down).</summary>
    public Exception? FindFailure { get; set; }

    /// <summary>Holds the next <see cref="FindByAccountAsync"/> (only that one) until the returned hold is released.</summary>
    public Scoutflo.Http.Integrations.TestSupport.Hold HoldNextAccountRead() => _nextAccountRead = new Scoutflo.Http.Integrations.TestSupport.Hold();

    public async Task<IReadOnlyList<Integration>> FindByAccountAsync(string accountId, IReadOnlyCollection<string>? providers = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _finds);
        FoundAccounts.Enqueue(accountId);
        if (Interlocked.Exchange(ref _nextAccountRead, null) is { } hold)
        {
            await hold.WaitAsync(cancellationToken);
        }

        if (FindFailure is { } failure)
        {
            throw failure;
        }

        return await inner.FindByAccountAsync(accountId, providers, cancellationToken);
    }

    public Task<Integration> InsertAsync(Integration integration, CancellationToken cancellationToken = default) =>
        inner.InsertAsync(integration, cancellationToken);

    /// <summary>When set, every update fails with it (a store that is down).</summary>
    public Exception? UpdateFailure { get; set; }

    /// <summary>When set, runs before each update reaches the store (to look at the world as the write begins).</summary>
    public Func<Integration, Task>? BeforeUpdate { get; set; }

    public async Task<Integration> UpdateAsync(Integration integration, int expectedVersion, CancellationToken cancellationToken = default)
    {
        if (BeforeUpdate is { } before)
        {
            await before(integration);
        }

        return UpdateFailure is { } failure ? throw failure : await inner.UpdateAsync(integration, expectedVersion, cancellationToken);
    }

    public Task<IReadOnlyList<Integration>> FindStaleOAuthAsync(DateTimeOffset updatedBefore, int limit, string? afterId = null, CancellationToken cancellationToken = default) =>
        inner.FindStaleOAuthAsync(updatedBefore, limit, afterId, cancellationToken);

    public Task<bool> DeleteAsync(string integrationId, CancellationToken cancellationToken = default) =>
        inner.DeleteAsync(integrationId, cancellationToken);
}
