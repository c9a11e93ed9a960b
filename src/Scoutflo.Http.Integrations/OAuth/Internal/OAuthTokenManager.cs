using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Scoutflo.Http.Integrations.Connections.Internal;
using Scoutflo.Http.Integrations.Events.Internal;
using Scoutflo.Http.Integrations.Telemetry;

namespace Scoutflo.Http.Integrations.OAuth.Internal;

/// <summary>
/// Gets access tokens and refreshes them at most once per rotation across every process:
/// single flight in-process, then the shared refresh lock, then a re-read of the cache and the
/// store (someone may have refreshed meanwhile), and only then the token endpoint. A rotated
/// refresh token is journaled in the shared cache, then stored with a compare-and-set against
/// the token it was rotated from (on the integration and every sibling sharing the grant) before
/// the new access token is cached or used. A delete or a re-install that lands meanwhile wins:
/// the rotation is dropped and nothing of it stays cached.
/// </summary>
internal sealed class OAuthTokenManager(
    IIntegrationStore store,
    ITokenCache cache,
    IDistributedLock locks,
    ResolvedConnectionCache connections,
    IOptionsMonitor<ScoutfloIntegrationsOptions> options,
    TimeProvider timeProvider,
    ILogger<OAuthTokenManager> logger,
    IntegrationsMetrics metrics,
    IntegrationEventDispatcher events)
{
    private readonly ConcurrentDictionary<string, Task<CachedToken>> _inflight = new(StringComparer.Ordinal);
    private readonly RefusedTokens _refused = new(timeProvider);

    /// <summary>The instruments, shared with the per-connection appliers (which record level-1 hits).</summary>
    public IntegrationsMetrics Metrics => metrics;

    /// <summary>A usable token: shared cache, then the stored record, then a refresh. Never one the provider refused.</summary>
    public async ValueTask<CachedToken> GetTokenAsync(OAuthConnection connection, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        if (await cache.GetAsync(connection.CacheKey, cancellationToken).ConfigureAwait(false) is { } cached && cached.ExpiresAt > now)
        {
            if (!_refused.IsRefused(connection.CacheKey, cached.Token))
            {
                metrics.TokenCacheHit(IntegrationsMetrics.LevelL2);
                return await WireSafeFromCacheAsync(connection, cached, cancellationToken).ConfigureAwait(false);
            }

            await cache.RemoveIfAsync(connection.CacheKey, cached.Token, cancellationToken).ConfigureAwait(false);
        }

        metrics.TokenCacheMiss(IntegrationsMetrics.LevelL2);
        if (StoredTokens.Usable(connection.Snapshot, connection.Slot, now, options.CurrentValue.TokenExpirySkew) is { } stored
            && !_refused.IsRefused(connection.CacheKey, stored.Token))
        {
            EnsureWireSafe(connection, stored.Token, "the stored record");
            if (await CacheStoredTokenAsync(connection, stored, cancellationToken).ConfigureAwait(false))
            {
                metrics.TokenCacheHit(IntegrationsMetrics.LevelStore);
                return stored;
            }

            // The record was deleted (this throws integration_not_found), disabled, or holds
            // another token than the snapshot resolved minutes ago: the refresh path decides.
            connections.Invalidate(connection.IntegrationId);
            await ReadUsableAsync(connection, cancellationToken).ConfigureAwait(false);
        }

        metrics.TokenCacheMiss(IntegrationsMetrics.LevelStore);
        return await RefreshAsync(connection, rejectedToken: null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Caches a token read from a record, then reads the record again: a delete (or a refresh,
    /// or a re-install) that ran between the read and the cache write found nothing to remove
    /// yet, so the token is taken back when the record no longer holds it.
    /// </summary>
    /// <returns>Whether the record still holds the token (and the cache keeps it).</returns>
    private async Task<bool> CacheStoredTokenAsync(OAuthConnection connection, CachedToken token, CancellationToken cancellationToken)
    {
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

    /// <summary>A token other than <paramref name="rejectedToken"/> (or any other refused one), refreshing if nobody has yet.</summary>
    public async Task<CachedToken> RefreshAsync(OAuthConnection connection, string? rejectedToken, CancellationToken cancellationToken)
    {
        if (rejectedToken is not null)
        {
            // Remembered before anything else: wherever this token is read back from (the
            // store, another replica's cache write, a snapshot), it is never sent again.
            _refused.Remember(connection.CacheKey, rejectedToken);
        }

        var token = await SingleFlightAsync(connection, rejectedToken, cancellationToken).ConfigureAwait(false);

        // A flight that began before this token was refused may have handed it back: one more.
        if (_refused.IsRefused(connection.CacheKey, token.Token))
        {
            token = await SingleFlightAsync(connection, rejectedToken, cancellationToken).ConfigureAwait(false);
        }

        return token;
    }

    /// <summary>Marks the integration (and the siblings sharing its dead grant) for re-authorisation.</summary>
    public async Task MarkReauthorizationRequiredAsync(OAuthConnection connection, string reason, CancellationToken cancellationToken)
    {
        var record = await store.GetAsync(connection.IntegrationId, cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            return;
        }

        var siblings = connection.OAuth.SharesGrantAcrossProducts
            ? await FindSiblingsAsync(record, connection.Slot, cancellationToken).ConfigureAwait(false)
            : [];
        await MarkReauthorizationRequiredAsync(record, siblings, reason, cancellationToken).ConfigureAwait(false);
    }

    private Task<CachedToken> SingleFlightAsync(OAuthConnection connection, string? rejectedToken, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_inflight.TryGetValue(connection.CacheKey, out var running))
            {
                return running.WaitAsync(cancellationToken);
            }

            var flight = new TaskCompletionSource<CachedToken>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_inflight.TryAdd(connection.CacheKey, flight.Task))
            {
                _ = RunFlightAsync(connection, rejectedToken, flight);
                return flight.Task.WaitAsync(cancellationToken);
            }
        }
    }

    // The shared work is not cancelled by the first caller's token: others wait on it too. It is
    // bounded by the lock wait and the token request's timeout and retries.
    private async Task RunFlightAsync(OAuthConnection connection, string? rejectedToken, TaskCompletionSource<CachedToken> flight)
    {
        using var activity = IntegrationsActivities.Start(IntegrationsActivities.Refresh, connection.Provider, connection.IntegrationId);
        try
        {
            flight.TrySetResult(await RefreshUnderLockAsync(connection, rejectedToken, CancellationToken.None).ConfigureAwait(false));
        }
        catch (Exception ex)
        {
            // Before the waiters are released: they see the failure after its event, never before.
            await OnFlightFailedAsync(connection, ex, activity).ConfigureAwait(false);
            flight.TrySetException(ex);
        }
        finally
        {
            _inflight.TryRemove(new KeyValuePair<string, Task<CachedToken>>(connection.CacheKey, flight.Task));
        }
    }

    private async Task<CachedToken> RefreshUnderLockAsync(OAuthConnection connection, string? rejectedToken, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        if (rejectedToken is not null)
        {
            await cache.RemoveIfAsync(connection.CacheKey, rejectedToken, cancellationToken).ConfigureAwait(false);
        }

        var record = await ReadUsableAsync(connection, cancellationToken).ConfigureAwait(false);
        var grant = await GrantOwnerAsync(connection, record, cancellationToken).ConfigureAwait(false);
        var handle = await AcquireLockAsync(connection, grant, settings, cancellationToken).ConfigureAwait(false);
        if (handle is null)
        {
            return await FreshFromCacheAsync(connection, cancellationToken).ConfigureAwait(false) is { } elsewhere
                ? RefreshedElsewhere(connection, elsewhere)
                : throw new IntegrationException(IntegrationErrorCodes.RefreshLockTimeout,
                    $"Integration '{connection.IntegrationId}': another process held the refresh lock for more than {settings.RefreshLockWait.TotalSeconds:0.#} s.")
                {
                    IntegrationId = connection.IntegrationId,
                    Provider = connection.Provider,
                };
        }

        await using (handle.ConfigureAwait(false))
        {
            var keeper = LeaseKeeper.Start(handle, settings.RefreshLockLease, timeProvider, logger, connection.IntegrationId);
            await using (keeper.ConfigureAwait(false))
            {
                if (await FreshFromCacheAsync(connection, cancellationToken).ConfigureAwait(false) is { } cached)
                {
                    return RefreshedElsewhere(connection, cached);
                }

                record = await ReadUsableAsync(connection, cancellationToken).ConfigureAwait(false);
                record = await AdoptJournalAsync(connection, record, grant, cancellationToken).ConfigureAwait(false);
                var now = timeProvider.GetUtcNow();
                if (StoredTokens.Usable(record, connection.Slot, now, settings.TokenExpirySkew) is { } stored
                    && !_refused.IsRefused(connection.CacheKey, stored.Token))
                {
                    EnsureWireSafe(connection, stored.Token, "the stored record");
                    if (await CacheStoredTokenAsync(connection, stored, cancellationToken).ConfigureAwait(false))
                    {
                        return RefreshedElsewhere(connection, stored);
                    }

                    // Deleted (this throws) or changed since the read (a re-install): what it holds now.
                    record = await ReadUsableAsync(connection, cancellationToken).ConfigureAwait(false);
                    if (StoredTokens.Usable(record, connection.Slot, timeProvider.GetUtcNow(), settings.TokenExpirySkew) is { } current
                        && !_refused.IsRefused(connection.CacheKey, current.Token))
                    {
                        return RefreshedElsewhere(connection, current);
                    }
                }

                return await RefreshWithProviderAsync(connection, record, grant, keeper, retryIfSuperseded: true, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<CachedToken> RefreshWithProviderAsync(OAuthConnection connection, Integration record, Integration grant, LeaseKeeper keeper, bool retryIfSuperseded, CancellationToken cancellationToken)
    {
        var slot = connection.Slot;
        var siblings = connection.OAuth.SharesGrantAcrossProducts
            ? await FindSiblingsAsync(record, slot, cancellationToken).ConfigureAwait(false)
            : [];
        if (record.GetCredential(slot.RefreshTokenField) is not { } refreshToken)
        {
            await MarkReauthorizationRequiredAsync(record, siblings, "the access token expired and there is no refresh token", cancellationToken).ConfigureAwait(false);
            throw new ReauthorizationRequiredException(record.Id, record.Provider, "no_refresh_token");
        }

        Log.RefreshStarted(logger, record.Id, record.Provider);
        var started = timeProvider.GetTimestamp();
        OAuthTokenResponse tokens;
        using (var call = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, keeper.Lost))
        {
            try
            {
                tokens = await connection.OAuth.RefreshAsync(record, slot, refreshToken, call.Token).ConfigureAwait(false);

                // Before anything is stored or cached: such a token would be written raw into a header.
                if (StoredValueRules.HasControlCharacter(tokens.AccessToken) || (tokens.RefreshToken is { } rotatedToken && StoredValueRules.HasControlCharacter(rotatedToken)))
                {
                    throw new OAuthTokenRequestException(IntegrationErrorCodes.TokenResponseInvalid,
                        $"The {record.Provider} token endpoint answered a token that contains a control character; it was not stored nor used.");
                }
            }
            catch (OperationCanceledException ex) when (keeper.IsLost && !cancellationToken.IsCancellationRequested)
            {
                RecordRefresh(record.Provider, IntegrationsMetrics.OutcomeFailure, started);
                Log.RefreshFailed(logger, record.Id, record.Provider, IntegrationErrorCodes.RefreshLockLost);
                throw new IntegrationException(IntegrationErrorCodes.RefreshLockLost,
                    $"Integration '{record.Id}': the refresh lock's lease could not be extended, so the token request was stopped.", ex)
                {
                    IntegrationId = record.Id,
                    Provider = record.Provider,
                };
            }
            catch (OAuthTokenRequestException ex) when (connection.OAuth.IsDeadGrant(ex))
            {
                RecordRefresh(record.Provider, IntegrationsMetrics.OutcomeReauthorizationRequired, started);
                await MarkReauthorizationRequiredAsync(record, siblings, ex.ProviderError ?? ex.ErrorCode, cancellationToken).ConfigureAwait(false);
                throw new ReauthorizationRequiredException(record.Id, record.Provider, ex.ProviderError);
            }
            catch (IntegrationException ex)
            {
                RecordRefresh(record.Provider, IntegrationsMetrics.OutcomeFailure, started);
                Log.RefreshFailed(logger, record.Id, record.Provider, ex.ErrorCode);
                throw WithIntegration(ex, record);
            }
        }

        // The old refresh token is spent and the new one exists nowhere else: journal it before
        // the store write, so that a failed write (or a crash) does not lose it.
        var rotated = tokens.RefreshToken ?? refreshToken;
        var journalKey = RotationJournal.Key(grant, slot);
        string? journal = null;
        if (!string.Equals(rotated, refreshToken, StringComparison.Ordinal))
        {
            journal = RotationJournal.Serialize(refreshToken, tokens, rotated);
            await cache.SetAsync(journalKey, journal, options.CurrentValue.RotationJournalLifetime, cancellationToken).ConfigureAwait(false);
        }

        // Compare-and-set on the refresh token this rotation started from: a record that was
        // deleted or moved to another grant (a re-install) meanwhile keeps what it has now.
        var written = await CompareAndSetTokensAsync(record, slot, refreshToken, tokens.AccessToken, rotated, tokens.ExpiresAt, cancellationToken).ConfigureAwait(false);
        if (written is null)
        {
            if (journal is not null)
            {
                await cache.RemoveIfAsync(journalKey, journal, cancellationToken).ConfigureAwait(false);
            }

            RecordRefresh(record.Provider, IntegrationsMetrics.OutcomeFailure, started);
            return await SupersededAsync(connection, grant, keeper, retryIfSuperseded, cancellationToken).ConfigureAwait(false);
        }

        var updatedSiblings = new List<Integration>();
        foreach (var sibling in siblings)
        {
            if (await CompareAndSetTokensAsync(sibling, slot, refreshToken, tokens.AccessToken, rotated, tokens.ExpiresAt, cancellationToken).ConfigureAwait(false) is { } updated)
            {
                updatedSiblings.Add(updated);
            }
        }

        if (journal is not null)
        {
            await cache.RemoveIfAsync(journalKey, journal, cancellationToken).ConfigureAwait(false);
        }

        var now = timeProvider.GetUtcNow();
        var cacheUntil = StoredTokens.FreshTokenExpiry(tokens.ExpiresAt ?? now + StoredTokens.UnknownLifetime, now, options.CurrentValue.TokenExpirySkew);
        var targets = updatedSiblings.Select(s => (Record: s, Key: TokenKeys.AccessToken(s.Provider, s.Id, s.AccountId, slot.CacheKeyName)))
            .Prepend((Record: written, Key: connection.CacheKey))
            .ToList();
        foreach (var (_, key) in targets)
        {
            await cache.SetAsync(key, tokens.AccessToken, cacheUntil - now, cancellationToken).ConfigureAwait(false);
        }

        // A delete (or re-install) that ran between the store write and the cache writes found
        // nothing to remove yet: look again, and take back what no longer belongs to a record.
        var ownStillHeld = true;
        foreach (var (target, key) in targets)
        {
            var current = await store.GetAsync(target.Id, cancellationToken).ConfigureAwait(false);
            if (current is null || !string.Equals(current.GetCredential(slot.RefreshTokenField), rotated, StringComparison.Ordinal))
            {
                await cache.RemoveIfAsync(key, tokens.AccessToken, cancellationToken).ConfigureAwait(false);
                connections.Invalidate(target.Id);
                ownStillHeld &= target.Id != record.Id;
            }
        }

        if (!ownStillHeld)
        {
            RecordRefresh(record.Provider, IntegrationsMetrics.OutcomeFailure, started);
            return await SupersededAsync(connection, grant, keeper, retryIfSuperseded: false, cancellationToken).ConfigureAwait(false);
        }

        RecordRefresh(record.Provider, IntegrationsMetrics.OutcomeSuccess, started);
        Log.RefreshSucceeded(logger, record.Id, record.Provider, updatedSiblings.Count);
        return new CachedToken(tokens.AccessToken, cacheUntil);
    }

    /// <summary>
    /// The record was deleted or re-installed while a rotation ran: it wins. A deleted record
    /// fails with <c>integration_not_found</c>; a re-installed one serves its own token (or,
    /// once, a refresh of its own grant).
    /// </summary>
    private async Task<CachedToken> SupersededAsync(OAuthConnection connection, Integration grant, LeaseKeeper keeper, bool retryIfSuperseded, CancellationToken cancellationToken)
    {
        connections.Invalidate(connection.IntegrationId);
        var current = await ReadUsableAsync(connection, cancellationToken).ConfigureAwait(false);
        Log.RotationDropped(logger, connection.IntegrationId, connection.Provider);
        if (StoredTokens.Usable(current, connection.Slot, timeProvider.GetUtcNow(), options.CurrentValue.TokenExpirySkew) is { } stored
            && !_refused.IsRefused(connection.CacheKey, stored.Token))
        {
            return RefreshedElsewhere(connection, stored);
        }

        return retryIfSuperseded
            ? await RefreshWithProviderAsync(connection, current, grant, keeper, retryIfSuperseded: false, cancellationToken).ConfigureAwait(false)
            : throw new IntegrationException(IntegrationErrorCodes.StoreWriteFailed,
                $"Integration '{connection.IntegrationId}': the record changed under two refreshes in a row; try again.")
            {
                IntegrationId = connection.IntegrationId,
                Provider = connection.Provider,
            };
    }

    /// <summary>
    /// A rotation the store never took (its write failed, or the process died before it): if
    /// the record still holds the token that rotation spent, the journaled tokens are written
    /// to it (and to the siblings still holding it) instead of spending that token again.
    /// </summary>
    private async Task<Integration> AdoptJournalAsync(OAuthConnection connection, Integration record, Integration grant, CancellationToken cancellationToken)
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

        var siblings = connection.OAuth.SharesGrantAcrossProducts
            ? await FindSiblingsAsync(record, slot, cancellationToken).ConfigureAwait(false)
            : [];
        var adopted = await CompareAndSetTokensAsync(record, slot, spent, entry.AccessToken!, entry.RefreshToken!, entry.Expiry, cancellationToken).ConfigureAwait(false);
        if (adopted is null)
        {
            return await ReadUsableAsync(connection, cancellationToken).ConfigureAwait(false);
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

    /// <summary>Writes tokens only while the record still holds <paramref name="expectedRefreshToken"/>; <see langword="null"/> when it is gone or holds another.</summary>
    private Task<Integration?> CompareAndSetTokensAsync(Integration target, OAuthTokenSlot slot, string expectedRefreshToken, string accessToken, string refreshToken, DateTimeOffset? expiresAt, CancellationToken cancellationToken) =>
        UpdateWithRetryAsync(target,
            current => string.Equals(current.GetCredential(slot.RefreshTokenField), expectedRefreshToken, StringComparison.Ordinal)
                ? StoredTokens.WithTokens(current, slot, accessToken, refreshToken, expiresAt)
                : null,
            cancellationToken);

    private static IntegrationException WithIntegration(IntegrationException failure, Integration record) =>
        failure.IntegrationId is not null && failure.Provider is not null
            ? failure
            : failure switch
            {
                OAuthTokenRequestException request => new OAuthTokenRequestException(request.ErrorCode, request.Message, request.StatusCode, request.ProviderError, request)
                {
                    IntegrationId = record.Id,
                    Provider = record.Provider,
                },
                _ => new IntegrationException(failure.ErrorCode, failure.Message, failure)
                {
                    IntegrationId = record.Id,
                    Provider = record.Provider,
                },
            };

    /// <summary>
    /// Keep-alive: refreshes even though the access token may still be good, so that an idle
    /// refresh token is used before the provider expires it. Same lock and re-read as any
    /// refresh; skipped (returns <see langword="false"/>) when, once the lock is held, the
    /// record turns out to have been written since <paramref name="idleSince"/> (someone
    /// refreshed meanwhile), when another holder keeps the lock, or when there is no refresh token.
    /// </summary>
    public async Task<bool> RefreshIfIdleAsync(OAuthConnection connection, DateTimeOffset idleSince, CancellationToken cancellationToken)
    {
        using var activity = IntegrationsActivities.Start(IntegrationsActivities.Refresh, connection.Provider, connection.IntegrationId);
        activity?.SetTag("scoutflo.integration.trigger", "keep_alive");
        try
        {
            var record = await ReadUsableAsync(connection, cancellationToken).ConfigureAwait(false);
            if (record.GetCredential(connection.Slot.RefreshTokenField) is null)
            {
                return false;
            }

            var settings = options.CurrentValue;
            var grant = await GrantOwnerAsync(connection, record, cancellationToken).ConfigureAwait(false);
            var handle = await AcquireLockAsync(connection, grant, settings, cancellationToken).ConfigureAwait(false);
            if (handle is null)
            {
                return false;
            }

            await using (handle.ConfigureAwait(false))
            {
                var keeper = LeaseKeeper.Start(handle, settings.RefreshLockLease, timeProvider, logger, connection.IntegrationId);
                await using (keeper.ConfigureAwait(false))
                {
                    record = await ReadUsableAsync(connection, cancellationToken).ConfigureAwait(false);
                    record = await AdoptJournalAsync(connection, record, grant, cancellationToken).ConfigureAwait(false);
                    if (record.UpdatedAt >= idleSince || record.GetCredential(connection.Slot.RefreshTokenField) is null)
                    {
                        metrics.Refresh(connection.Provider, IntegrationsMetrics.OutcomeSkippedRefreshedElsewhere);
                        return false;
                    }

                    await RefreshWithProviderAsync(connection, record, grant, keeper, retryIfSuperseded: false, cancellationToken).ConfigureAwait(false);
                    return true;
                }
            }
        }
        catch (Exception ex) when (ex is IntegrationException)
        {
            await OnFlightFailedAsync(connection, ex, activity).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// The grant's identity, which names its refresh lock and its rotation journal. Siblings
    /// sharing one Atlassian grant must take one lock, and the choice may not depend on the
    /// refresh tokens they hold (a rotation writes them one by one, so a lookup by equal tokens
    /// changes under a reader): it is the lowest id among the account's Atlassian OAuth
    /// integrations. The key keeps the shared <c>...:{integration_id}:...:refresh_lock</c> format.
    /// </summary>
    private async Task<Integration> GrantOwnerAsync(OAuthConnection connection, Integration record, CancellationToken cancellationToken)
    {
        if (!connection.OAuth.SharesGrantAcrossProducts)
        {
            return record;
        }

        var candidates = await store.FindByAccountAsync(record.AccountId, GrantProviders(record), cancellationToken).ConfigureAwait(false);
        return candidates
            .Where(c => c.AuthType == IntegrationAuthTypes.OAuth2)
            .Append(record)
            .MinBy(r => r.Id, StringComparer.Ordinal)!;
    }

    private async Task<IDistributedLockHandle?> AcquireLockAsync(OAuthConnection connection, Integration grant, ScoutfloIntegrationsOptions settings, CancellationToken cancellationToken)
    {
        using var activity = IntegrationsActivities.Start(IntegrationsActivities.LockWait, connection.Provider, connection.IntegrationId);
        var lockKey = TokenKeys.RefreshLock(grant.Provider, grant.Id, grant.AccountId);
        var waitStarted = timeProvider.GetTimestamp();
        IDistributedLockHandle? handle;
        try
        {
            handle = await locks.TryAcquireAsync(lockKey, settings.RefreshLockLease, settings.RefreshLockWait, cancellationToken).ConfigureAwait(false);
        }
        catch (IntegrationException ex)
        {
            throw WithIntegration(ex, connection.Snapshot);
        }

        var waited = timeProvider.GetElapsedTime(waitStarted);
        Log.LockWait(logger, connection.IntegrationId, waited.TotalMilliseconds, handle is null ? "(not acquired)" : "(acquired)");
        metrics.LockWait(connection.Provider, handle is not null, waited);
        activity?.SetTag(IntegrationsActivities.OutcomeTag, handle is null ? "timed_out" : "acquired");
        return handle;
    }

    private CachedToken RefreshedElsewhere(OAuthConnection connection, CachedToken token)
    {
        Log.RefreshedElsewhere(logger, connection.IntegrationId);
        metrics.Refresh(connection.Provider, IntegrationsMetrics.OutcomeSkippedRefreshedElsewhere);
        Activity.Current?.SetTag(IntegrationsActivities.OutcomeTag, IntegrationsMetrics.OutcomeSkippedRefreshedElsewhere);
        return token;
    }

    private void RecordRefresh(string provider, string outcome, long startedTimestamp)
    {
        metrics.Refresh(provider, outcome);
        metrics.RefreshDuration(provider, outcome, timeProvider.GetElapsedTime(startedTimestamp));
        Activity.Current?.SetTag(IntegrationsActivities.OutcomeTag, outcome);
    }

    /// <summary>Telemetry and the refresh-failed event, once per failed flight however many callers wait on it.</summary>
    private async Task OnFlightFailedAsync(OAuthConnection connection, Exception failure, Activity? activity)
    {
        switch (failure)
        {
            case ReauthorizationRequiredException reauthorization:
                activity?.SetTag(IntegrationsActivities.OutcomeTag, IntegrationsMetrics.OutcomeReauthorizationRequired);
                IntegrationsActivities.Fail(activity, reauthorization.ErrorCode);
                break;
            case IntegrationNotFoundException notFound:
                IntegrationsActivities.Fail(activity, notFound.ErrorCode);
                break;
            case IntegrationException integrationFailure:
                IntegrationsActivities.Fail(activity, integrationFailure.ErrorCode);
                await events.RefreshFailedAsync(connection.IntegrationId, connection.Provider, connection.Snapshot.AccountId, integrationFailure, CancellationToken.None).ConfigureAwait(false);
                break;
            default:
                IntegrationsActivities.Fail(activity, failure.GetType().Name);
                break;
        }
    }

    private async Task<CachedToken?> FreshFromCacheAsync(OAuthConnection connection, CancellationToken cancellationToken)
    {
        var cached = await cache.GetAsync(connection.CacheKey, cancellationToken).ConfigureAwait(false);
        return cached is { } hit && hit.ExpiresAt > timeProvider.GetUtcNow() && !_refused.IsRefused(connection.CacheKey, hit.Token)
            ? await WireSafeFromCacheAsync(connection, hit, cancellationToken).ConfigureAwait(false)
            : null;
    }

    /// <summary>
    /// The shared cache is written by other processes (the TypeScript SDK too): a token there that
    /// holds a control character is dropped and this request fails, rather than reaching a header.
    /// </summary>
    private async ValueTask<CachedToken> WireSafeFromCacheAsync(OAuthConnection connection, CachedToken cached, CancellationToken cancellationToken)
    {
        if (!StoredValueRules.HasControlCharacter(cached.Token))
        {
            return cached;
        }

        await cache.RemoveIfAsync(connection.CacheKey, cached.Token, cancellationToken).ConfigureAwait(false);
        EnsureWireSafe(connection, cached.Token, "the shared token cache");
        return cached;
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

    private async Task<Integration> ReadUsableAsync(OAuthConnection connection, CancellationToken cancellationToken)
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

    /// <summary>The other integrations of the account that hold the same refresh token (one Atlassian grant).</summary>
    private async Task<IReadOnlyList<Integration>> FindSiblingsAsync(Integration record, OAuthTokenSlot slot, CancellationToken cancellationToken)
    {
        var refreshToken = record.GetCredential(slot.RefreshTokenField);
        if (refreshToken is null)
        {
            return [];
        }

        var candidates = await store.FindByAccountAsync(record.AccountId, GrantProviders(record), cancellationToken).ConfigureAwait(false);
        return candidates
            .Where(c => c.Id != record.Id
                && c.AuthType == IntegrationAuthTypes.OAuth2
                && string.Equals(c.GetCredential(slot.RefreshTokenField), refreshToken, StringComparison.Ordinal))
            .ToList();
    }

    private static string[] GrantProviders(Integration record) =>
        IntegrationProviders.IsAtlassian(record.Provider)
            ? [IntegrationProviders.Jira, IntegrationProviders.Jsm, IntegrationProviders.Confluence]
            : [record.Provider];

    private async Task MarkReauthorizationRequiredAsync(Integration record, IReadOnlyList<Integration> siblings, string reason, CancellationToken cancellationToken)
    {
        foreach (var target in siblings.Prepend(record))
        {
            var changed = await UpdateWithRetryAsync(target,
                current => current.Status == IntegrationStatus.ReauthorizationRequired
                    ? null
                    : current with { Status = IntegrationStatus.ReauthorizationRequired },
                cancellationToken).ConfigureAwait(false);
            connections.Invalidate(target.Id);
            if (changed is not null)
            {
                // Only the writer that changed the status gets here: one event per transition.
                Log.ReauthorizationRequired(logger, target.Id, target.Provider, reason);
                metrics.ReauthorizationRequired(target.Provider);
                await events.ReauthorizationRequiredAsync(changed, reason, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>A converging conditional update; a store failure other than a conflict becomes <c>integration_store_write_failed</c>.</summary>
    private async Task<Integration?> UpdateWithRetryAsync(Integration target, Func<Integration, Integration?> change, CancellationToken cancellationToken)
    {
        var integrationId = target.Id;
        try
        {
            return await ConvergingUpdate.ApplyAsync(
                ct => store.GetAsync(integrationId, ct),
                (updated, version, ct) => store.UpdateAsync(updated, version, ct),
                change,
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not IntegrationException and not OperationCanceledException)
        {
            throw new IntegrationException(IntegrationErrorCodes.StoreWriteFailed,
                $"Integration '{integrationId}': the store refused the write of its rotated tokens.", ex)
            {
                IntegrationId = integrationId,
                Provider = target.Provider,
            };
        }
    }
}
