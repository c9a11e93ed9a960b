using Scoutflo.Http.Integrations.Connections.Internal;
using Scoutflo.Http.Integrations.Telemetry;

namespace Scoutflo.Http.Integrations.OAuth.Internal;

/// <summary>What a rotation's writes came to.</summary>
/// <param name="Token">The new access token, when the record took the rotation.</param>
/// <param name="Written">Whether the compare-and-set on the record itself took.</param>
/// <param name="SiblingsUpdated">How many siblings took the rotated tokens.</param>
internal readonly record struct RotationOutcome(CachedToken? Token, bool Written, int SiblingsUpdated);

/// <summary>One rotation's values, written alike to the record and each sibling.</summary>
internal readonly record struct Rotation(OAuthTokenSlot Slot, string Spent, string AccessToken, string RefreshToken, DateTimeOffset? ExpiresAt, TimeSpan CacheFor);

/// <summary>
/// Persists a rotation: the journal in the shared cache, then for the record and every sibling
/// still holding the refresh token it was rotated from, the access token in the cache and a
/// compare-and-set against that refresh token. Also adopts a journaled rotation that never
/// reached the store. The records come as read under the lock: their versions condition the
/// writes, so a rotation costs the store one write per record and no read.
/// </summary>
/// <remarks>
/// Each token is cached before its record is written, not after: a delete (or re-install) that
/// runs before the write makes the write fail, and the token is taken back; one that runs after
/// it finds the token in the cache and removes it itself. Either way no read is needed to
/// check afterwards, and waiters in other processes see the token one store round trip sooner.
/// Logs under the <see cref="OAuthTokenManager"/> category, so filters set on the refresh path keep applying.
/// </remarks>
internal sealed class RotationWriter(
    IIntegrationStore store,
    ITokenCache cache,
    ResolvedConnectionCache connections,
    TokenSources sources,
    IOptionsMonitor<ScoutfloIntegrationsOptions> options,
    TimeProvider timeProvider,
    ILogger<OAuthTokenManager> logger,
    IntegrationsMetrics metrics)
{
    /// <summary>
    /// Writes <paramref name="tokens"/>, obtained by spending <paramref name="spent"/>, to
    /// <paramref name="record"/> and <paramref name="siblings"/> (both as read under the lock). A
    /// record that was deleted or moved to another grant (a re-install) meanwhile keeps what it has now.
    /// </summary>
    public async Task<RotationOutcome> WriteAsync(OAuthConnection connection, Integration record, Integration grant, IReadOnlyList<Integration> siblings, string spent, OAuthTokenResponse tokens, CancellationToken cancellationToken)
    {
        var slot = connection.Slot;

        // The old refresh token is spent and the new one exists nowhere else: journal it before
        // the store write, so that a failed write (or a crash) does not lose it.
        var rotated = tokens.RefreshToken ?? spent;
        var journalKey = RotationJournal.Key(grant, slot);
        string? journal = null;
        if (!string.Equals(rotated, spent, StringComparison.Ordinal))
        {
            journal = RotationJournal.Serialize(spent, tokens, rotated);
            await cache.SetAsync(journalKey, journal, options.CurrentValue.RotationJournalLifetime, cancellationToken).ConfigureAwait(false);
        }

        var now = timeProvider.GetUtcNow();
        var cacheUntil = StoredTokens.FreshTokenExpiry(tokens.ExpiresAt ?? now + StoredTokens.UnknownLifetime, now, options.CurrentValue.TokenExpirySkew);
        var rotation = new Rotation(slot, spent, tokens.AccessToken, rotated, tokens.ExpiresAt, cacheUntil - now);

        if (await CacheThenWriteAsync(record, connection.CacheKey, rotation, cancellationToken).ConfigureAwait(false) is null)
        {
            if (journal is not null)
            {
                await cache.RemoveIfAsync(journalKey, journal, cancellationToken).ConfigureAwait(false);
            }

            return new RotationOutcome(null, Written: false, SiblingsUpdated: 0);
        }

        var siblingsUpdated = 0;
        foreach (var sibling in siblings)
        {
            var siblingKey = TokenKeys.AccessToken(sibling.Provider, sibling.Id, sibling.AccountId, slot.CacheKeyName);
            if (await CacheThenWriteAsync(sibling, siblingKey, rotation, cancellationToken).ConfigureAwait(false) is not null)
            {
                siblingsUpdated++;
            }
        }

        if (journal is not null)
        {
            await cache.RemoveIfAsync(journalKey, journal, cancellationToken).ConfigureAwait(false);
        }

        return new RotationOutcome(new CachedToken(tokens.AccessToken, cacheUntil), Written: true, siblingsUpdated);
    }

    /// <summary>
    /// A rotation the store never took (its write failed, or the process died before it): if
    /// the record still holds the token that rotation spent, the journaled tokens are written
    /// to it (and to the siblings still holding it) instead of spending that token again.
    /// </summary>
    /// <param name="connection">The token family.</param>
    /// <param name="record">The record as read under the lock.</param>
    /// <param name="siblings">Its siblings as read with it.</param>
    /// <param name="grant">The grant's owner, naming the journal.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The record as stored now: adopted, or as it was.</returns>
    public async Task<Integration> AdoptJournalAsync(OAuthConnection connection, Integration record, IReadOnlyList<Integration> siblings, Integration grant, CancellationToken cancellationToken)
    {
        var slot = connection.Slot;
        var journalKey = RotationJournal.Key(grant, slot);
        if (await cache.GetAsync(journalKey, cancellationToken).ConfigureAwait(false) is not { } raw
            || RotationJournal.Parse(raw.Token) is not { } entry
            || record.GetCredential(slot.RefreshTokenField) is not { } spent
            || !RotationJournal.Follows(entry, spent))
        {
            return record;
        }

        var adopted = await CompareAndSetTokensAsync(record, slot, spent, entry.AccessToken!, entry.RefreshToken!, entry.Expiry, cancellationToken).ConfigureAwait(false);
        if (adopted is null)
        {
            return await sources.ReadUsableAsync(connection, cancellationToken).ConfigureAwait(false);
        }

        foreach (var sibling in siblings)
        {
            await CompareAndSetTokensAsync(sibling, slot, spent, entry.AccessToken!, entry.RefreshToken!, entry.Expiry, cancellationToken).ConfigureAwait(false);
        }

        await cache.RemoveIfAsync(journalKey, raw.Token, cancellationToken).ConfigureAwait(false);
        Log.RotationAdopted(logger, record.Id, record.Provider, siblings.Count);
        metrics.Refresh(record.Provider, IntegrationsMetrics.OutcomeSkippedRefreshedElsewhere);
        return adopted;
    }

    /// <summary>
    /// Caches the rotation's access token under <paramref name="key"/>, then writes the rotation
    /// to <paramref name="target"/>; when the record no longer holds the spent token (deleted, or
    /// re-installed) or the write fails, the cached token is taken back, as long as it is still
    /// the one there. <see langword="null"/> when the record did not take the rotation.
    /// </summary>
    private async Task<Integration?> CacheThenWriteAsync(Integration target, string key, Rotation rotation, CancellationToken cancellationToken)
    {
        await cache.SetAsync(key, rotation.AccessToken, rotation.CacheFor, cancellationToken).ConfigureAwait(false);
        Integration? written;
        try
        {
            written = await CompareAndSetTokensAsync(target, rotation.Slot, rotation.Spent, rotation.AccessToken, rotation.RefreshToken, rotation.ExpiresAt, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            await TakeBackAfterFailedWriteAsync(target, key, rotation.AccessToken, ex).ConfigureAwait(false);
            throw;
        }

        if (written is null)
        {
            await cache.RemoveIfAsync(key, rotation.AccessToken, CancellationToken.None).ConfigureAwait(false);
            connections.Invalidate(target.Id);
        }

        return written;
    }

    /// <summary>
    /// Takes back a token whose record write failed, keeping the write's failure the one reported
    /// (a take-back that fails too leaves a token the provider honours until it expires).
    /// </summary>
    private async Task TakeBackAfterFailedWriteAsync(Integration target, string key, string accessToken, Exception writeFailure)
    {
        try
        {
            await cache.RemoveIfAsync(key, accessToken, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.RotationTakeBackFailed(logger, target.Id, writeFailure.GetType().Name, ex.GetType().Name);
        }
    }

    /// <summary>Writes tokens only while the record still holds <paramref name="expectedRefreshToken"/>; <see langword="null"/> when it is gone or holds another.</summary>
    private Task<Integration?> CompareAndSetTokensAsync(Integration target, OAuthTokenSlot slot, string expectedRefreshToken, string accessToken, string refreshToken, DateTimeOffset? expiresAt, CancellationToken cancellationToken) =>
        TokenRecordWrites.UpdateFromAsync(store, target,
            current => string.Equals(current.GetCredential(slot.RefreshTokenField), expectedRefreshToken, StringComparison.Ordinal)
                ? StoredTokens.WithTokens(current, slot, accessToken, refreshToken, expiresAt)
                : null,
            cancellationToken);
}
