using Scoutflo.Http.Integrations.Caching.Internal;

namespace Scoutflo.Http.Integrations.Connections.Internal;

/// <summary>
/// The in-process cache of resolved connections, shared by the connection manager (which fills
/// it) and the OAuth refresh path (which empties it when a connection needs re-authorisation).
/// Bounded (<see cref="ScoutfloIntegrationsOptions.ConnectionCacheSizeLimit"/>) and expiring
/// (<see cref="ScoutfloIntegrationsOptions.ConnectionCacheDuration"/>); a resolved connection
/// also holds its level-1 access token, so dropping it drops that too. Every invalidation is
/// announced to the other processes, and theirs are applied here.
/// </summary>
internal sealed class ResolvedConnectionCache
{
    private readonly IOptionsMonitor<ScoutfloIntegrationsOptions> _options;
    private readonly IConnectionInvalidations _invalidations;
    private readonly BoundedExpiringCache<ResolvedConnection> _entries;

    // Bumped by every invalidation, so that a resolution that read the store before a change
    // is not cached after it.
    private long _generation;

    public ResolvedConnectionCache(IOptionsMonitor<ScoutfloIntegrationsOptions> options, TimeProvider timeProvider, IConnectionInvalidations invalidations)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(invalidations);
        _options = options;
        _invalidations = invalidations;
        _entries = new BoundedExpiringCache<ResolvedConnection>(
            timeProvider,
            () => options.CurrentValue.ConnectionCacheSizeLimit,
            () => options.CurrentValue.ConnectionCacheDuration);
        invalidations.Subscribe(ApplyRemote);
    }

    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>How many resolved connections are held (expired ones not yet swept included).</summary>
    public int Count => _entries.Count;

    public bool TryGet(string integrationId, out ResolvedConnection connection) => _entries.TryGet(integrationId, out connection);

    /// <summary>Caches a resolution made from a store read that started at <paramref name="generation"/>.</summary>
    public void Set(ResolvedConnection connection, long generation)
    {
        if (Generation != generation)
        {
            return;
        }

        _entries.Set(connection.IntegrationId, connection, _options.CurrentValue.ConnectionCacheDuration);
    }

    /// <summary>Forgets a connection here and tells the other processes to forget it too.</summary>
    public void Invalidate(string integrationId)
    {
        InvalidateHere(integrationId);
        _invalidations.Publish(integrationId);
    }

    private void ApplyRemote(string? integrationId)
    {
        if (integrationId is null)
        {
            Interlocked.Increment(ref _generation);
            _entries.Clear();
            return;
        }

        InvalidateHere(integrationId);
    }

    private void InvalidateHere(string integrationId)
    {
        Interlocked.Increment(ref _generation);
        _entries.TryRemove(integrationId);
    }
}
