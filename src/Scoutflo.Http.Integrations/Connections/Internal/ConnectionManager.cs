using Scoutflo.Http.Integrations.Telemetry;

namespace Scoutflo.Http.Integrations.Connections.Internal;

/// <summary>
/// The public CRUD over the store. Resolution is <see cref="IConnectionResolver"/>'s (this only
/// delegates to it), and what other features keep about a connection (OAuth's cached tokens)
/// they drop themselves, told through <see cref="IConnectionDeletionObserver"/>.
/// </summary>
internal sealed class ConnectionManager(
    IIntegrationStore store,
    IConnectionResolver resolver,
    ResolvedConnectionCache cache,
    IEnumerable<IConnectionDeletionObserver> deletions,
    ILogger<ConnectionManager> logger) : IConnectionManager
{
    private readonly IIntegrationStore _store = store;
    private readonly ILogger _logger = logger;
    private readonly IConnectionDeletionObserver[] _deletions = [.. deletions];

    public async Task<Integration> CreateConnectionAsync(Integration integration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(integration);
        resolver.Validate(integration);
        var stored = await _store.InsertAsync(integration, cancellationToken).ConfigureAwait(false);
        Log.ConnectionCreated(_logger, stored.Id, stored.Provider, stored.AuthType);
        return stored;
    }

    public Task<Integration?> GetConnectionAsync(string integrationId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(integrationId);
        return _store.GetAsync(integrationId, cancellationToken);
    }

    public Task<IReadOnlyList<Integration>> ListConnectionsAsync(string accountId, IReadOnlyCollection<string>? providers = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        return _store.FindByAccountAsync(accountId, providers, cancellationToken);
    }

    public async Task<Integration> UpdateConnectionAsync(Integration integration, int expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(integration);
        ArgumentException.ThrowIfNullOrEmpty(integration.Id, nameof(integration));
        resolver.Validate(integration);
        try
        {
            return await _store.UpdateAsync(integration, expectedVersion, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Invalidate(integration.Id);
        }
    }

    public ValueTask<ResolvedConnection> ResolveConnectionAsync(string integrationId, CancellationToken cancellationToken = default) =>
        resolver.ResolveAsync(integrationId, cancellationToken);

    public async Task<bool> DeleteConnectionAsync(string integrationId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(integrationId);
        try
        {
            var record = await _store.GetAsync(integrationId, cancellationToken).ConfigureAwait(false);
            var deleted = await _store.DeleteAsync(integrationId, cancellationToken).ConfigureAwait(false);
            if (deleted)
            {
                Log.ConnectionDeleted(_logger, integrationId);
                if (record is not null)
                {
                    foreach (var observer in _deletions)
                    {
                        await observer.OnDeletedAsync(record, cancellationToken).ConfigureAwait(false);
                    }
                }
            }

            return deleted;
        }
        finally
        {
            Invalidate(integrationId);
        }
    }

    public void Invalidate(string integrationId)
    {
        ArgumentException.ThrowIfNullOrEmpty(integrationId);
        cache.Invalidate(integrationId);
    }
}
