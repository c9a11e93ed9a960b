using Scoutflo.Http.Integrations.Caching.Internal;

namespace Scoutflo.Http.Integrations.Storage.InMemory;

/// <summary>
/// The embedded default shared token cache (shared by this process only). Bounded by
/// <see cref="ScoutfloIntegrationsOptions.TokenCacheSizeLimit"/>; expired tokens are removed,
/// not only ignored.
/// </summary>
internal sealed class InMemoryTokenCache : ITokenCache
{
    // Expired tokens are swept at most this often when tokens are added.
    private static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);

    private readonly TimeProvider _timeProvider;
    private readonly BoundedExpiringCache<CachedToken> _entries;

    public InMemoryTokenCache(TimeProvider timeProvider, IOptionsMonitor<ScoutfloIntegrationsOptions> options)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(options);
        _timeProvider = timeProvider;
        _entries = new BoundedExpiringCache<CachedToken>(timeProvider, () => options.CurrentValue.TokenCacheSizeLimit, static () => SweepInterval);
    }

    /// <summary>How many tokens are held (expired ones not yet swept included).</summary>
    internal int Count => _entries.Count;

    public ValueTask<CachedToken?> GetAsync(string key, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<CachedToken?>(_entries.TryGet(key, out var entry) && entry.ExpiresAt > _timeProvider.GetUtcNow() ? entry : null);

    public ValueTask SetAsync(string key, string token, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        _entries.Set(key, new CachedToken(token, _timeProvider.GetUtcNow() + timeToLive), timeToLive);
        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> RemoveIfAsync(string key, string token, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_entries.TryRemove(key, entry => string.Equals(entry.Token, token, StringComparison.Ordinal)));
}
