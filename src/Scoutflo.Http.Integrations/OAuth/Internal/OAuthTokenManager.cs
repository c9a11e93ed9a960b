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
/// refresh token is stored (on the integration and every sibling sharing the grant) before the
/// new access token is cached or used.
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

    /// <summary>The instruments, shared with the per-connection appliers (which record level-1 hits).</summary>
    public IntegrationsMetrics Metrics => metrics;

    /// <summary>A usable token: shared cache, then the record as resolved, then a refresh.</summary>
    public async ValueTask<CachedToken> GetTokenAsync(OAuthConnection connection, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        if (await cache.GetAsync(connection.CacheKey, cancellationToken).ConfigureAwait(false) is { } cached && cached.ExpiresAt > now)
        {
            metrics.TokenCacheHit(IntegrationsMetrics.LevelL2);
            return await WireSafeFromCacheAsync(connection, cached, cancellationToken).ConfigureAwait(false);
        }

        metrics.TokenCacheMiss(IntegrationsMetrics.LevelL2);
        if (StoredTokens.Usable(connection.Snapshot, connection.Slot, now, options.CurrentValue.TokenExpirySkew) is { } stored)
        {
            EnsureWireSafe(connection, stored.Token, "the stored record");
            metrics.TokenCacheHit(IntegrationsMetrics.LevelStore);
            await cache.SetAsync(connection.CacheKey, stored.Token, stored.ExpiresAt - now, cancellationToken).ConfigureAwait(false);
            return stored;
        }

        metrics.TokenCacheMiss(IntegrationsMetrics.LevelStore);
        return await RefreshAsync(connection, rejectedToken: null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A token other than <paramref name="rejectedToken"/>, refreshing if nobody has yet.</summary>
    public async Task<CachedToken> RefreshAsync(OAuthConnection connection, string? rejectedToken, CancellationToken cancellationToken)
    {
        var token = await SingleFlightAsync(connection, rejectedToken, cancellationToken).ConfigureAwait(false);

        // A flight that began before this token was refused may have handed it back: one more.
        if (rejectedToken is not null && string.Equals(token.Token, rejectedToken, StringComparison.Ordinal))
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
        var lockKey = await RefreshLockKeyAsync(connection, record, cancellationToken).ConfigureAwait(false);
        var handle = await AcquireLockAsync(connection, lockKey, settings, cancellationToken).ConfigureAwait(false);
        if (handle is null)
        {
            return await FreshFromCacheAsync(connection, rejectedToken, cancellationToken).ConfigureAwait(false) is { } elsewhere
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
            if (await FreshFromCacheAsync(connection, rejectedToken, cancellationToken).ConfigureAwait(false) is { } cached)
            {
                return RefreshedElsewhere(connection, cached);
            }

            record = await ReadUsableAsync(connection, cancellationToken).ConfigureAwait(false);
            var now = timeProvider.GetUtcNow();
            if (StoredTokens.Usable(record, connection.Slot, now, settings.TokenExpirySkew) is { } stored
                && !string.Equals(stored.Token, rejectedToken, StringComparison.Ordinal))
            {
                EnsureWireSafe(connection, stored.Token, "the stored record");
                await cache.SetAsync(connection.CacheKey, stored.Token, stored.ExpiresAt - now, cancellationToken).ConfigureAwait(false);
                return RefreshedElsewhere(connection, stored);
            }

            return await RefreshWithProviderAsync(connection, record, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<CachedToken> RefreshWithProviderAsync(OAuthConnection connection, Integration record, CancellationToken cancellationToken)
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
        try
        {
            tokens = await connection.OAuth.RefreshAsync(record, slot, refreshToken, cancellationToken).ConfigureAwait(false);

            // Before anything is stored or cached: such a token would be written raw into a header.
            if (StoredValueRules.HasControlCharacter(tokens.AccessToken) || (tokens.RefreshToken is { } rotatedToken && StoredValueRules.HasControlCharacter(rotatedToken)))
            {
                throw new OAuthTokenRequestException(IntegrationErrorCodes.TokenResponseInvalid,
                    $"The {record.Provider} token endpoint answered a token that contains a control character; it was not stored nor used.");
            }
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
            throw;
        }

        // Persist before anything uses the new token: the old refresh token is spent, and the
        // new one exists nowhere else.
        var rotated = tokens.RefreshToken ?? refreshToken;
        await UpdateWithRetryAsync(record.Id,
            current => StoredTokens.WithTokens(current, slot, tokens.AccessToken, rotated, tokens.ExpiresAt),
            cancellationToken).ConfigureAwait(false);

        var updatedSiblings = new List<Integration>();
        foreach (var sibling in siblings)
        {
            var written = await UpdateWithRetryAsync(sibling.Id,
                current => string.Equals(current.GetCredential(slot.RefreshTokenField), refreshToken, StringComparison.Ordinal)
                    ? StoredTokens.WithTokens(current, slot, tokens.AccessToken, rotated, tokens.ExpiresAt)
                    : null,
                cancellationToken).ConfigureAwait(false);
            if (written is not null)
            {
                updatedSiblings.Add(written);
            }
        }

        var now = timeProvider.GetUtcNow();
        var cacheUntil = StoredTokens.FreshTokenExpiry(tokens.ExpiresAt ?? now + StoredTokens.UnknownLifetime, now, options.CurrentValue.TokenExpirySkew);
        await cache.SetAsync(connection.CacheKey, tokens.AccessToken, cacheUntil - now, cancellationToken).ConfigureAwait(false);
        foreach (var sibling in updatedSiblings)
        {
            var key = TokenKeys.AccessToken(sibling.Provider, sibling.Id, sibling.AccountId, slot.CacheKeyName);
            await cache.SetAsync(key, tokens.AccessToken, cacheUntil - now, cancellationToken).ConfigureAwait(false);
        }

        RecordRefresh(record.Provider, IntegrationsMetrics.OutcomeSuccess, started);
        Log.RefreshSucceeded(logger, record.Id, record.Provider, updatedSiblings.Count);
        return new CachedToken(tokens.AccessToken, cacheUntil);
    }

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

            var lockKey = await RefreshLockKeyAsync(connection, record, cancellationToken).ConfigureAwait(false);
            var handle = await AcquireLockAsync(connection, lockKey, options.CurrentValue, cancellationToken).ConfigureAwait(false);
            if (handle is null)
            {
                return false;
            }

            await using (handle.ConfigureAwait(false))
            {
                record = await ReadUsableAsync(connection, cancellationToken).ConfigureAwait(false);
                if (record.UpdatedAt >= idleSince || record.GetCredential(connection.Slot.RefreshTokenField) is null)
                {
                    metrics.Refresh(connection.Provider, IntegrationsMetrics.OutcomeSkippedRefreshedElsewhere);
                    return false;
                }

                await RefreshWithProviderAsync(connection, record, cancellationToken).ConfigureAwait(false);
                return true;
            }
        }
        catch (Exception ex) when (ex is IntegrationException)
        {
            await OnFlightFailedAsync(connection, ex, activity).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Siblings spend one refresh token, so they must take one lock: the lowest id's.</summary>
    private async Task<string> RefreshLockKeyAsync(OAuthConnection connection, Integration record, CancellationToken cancellationToken)
    {
        var siblings = connection.OAuth.SharesGrantAcrossProducts
            ? await FindSiblingsAsync(record, connection.Slot, cancellationToken).ConfigureAwait(false)
            : [];
        var owner = siblings.Append(record).MinBy(r => r.Id, StringComparer.Ordinal)!;
        return TokenKeys.RefreshLock(owner.Provider, owner.Id, owner.AccountId);
    }

    private async Task<IDistributedLockHandle?> AcquireLockAsync(OAuthConnection connection, string lockKey, ScoutfloIntegrationsOptions settings, CancellationToken cancellationToken)
    {
        using var activity = IntegrationsActivities.Start(IntegrationsActivities.LockWait, connection.Provider, connection.IntegrationId);
        var waitStarted = timeProvider.GetTimestamp();
        var handle = await locks.TryAcquireAsync(lockKey, settings.RefreshLockLease, settings.RefreshLockWait, cancellationToken).ConfigureAwait(false);
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

    private async Task<CachedToken?> FreshFromCacheAsync(OAuthConnection connection, string? rejectedToken, CancellationToken cancellationToken)
    {
        var cached = await cache.GetAsync(connection.CacheKey, cancellationToken).ConfigureAwait(false);
        return cached is { } hit && hit.ExpiresAt > timeProvider.GetUtcNow() && !string.Equals(hit.Token, rejectedToken, StringComparison.Ordinal)
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
        var record = await store.GetAsync(connection.IntegrationId, cancellationToken).ConfigureAwait(false)
            ?? throw new IntegrationNotFoundException(connection.IntegrationId);
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

        var candidates = await store.FindByAccountAsync(record.AccountId, connectionProviders(record), cancellationToken).ConfigureAwait(false);
        return candidates
            .Where(c => c.Id != record.Id
                && c.AuthType == IntegrationAuthTypes.OAuth2
                && string.Equals(c.GetCredential(slot.RefreshTokenField), refreshToken, StringComparison.Ordinal))
            .ToList();

        static string[] connectionProviders(Integration record) =>
            IntegrationProviders.IsAtlassian(record.Provider)
                ? [IntegrationProviders.Jira, IntegrationProviders.Jsm, IntegrationProviders.Confluence]
                : [record.Provider];
    }

    private async Task MarkReauthorizationRequiredAsync(Integration record, IReadOnlyList<Integration> siblings, string reason, CancellationToken cancellationToken)
    {
        foreach (var target in siblings.Prepend(record))
        {
            var changed = await UpdateWithRetryAsync(target.Id,
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
    private async Task<Integration?> UpdateWithRetryAsync(string integrationId, Func<Integration, Integration?> change, CancellationToken cancellationToken)
    {
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
            };
        }
    }
}
