namespace Scoutflo.Http.Integrations.Tests.TestSupport;

/// <summary>Counts reads of the decorated store, to tell a cached resolution (or a skipped look-up) from a store hit.</summary>
internal sealed class CountingIntegrationStore(IIntegrationStore inner) : IIntegrationStore
{
    private int _gets;
    private int _finds;

    public int Gets => Volatile.Read(ref _gets);

    public int Finds => Volatile.Read(ref _finds);

    /// <summary>The account of every <see cref="FindByAccountAsync"/>, in order.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> FoundAccounts { get; } = new();

    public Task<Integration?> GetAsync(string integrationId, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _gets);
        return inner.GetAsync(integrationId, cancellationToken);
    }

    public Task<IReadOnlyList<Integration>> FindByAccountAsync(string accountId, IReadOnlyCollection<string>? providers = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _finds);
        FoundAccounts.Enqueue(accountId);
        return inner.FindByAccountAsync(accountId, providers, cancellationToken);
    }

    public Task<Integration> InsertAsync(Integration integration, CancellationToken cancellationToken = default) =>
        inner.InsertAsync(integration, cancellationToken);

    public Task<Integration> UpdateAsync(Integration integration, int expectedVersion, CancellationToken cancellationToken = default) =>
        inner.UpdateAsync(integration, expectedVersion, cancellationToken);

    public Task<IReadOnlyList<Integration>> FindStaleOAuthAsync(DateTimeOffset updatedBefore, int limit, string? afterId = null, CancellationToken cancellationToken = default) =>
        inner.FindStaleOAuthAsync(updatedBefore, limit, afterId, cancellationToken);

    public Task<bool> DeleteAsync(string integrationId, CancellationToken cancellationToken = default) =>
        inner.DeleteAsync(integrationId, cancellationToken);
}
