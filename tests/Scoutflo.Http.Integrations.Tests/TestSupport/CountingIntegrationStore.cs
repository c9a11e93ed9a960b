namespace Scoutflo.Http.Integrations.Tests.TestSupport;

/// <summary>Counts reads of the decorated store, to tell a cached resolution from a store hit.</summary>
internal sealed class CountingIntegrationStore(IIntegrationStore inner) : IIntegrationStore
{
    private int _gets;

    public int Gets => Volatile.Read(ref _gets);

    public Task<Integration?> GetAsync(string integrationId, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _gets);
        return inner.GetAsync(integrationId, cancellationToken);
    }

    public Task<IReadOnlyList<Integration>> FindByAccountAsync(string accountId, IReadOnlyCollection<string>? providers = null, CancellationToken cancellationToken = default) =>
        inner.FindByAccountAsync(accountId, providers, cancellationToken);

    public Task<Integration> InsertAsync(Integration integration, CancellationToken cancellationToken = default) =>
        inner.InsertAsync(integration, cancellationToken);

    public Task<Integration> UpdateAsync(Integration integration, int expectedVersion, CancellationToken cancellationToken = default) =>
        inner.UpdateAsync(integration, expectedVersion, cancellationToken);

    public Task<bool> DeleteAsync(string integrationId, CancellationToken cancellationToken = default) =>
        inner.DeleteAsync(integrationId, cancellationToken);
}
