namespace Scoutflo.Http.Integrations;

/// <summary>
/// The shared (level 2) access-token cache: in memory by default, Redis with <c>UseRedis</c>.
/// Keys are <c>integration:{provider}:{integration_id}:app_user:{account_id}:access_token</c>;
/// values are the plain token strings, with the TTL on the key. An implementation whose
/// backend is down answers as a miss (and ignores writes) rather than throwing.
/// </summary>
public interface ITokenCache
{
    /// <summary>Reads a token and when it expires, or <see langword="null"/> on a miss.</summary>
    /// <param name="key">The cache key.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<CachedToken?> GetAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Stores a token for <paramref name="timeToLive"/>.</summary>
    /// <param name="key">The cache key.</param>
    /// <param name="token">The plain token.</param>
    /// <param name="timeToLive">How long it may be served; not positive means "do not store".</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    ValueTask SetAsync(string key, string token, TimeSpan timeToLive, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes the entry only if it still holds <paramref name="token"/> (compare and delete),
    /// so that dropping a refused token never drops a newer one another process just cached.
    /// </summary>
    /// <param name="key">The cache key.</param>
    /// <param name="token">The token that was refused.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>Whether an entry was removed.</returns>
    ValueTask<bool> RemoveIfAsync(string key, string token, CancellationToken cancellationToken = default);
}

/// <summary>A cached access token.</summary>
/// <param name="Token">The plain token.</param>
/// <param name="ExpiresAt">When the cache entry ends (the token's expiry minus the skew).</param>
public readonly record struct CachedToken(string Token, DateTimeOffset ExpiresAt)
{
    /// <summary>Prints the expiry only: the token is a secret.</summary>
    public override string ToString() => $"CachedToken {{ ExpiresAt = {ExpiresAt:O} }}";
}
