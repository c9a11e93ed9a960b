using Scoutflo.Http.Integrations.OAuth.Internal;

namespace Scoutflo.Http.Integrations.Storage.InMemory;

/// <summary>The embedded default one-time store (state nonces, site-selection handles).</summary>
internal sealed class InMemoryOneTimeStore(TimeProvider timeProvider) : IOneTimeStore, IProcessLocalStore
{
    private readonly ConcurrentDictionary<string, (string Value, DateTimeOffset ExpiresAt)> _entries = new(StringComparer.Ordinal);

    public ValueTask<bool> TryAddAsync(string key, string value, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        var now = timeProvider.GetUtcNow();
        var entry = (value, now + timeToLive);
        while (true)
        {
            if (_entries.TryAdd(key, entry))
            {
                return ValueTask.FromResult(true);
            }

            // An expired entry does not hold the key: replace it, unless someone else just did.
            if (_entries.TryGetValue(key, out var existing) && existing.ExpiresAt > now)
            {
                return ValueTask.FromResult(false);
            }

            _entries.TryRemove(new KeyValuePair<string, (string, DateTimeOffset)>(key, existing));
        }
    }

    public ValueTask<string?> PeekAsync(string key, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_entries.TryGetValue(key, out var entry) && entry.ExpiresAt > timeProvider.GetUtcNow()
            ? entry.Value
            : null);

    public ValueTask<string?> TakeAsync(string key, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_entries.TryRemove(key, out var entry) && entry.ExpiresAt > timeProvider.GetUtcNow()
            ? entry.Value
            : null);
}
