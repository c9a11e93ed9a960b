using Scoutflo.Http.Integrations.Connections.Internal;
using Scoutflo.Http.Integrations.Telemetry;

namespace Scoutflo.Http.Integrations.OAuth.Internal;

/// <summary>
/// The token read path, behind the per-connection appliers' level-1 cache: the shared cache
/// (L2), then the stored record, then a refresh through <see cref="RefreshCoordinator"/>.
/// Never hands out a token the provider refused.
/// </summary>
internal sealed class OAuthTokenManager(
    ITokenCache cache,
    TokenSources sources,
    RefreshCoordinator refreshes,
    ReauthorizationMarker reauthorization,
    ResolvedConnectionCache connections,
    IntegrationsMetrics metrics)
{
    private readonly ConcurrentDictionary<string, Task<CachedToken>> _storeReads = new(StringComparer.Ordinal);

    /// <summary>The instruments, shared with the per-connection appliers (which record level-1 hits).</summary>
    public IntegrationsMetrics Metrics => metrics;

    /// <summary>A usable token: shared cache, then the stored record, then a refresh. Never one the provider refused.</summary>
    public async ValueTask<CachedToken> GetTokenAsync(OAuthConnection connection, CancellationToken cancellationToken)
    {
        if (await cache.GetAsync(connection.CacheKey, cancellationToken).ConfigureAwait(false) is { } cached
            && cached.ExpiresAt > sources.Now)
        {
            if (!sources.Refused.IsRefused(connection.CacheKey, cached.Token))
            {
                metrics.TokenCacheHit(IntegrationsMetrics.LevelL2);
                return await sources.WireSafeFromCacheAsync(connection, cached, cancellationToken).ConfigureAwait(false);
            }

            await cache.RemoveIfAsync(connection.CacheKey, cached.Token, cancellationToken).ConfigureAwait(false);
        }

        metrics.TokenCacheMiss(IntegrationsMetrics.LevelL2);
        return await JoinStoreRead(connection).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    // Concurrent misses on one connection share one pass through the store (and, when it holds
    // nothing usable, one refresh): a burst of first requests on a replica must be one record
    // read, not one per caller (a thousand of them overflowed MongoDB's connection wait queue).
    private Task<CachedToken> JoinStoreRead(OAuthConnection connection)
    {
        while (true)
        {
            if (_storeReads.TryGetValue(connection.CacheKey, out var running))
            {
                return running;
            }

            var read = new TaskCompletionSource<CachedToken>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_storeReads.TryAdd(connection.CacheKey, read.Task))
            {
                _ = RunStoreReadAsync(connection, read);
                return read.Task;
            }
        }
    }

    // Not cancelled by the first caller's token: the others wait on it too. It is bounded by the
    // store's operation timeout and, past it, by the refresh flight's own bounds. The pass leaves
    // the table before its callers hear how it ended, as the connection resolver's read does: one
    // that asks again after a failure makes its own pass rather than joining the failed one, and
    // after a success the token is in the shared cache already.
    private async Task RunStoreReadAsync(OAuthConnection connection, TaskCompletionSource<CachedToken> read)
    {
        var entry = new KeyValuePair<string, Task<CachedToken>>(connection.CacheKey, read.Task);
        CachedToken token;
        try
        {
            token = await FromStoreOrRefreshAsync(connection, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _storeReads.TryRemove(entry);
            read.TrySetException(ex);
            return;
        }

        _storeReads.TryRemove(entry);
        read.TrySetResult(token);
    }

    private async Task<CachedToken> FromStoreOrRefreshAsync(OAuthConnection connection, CancellationToken cancellationToken)
    {
        if (sources.UsableStored(connection, connection.Snapshot) is { } stored)
        {
            if (await sources.CacheStoredTokenAsync(connection, stored, cancellationToken).ConfigureAwait(false))
            {
                metrics.TokenCacheHit(IntegrationsMetrics.LevelStore);
                return stored;
            }

            // The record was deleted (this throws integration_not_found), disabled, or holds
            // another token than the snapshot resolved minutes ago: the refresh path decides.
            connections.Invalidate(connection.IntegrationId);
            await sources.ReadUsableAsync(connection, cancellationToken).ConfigureAwait(false);
        }

        metrics.TokenCacheMiss(IntegrationsMetrics.LevelStore);
        return await RefreshAsync(connection, rejectedToken: null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A token other than <paramref name="rejectedToken"/> (or any other refused one), refreshing if nobody has yet.</summary>
    public async Task<CachedToken> RefreshAsync(OAuthConnection connection, string? rejectedToken, CancellationToken cancellationToken)
    {
        if (rejectedToken is not null)
        {
            // Remembered before anything else: wherever this token is read back from (the
            // store, another replica's cache write, a snapshot), it is never sent again.
            sources.Refused.Remember(connection.CacheKey, rejectedToken);
        }

        var token = await refreshes.RefreshAsync(connection, rejectedToken, cancellationToken).ConfigureAwait(false);

        // A flight that began before this token was refused may have handed it back: one more.
        if (sources.Refused.IsRefused(connection.CacheKey, token.Token))
        {
            token = await refreshes.RefreshAsync(connection, rejectedToken, cancellationToken).ConfigureAwait(false);
        }

        return token;
    }

    /// <summary>Marks the integration (and the siblings sharing its dead grant) for re-authorisation.</summary>
    public Task MarkReauthorizationRequiredAsync(OAuthConnection connection, string reason, CancellationToken cancellationToken) =>
        reauthorization.MarkAsync(connection, reason, cancellationToken);
}
