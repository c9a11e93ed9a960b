using Scoutflo.Http.Integrations.Telemetry;

namespace Scoutflo.Http.Integrations.OAuth.Internal;

/// <summary>
/// At most one refresh per rotation across every process: single flight in-process, then the
/// grant's shared refresh lock (its lease kept alive while held), then a re-read of the cache
/// and the record (someone may have refreshed meanwhile, or left a journaled rotation), and
/// only then <see cref="ProviderRefresh"/>. The record is read once, under the lock, with its
/// siblings, and handed along: a refresh costs the store one read, one write call for the record
/// and its siblings (<see cref="IIntegrationStore.UpdateEachAsync"/>) and one check after the
/// cache writes.
/// </summary>
/// <remarks>Logs under the <see cref="OAuthTokenManager"/> category, so filters set on the refresh path keep applying.</remarks>
internal sealed class RefreshCoordinator(
    IDistributedLock locks,
    TokenSources sources,
    GrantLookup grants,
    RotationWriter writer,
    ProviderRefresh provider,
    RefreshTelemetry telemetry,
    IOptionsMonitor<ScoutfloIntegrationsOptions> options,
    TimeProvider timeProvider,
    ILogger<OAuthTokenManager> logger,
    IntegrationsMetrics metrics)
{
    /// <summary>How often a refresh waiting for another holder's lock looks for that holder's token in the shared cache.</summary>
    internal static readonly TimeSpan LockWaitPollInterval = TimeSpan.FromMilliseconds(10);

    // Past this much waiting, the holder is slow (or gone, its lease running out): look less often.
    private static readonly TimeSpan LockWaitFastPolling = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LockWaitSlowPollInterval = TimeSpan.FromMilliseconds(100);

    // A guessed lock turned out not to be the grant's: how many times to move to the right one.
    private const int MaxOwnerMoves = 2;

    private readonly ConcurrentDictionary<string, Task<CachedToken>> _inflight = new(StringComparer.Ordinal);

    /// <summary>Joins the connection's running refresh, or starts one.</summary>
    public Task<CachedToken> RefreshAsync(OAuthConnection connection, string? rejectedToken, CancellationToken cancellationToken)
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

    /// <summary>
    /// Runs <paramref name="underLock"/> while this process holds the refresh lock of
    /// <paramref name="grant"/> (its lease kept alive meanwhile); <paramref name="notAcquired"/>
    /// when another holder kept the lock past the wait. What was read before is stale under the
    /// lock: <paramref name="underLock"/> reads again.
    /// </summary>
    public async Task<T> UnderLockAsync<T>(
        OAuthConnection connection,
        Integration grant,
        Func<LeaseKeeper, Task<T>> underLock,
        Func<Task<T>> notAcquired,
        CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var handle = await AcquireLockAsync(connection, grant, settings, cancellationToken).ConfigureAwait(false);
        return handle is null
            ? await notAcquired().ConfigureAwait(false)
            : await HoldingAsync(connection, handle, settings, underLock).ConfigureAwait(false);
    }

    // The shared work is not cancelled by the first caller's token: others wait on it too. It is
    // bounded by the lock wait and the token request's timeout and retries.
    private async Task RunFlightAsync(OAuthConnection connection, string? rejectedToken, TaskCompletionSource<CachedToken> flight)
    {
        using var activity = IntegrationsActivities.Start(IntegrationsActivities.Refresh, connection.Provider, connection.IntegrationId);
        try
        {
            flight.TrySetResult(await RefreshUnderLockAsync(connection, rejectedToken, token => flight.TrySetResult(token), CancellationToken.None).ConfigureAwait(false));
        }
        catch (Exception ex) when (!flight.Task.IsCompleted)
        {
            // Before the waiters are released: they see the failure after its event, never before.
            // And out of the table first: a caller that asks again after seeing the failure
            // starts its own flight rather than joining the failed one.
            await telemetry.FlightFailedAsync(connection, ex, activity).ConfigureAwait(false);
            _inflight.TryRemove(new KeyValuePair<string, Task<CachedToken>>(connection.CacheKey, flight.Task));
            flight.TrySetException(ex);
        }
        catch (Exception)
        {
            // The waiters have their token already; what failed after it (the lock's release,
            // which a lease ends anyway) is the lock backend's to report.
        }
        finally
        {
            _inflight.TryRemove(new KeyValuePair<string, Task<CachedToken>>(connection.CacheKey, flight.Task));
        }
    }

    /// <param name="connection">The token family.</param>
    /// <param name="rejectedToken">The token a 401 refused, if any.</param>
    /// <param name="ready">
    /// Told the token as soon as it is stored and cached, while the lock is still held: the
    /// waiters need not wait for its release (two round trips to the lock's backend). Also told
    /// a token found in the shared cache while an abandoned attempt on the lock is still
    /// unanswered: the waiters need not wait for its answer, nor for the release of a lock it took.
    /// </param>
    /// <param name="cancellationToken">Cancels the work.</param>
    private async Task<CachedToken> RefreshUnderLockAsync(OAuthConnection connection, string? rejectedToken, Action<CachedToken> ready, CancellationToken cancellationToken)
    {
        if (rejectedToken is not null)
        {
            await sources.RemoveIfAsync(connection, rejectedToken, cancellationToken).ConfigureAwait(false);
        }

        // No store read before the lock: only the read made under it counts, and that read also
        // says whether the lock taken was the grant's (its owner), so a guess is enough to start.
        var owner = grants.LikelyOwner(connection);
        for (var moves = 0; ; moves++)
        {
            var locked = owner;
            var mayMove = moves < MaxOwnerMoves;
            var settings = options.CurrentValue;
            var (handle, elsewhere) = await AcquireOrFindRefreshedAsync(connection, locked, settings, ready, cancellationToken).ConfigureAwait(false);
            if (elsewhere is { } served)
            {
                return served;
            }

            var outcome = handle is not null
                ? await HoldingAsync(connection, handle, settings, async keeper =>
                    {
                        var refreshed = await RefreshHoldingLockAsync(connection, locked, keeper, mayMove, cancellationToken).ConfigureAwait(false);
                        if (refreshed.Token is { } early)
                        {
                            ready(early);
                        }

                        return refreshed;
                    }).ConfigureAwait(false)
                : await sources.FreshFromCacheAsync(connection, cancellationToken).ConfigureAwait(false) is { } late
                    ? new LockedRefresh(telemetry.RefreshedElsewhere(connection, late), null)
                    : throw new IntegrationException(IntegrationErrorCodes.RefreshLockTimeout,
                        $"Integration '{connection.IntegrationId}': another process held the refresh lock for more than {settings.RefreshLockWait.TotalSeconds:0.#} s.")
                    {
                        IntegrationId = connection.IntegrationId,
                        Provider = connection.Provider,
                    };
            if (outcome.Token is { } token)
            {
                return token;
            }

            owner = outcome.MoveTo!;
        }
    }

    private async Task<LockedRefresh> RefreshHoldingLockAsync(OAuthConnection connection, Integration locked, LeaseKeeper keeper, bool mayMove, CancellationToken cancellationToken)
    {
        if (await sources.FreshFromCacheAsync(connection, cancellationToken).ConfigureAwait(false) is { } cached)
        {
            return new LockedRefresh(telemetry.RefreshedElsewhere(connection, cached), null);
        }

        // The record, its siblings and the grant's owner: one store round trip, under the lock.
        var read = await grants.ReadAsync(connection, cancellationToken).ConfigureAwait(false);
        if (mayMove && !SameLock(read.Owner, locked))
        {
            // The guess named another lock than the grant's: nothing was spent under it; move.
            // Past a few moves (installs and deletes racing on the account) the refresh goes on
            // under the lock held, as it did when the owner was looked up before locking.
            // The owner's holder may have cached its token while the read ran: taken now, it
            // spares the callers this lock's release and a wait on the owner's.
            return await sources.FreshFromCacheAsync(connection, cancellationToken).ConfigureAwait(false) is { } meanwhile
                ? new LockedRefresh(telemetry.RefreshedElsewhere(connection, meanwhile), null)
                : new LockedRefresh(null, read.Owner);
        }

        var record = await writer.AdoptJournalAsync(connection, read.Record, read.Siblings, read.Owner, cancellationToken).ConfigureAwait(false);
        if (!ReferenceEquals(record, read.Record))
        {
            // A journaled rotation was adopted (or the record changed meanwhile): the siblings
            // hold other tokens than they were read with.
            read = await grants.ReadAsync(connection, cancellationToken).ConfigureAwait(false);
            record = read.Record;
        }

        if (sources.UsableStored(connection, record) is { } stored)
        {
            if (await sources.CacheStoredTokenAsync(connection, stored, cancellationToken).ConfigureAwait(false))
            {
                return new LockedRefresh(telemetry.RefreshedElsewhere(connection, stored), null);
            }

            // Deleted (this throws) or changed since the read (a re-install): what it holds now.
            read = await grants.ReadAsync(connection, cancellationToken).ConfigureAwait(false);
            record = read.Record;
            if (sources.UsableStored(connection, record) is { } current)
            {
                return new LockedRefresh(telemetry.RefreshedElsewhere(connection, current), null);
            }
        }

        var token = await provider.RefreshAsync(connection, record, read.Siblings, read.Owner, keeper, retryIfSuperseded: true, cancellationToken).ConfigureAwait(false);
        return new LockedRefresh(token, null);
    }

    private static bool SameLock(Integration owner, Integration locked) =>
        string.Equals(TokenKeys.RefreshLock(owner.Provider, owner.Id, owner.AccountId), TokenKeys.RefreshLock(locked.Provider, locked.Id, locked.AccountId), StringComparison.Ordinal);

    private async Task<T> HoldingAsync<T>(OAuthConnection connection, IDistributedLockHandle handle, ScoutfloIntegrationsOptions settings, Func<LeaseKeeper, Task<T>> underLock)
    {
        await using (handle.ConfigureAwait(false))
        {
            var keeper = LeaseKeeper.Start(handle, settings.RefreshLockLease, timeProvider, logger, connection.IntegrationId);
            await using (keeper.ConfigureAwait(false))
            {
                return await underLock(keeper).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Waits for the lock while looking at the shared cache on a short schedule: a holder in
    /// another process caches its new token before its last store check and its release, so a
    /// waiter is served as soon as the token is there, rather than when its turn at the lock
    /// comes (after every other process's waiter has taken and released it in turn). The
    /// abandoned attempt is cancelled, and a lock it took meanwhile released; a token found is
    /// told to <paramref name="ready"/> first, since an attempt already sent is awaited to its
    /// answer (and a lock it took released: two more round trips), which the waiters do not need.
    /// </summary>
    private async Task<(IDistributedLockHandle? Handle, CachedToken? Elsewhere)> AcquireOrFindRefreshedAsync(
        OAuthConnection connection, Integration grant, ScoutfloIntegrationsOptions settings, Action<CachedToken> ready, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var started = timeProvider.GetTimestamp();

        // The first look is scheduled before the attempt: a free lock wins the race at once.
        var look = Task.Delay(LockWaitPollInterval, timeProvider, stop.Token);
        var acquiring = AcquireLockAsync(connection, grant, settings, stop.Token);
        var handedOver = false;
        try
        {
            while (true)
            {
                if (await Task.WhenAny(acquiring, look).ConfigureAwait(false) == acquiring)
                {
                    handedOver = true;
                    return (await acquiring.ConfigureAwait(false), null);
                }

                if (await sources.FreshFromCacheAsync(connection, cancellationToken).ConfigureAwait(false) is { } found)
                {
                    var elsewhere = telemetry.RefreshedElsewhere(connection, found);
                    ready(elsewhere);
                    return (null, elsewhere);
                }

                // A holder that takes long (a slow token endpoint, a lost lease) is looked for less often.
                look = Task.Delay(timeProvider.GetElapsedTime(started) < LockWaitFastPolling ? LockWaitPollInterval : LockWaitSlowPollInterval, timeProvider, stop.Token);
            }
        }
        finally
        {
            // Frees the pending look's timer, and stops an attempt that lost the race.
            await stop.CancelAsync().ConfigureAwait(false);
            if (!handedOver)
            {
                await ReleaseAbandonedAsync(acquiring).ConfigureAwait(false);
            }
        }
    }

    private static async Task ReleaseAbandonedAsync(Task<IDistributedLockHandle?> acquiring)
    {
        try
        {
            if (await acquiring.ConfigureAwait(false) is { } taken)
            {
                await taken.DisposeAsync().ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IntegrationException)
        {
            // Cancelled as intended, or the lock's backend failed: nothing was taken.
        }
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
            throw RefreshTelemetry.WithIntegration(ex, connection.Snapshot);
        }

        var waited = timeProvider.GetElapsedTime(waitStarted);
        Log.LockWait(logger, connection.IntegrationId, waited.TotalMilliseconds, handle is null ? "(not acquired)" : "(acquired)");
        metrics.LockWait(connection.Provider, handle is not null, waited);
        activity?.SetTag(IntegrationsActivities.OutcomeTag, handle is null ? "timed_out" : "acquired");
        return handle;
    }
}

/// <summary>What a pass under one lock came to: a token, or the grant's owner whose lock to take instead.</summary>
internal readonly record struct LockedRefresh(CachedToken? Token, Integration? MoveTo);
