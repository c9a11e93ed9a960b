using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Scoutflo.Http.Integrations.Connections.Internal;

/// <summary>
/// The in-process cache of resolved connections, shared by the connection manager (which fills
/// it) and the OAuth refresh path (which empties it when a connection needs re-authorisation).
/// </summary>
internal sealed class ResolvedConnectionCache(IOptionsMonitor<ScoutfloIntegrationsOptions> options, TimeProvider timeProvider)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    // Bumped by every invalidation, so that a resolution that read the store before a change
    // is not cached after it.
    private long _generation;

    public long Generation => Interlocked.Read(ref _generation);

    public bool TryGet(string integrationId, out ResolvedConnection connection)
    {
        if (_entries.TryGetValue(integrationId, out var entry) && timeProvider.GetTimestamp() < entry.ExpiresAtTimestamp)
        {
            connection = entry.Connection;
            return true;
        }

        connection = null!;
        return false;
    }

    /// <summary>Caches a resolution made from a store read that started at <paramref name="generation"/>.</summary>
    public void Set(ResolvedConnection connection, long generation)
    {
        var duration = options.CurrentValue.ConnectionCacheDuration;
        if (duration <= TimeSpan.Zero || Generation != generation)
        {
            return;
        }

        var expiresAt = timeProvider.GetTimestamp() + (long)(duration.TotalSeconds * timeProvider.TimestampFrequency);
        _entries[connection.IntegrationId] = new Entry(connection, expiresAt);
    }

    public void Invalidate(string integrationId)
    {
        Interlocked.Increment(ref _generation);
        _entries.TryRemove(integrationId, out _);
    }

    private readonly record struct Entry(ResolvedConnection Connection, long ExpiresAtTimestamp);
}
