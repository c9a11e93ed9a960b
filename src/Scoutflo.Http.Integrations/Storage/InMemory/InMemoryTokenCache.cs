using System.Collections.Concurrent;

namespace Scoutflo.Http.Integrations.Storage.InMemory;

/// <summary>The embedded default shared token cache (shared by this process only).</summary>
internal sealed class InMemoryTokenCache(TimeProvider timeProvider) : ITokenCache
{
    private readonly ConcurrentDictionary<string, CachedToken> _entries = new(StringComparer.Ordinal);

    public ValueTask<CachedToken?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        if (_entries.TryGetValue(key, out var entry))
        {
            if (entry.ExpiresAt > timeProvider.GetUtcNow())
            {
                return ValueTask.FromResult<CachedToken?>(entry);
            }

            _entries.TryRemove(new KeyValuePair<string, CachedToken>(key, entry));
        }

        return ValueTask.FromResult<CachedToken?>(null);
    }

    public ValueTask SetAsync(string key, string token, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        if (timeToLive > TimeSpan.Zero)
        {
            _entries[key] = new CachedToken(token, timeProvider.GetUtcNow() + timeToLive);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> RemoveIfAsync(string key, string token, CancellationToken cancellationToken = default)
    {
        var removed = _entries.TryGetValue(key, out var entry)
            && string.Equals(entry.Token, token, StringComparison.Ordinal)
            && _entries.TryRemove(new KeyValuePair<string, CachedToken>(key, entry));
        return ValueTask.FromResult(removed);
    }
}
