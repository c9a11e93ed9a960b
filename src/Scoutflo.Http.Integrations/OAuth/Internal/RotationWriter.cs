using Scoutflo.Http.Integrations.Connections.Internal;
using Scoutflo.Http.Integrations.Telemetry;

namespace Scoutflo.Http.Integrations.OAuth.Internal;

/// <summary>What a rotation's writes came to.</summary>
/// <param name="Token">The new access token, when the record (still) holds the rotation.</param>
/// <param name="Written">Whether the compare-and-set on the record itself took.</param>
/// <param name="SiblingsUpdated">How many siblings took the rotated tokens.</param>
internal readonly record struct RotationOutcome(CachedToken? Token, bool Written, int SiblingsUpdated);

/// <summary>
/// Persists a rotation: the journal in the shared cache, then a compare-and-set against the
/// refresh token it was rotated from, on the record and on every sibling still holding that
/// token, and only then the access token in the cache, checked once more against the store.
/// Also adopts a journaled rotation that never reached the store. The records come as read
/// under the lock: their versions condition the first writes, and one read checks them all
/// afterwards, so a rotation costs one write for all the records (one store call) plus one read.
/// </summary>
/// <remarks>Logs under the <see cref="OAuthTokenManager"/> category, so filters set on the refresh path keep applying.</remarks>
internal sealed class RotationWriter(
    IIntegrationStore store,
    ITokenCache cache,
    ResolvedConnectionCache connections,
    GrantLookup grants,
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

        // One write for the record and its siblings: each is compare-and-set on its own against
        // the spent token, so a sibling still holding it takes the rotation even when the record
        // itself was deleted or re-installed meanwhile (the spent token is dead either way).
        var writes = await CompareAndSetTokensAsync([record, .. siblings], slot, spent, tokens.AccessToken, rotated, tokens.ExpiresAt, cancellationToken).ConfigureAwait(false);
        if (journal is not null)
        {
            await cache.RemoveIfAsync(journalKey, journal, cancellationToken).ConfigureAwait(false);
        }

        var written = writes[0];
        var updatedSiblings = writes.Skip(1).OfType<Integration>().ToList();
        var now = timeProvider.GetUtcNow();
        var cacheUntil = StoredTokens.FreshTokenExpiry(tokens.ExpiresAt ?? now + StoredTokens.UnknownLifetime, now, options.CurrentValue.TokenExpirySkew);
        var targets = updatedSiblings.Select(s => (Record: s, Key: TokenKeys.AccessToken(s.Provider, s.Id, s.AccountId, slot.CacheKeyName))).ToList();
        if (written is not null)
        {
            targets.Insert(0, (written, connection.CacheKey));
        }
        else if (targets.Count == 0)
        {
            return new RotationOutcome(null, Written: false, SiblingsUpdated: 0);
        }

        foreach (var (_, key) in targets)
        {
            await cache.SetAsync(key, tokens.AccessToken, cacheUntil - now, cancellationToken).ConfigureAwait(false);
        }

        // A delete (or re-install) that ran between the store write and the cache writes found
        // nothing to remove yet: look again (one read for all of them), and take back what no
        // longer belongs to a record.
        var ownStillHeld = written is not null;
        var stored = await grants.CurrentAsync(connection, targets.Select(t => t.Record).ToList(), cancellationToken).ConfigureAwait(false);
        foreach (var (target, key) in targets)
        {
            if (!stored.TryGetValue(target.Id, out var current) || !string.Equals(current.GetCredential(slot.RefreshTokenField), rotated, StringComparison.Ordinal))
            {
                await cache.RemoveIfAsync(key, tokens.AccessToken, cancellationToken).ConfigureAwait(false);
                connections.Invalidate(target.Id);
                ownStillHeld &= target.Id != record.Id;
            }
        }

        return new RotationOutcome(ownStillHeld ? new CachedToken(tokens.AccessToken, cacheUntil) : null, Written: written is not null, updatedSiblings.Count);
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

        var stored = await CompareAndSetTokensAsync([record, .. siblings], slot, spent, entry.AccessToken!, entry.RefreshToken!, entry.Expiry, cancellationToken).ConfigureAwait(false);
        if (stored[0] is not { } adopted)
        {
            return await sources.ReadUsableAsync(connection, cancellationToken).ConfigureAwait(false);
        }

        await cache.RemoveIfAsync(journalKey, raw.Token, cancellationToken).ConfigureAwait(false);
        Log.RotationAdopted(logger, record.Id, record.Provider, siblings.Count);
        metrics.Refresh(record.Provider, IntegrationsMetrics.OutcomeSkippedRefreshedElsewhere);
        return adopted;
    }

    /// <summary>Writes tokens to each record only while it still holds <paramref name="expectedRefreshToken"/>, all in one store call; <see langword="null"/> for one gone or holding another.</summary>
    private Task<Integration?[]> CompareAndSetTokensAsync(IReadOnlyList<Integration> targets, OAuthTokenSlot slot, string expectedRefreshToken, string accessToken, string refreshToken, DateTimeOffset? expiresAt, CancellationToken cancellationToken) =>
        TokenRecordWrites.UpdateEachFromAsync(store, targets,
            current => string.Equals(current.GetCredential(slot.RefreshTokenField), expectedRefreshToken, StringComparison.Ordinal)
                ? StoredTokens.WithTokens(current, slot, accessToken, refreshToken, expiresAt)
                : null,
            cancellationToken);
}
