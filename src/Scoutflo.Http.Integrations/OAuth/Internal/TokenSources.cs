using Scoutflo.Http.Integrations.Connections.Internal;
using Scoutflo.Http.Integrations.Model.Internal;

namespace Scoutflo.Http.Integrations.OAuth.Internal;

/// <summary>
/// Where a usable token can come from without the provider: the shared cache and the stored
/// record, each read through the same checks (not expired, not refused, no control character,
/// the record still usable). Shared by the read path and the refresh coordinator's re-reads.
/// </summary>
internal sealed class TokenSources(
    IIntegrationStore store,
    ITokenCache cache,
    ResolvedConnectionCache connections,
    RefusedTokens refused,
    IOptionsMonitor<ScoutfloIntegrationsOptions> options,
    TimeProvider timeProvider)
{
    /// <summary>The current time, as the expiry checks see it.</summary>
    public DateTimeOffset Now => timeProvider.GetUtcNow();

    /// <summary>Tokens the provider refused; never handed out again.</summary>
    public RefusedTokens Refused => refused;

    /// <summary>The shared cache's token when it is unexpired and not refused; <see langword="null"/> otherwise.</summary>
    public async Task<CachedToken?> FreshFromCacheAsync(OAuthConnection connection, CancellationToken cancellationToken)
    {
        var cached = await cache.GetAsync(connection.CacheKey, cancellationToken).ConfigureAwait(false);
        return cached is { } hit && hit.ExpiresAt > timeProvider.GetUtcNow() && !refused.IsRefused(connection.CacheKey, hit.Token)
            ? await WireSafeFromCacheAsync(connection, hit, cancellationToken).ConfigureAwait(false)
            : null;
    }

    /// <summary>The record's token when it is usable (within the expiry skew) and not refused; <see langword="null"/> otherwise.</summary>
    public CachedToken? UsableStored(OAuthConnection connection, Integration record) =>
        StoredTokens.Usable(record, connection.Slot, timeProvider.GetUtcNow(), options.CurrentValue.TokenExpirySkew) is { } stored
            && !refused.IsRefused(connection.CacheKey, stored.Token)
            ? stored
            : null;

    /// <summary>Drops <paramref name="token"/> from the shared cache if it is still the one there.</summary>
    public ValueTask<bool> RemoveIfAsync(OAuthConnection connection, string token, CancellationToken cancellationToken) =>
        cache.RemoveIfAsync(connection.CacheKey, token, cancellationToken);

    /// <summary>
    /// Caches a token read from a record, then reads the record again: a delete (or a refresh,
    /// or a re-install) that ran between the read and the cache write found nothing to remove
    /// yet, so the token is taken back when the record no longer holds it.
    /// </summary>
    /// <returns>Whether the record still holds the token (and the cache keeps it).</returns>
    public async Task<bool> CacheStoredTokenAsync(OAuthConnection connection, CachedToken token, CancellationToken cancellationToken)
    {
        EnsureWireSafe(connection, token.Token, "the stored record");
        await cache.SetAsync(connection.CacheKey, token.Token, token.ExpiresAt - timeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        var current = await store.GetAsync(connection.IntegrationId, cancellationToken).ConfigureAwait(false);
        if (current is { Status: not IntegrationStatus.ReauthorizationRequired }
            && string.Equals(current.GetCredential(connection.Slot.AccessTokenField), token.Token, StringComparison.Ordinal))
        {
            return true;
        }

        await cache.RemoveIfAsync(connection.CacheKey, token.Token, cancellationToken).ConfigureAwait(false);
        return false;
    }

    /// <summary>
    /// The shared cache is written by other processes (the TypeScript SDK too): a token there that
    /// holds a control character is dropped and this request fails, rather than reaching a header.
    /// </summary>
    public async ValueTask<CachedToken> WireSafeFromCacheAsync(OAuthConnection connection, CachedToken cached, CancellationToken cancellationToken)
    {
        if (!StoredValueRules.HasControlCharacter(cached.Token))
        {
            return cached;
        }

        await cache.RemoveIfAsync(connection.CacheKey, cached.Token, cancellationToken).ConfigureAwait(false);
        EnsureWireSafe(connection, cached.Token, "the shared token cache");
        return cached;
    }

    /// <summary>The record, or <c>integration_not_found</c> / <c>integration_reauthorization_required</c> (and the resolved copy dropped).</summary>
    public async Task<Integration> ReadUsableAsync(OAuthConnection connection, CancellationToken cancellationToken)
    {
        var record = await store.GetAsync(connection.IntegrationId, cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            connections.Invalidate(connection.IntegrationId);
            throw new IntegrationNotFoundException(connection.IntegrationId) { Provider = connection.Provider };
        }

        if (record.Status == IntegrationStatus.ReauthorizationRequired)
        {
            connections.Invalidate(record.Id);
            throw new ReauthorizationRequiredException(record.Id, record.Provider);
        }

        return record;
    }

    private static void EnsureWireSafe(OAuthConnection connection, string token, string source)
    {
        if (StoredValueRules.HasControlCharacter(token))
        {
            throw new IntegrationException(IntegrationErrorCodes.CredentialsInvalid,
                $"The access token of integration '{connection.IntegrationId}' in {source} contains a control character; it is not sent.")
            {
                IntegrationId = connection.IntegrationId,
                Provider = connection.Provider,
            };
        }
    }
}
