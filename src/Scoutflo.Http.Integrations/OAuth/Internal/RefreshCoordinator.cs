using Scoutflo.Http.Integrations.Telemetry;

namespace Scoutflo.Http.Integrations.OAuth.Internal;

/// <summary>
/// At most one refresh per rotation across every process: single flight in-process, then the
/// grant's shared refresh lock (its lease kept alive while held), then a re-read of the cache
/// and the record (someone may have refreshed meanwhile, or left a journaled rotation), and
/// only then <see cref="ProviderRefresh"/>.
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
        if (handle is null)
        {
            return await notAcquired().ConfigureAwait(false);
        }

        await using (handle.ConfigureAwait(false))
        {
            var keeper = LeaseKeeper.Start(handle, settings.RefreshLockLease, timeProvider, logger, connection.IntegrationId);
            await using (keeper.ConfigureAwait(false))
            {
                return await underLock(keeper).ConfigureAwait(false);
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
            await telemetry.FlightFailedAsync(connection, ex, activity).ConfigureAwait(false);
            flight.TrySetException(ex);
        }
        finally
        {
            _inflight.TryRemove(new KeyValuePair<string, Task<CachedToken>>(connection.CacheKey, flight.Task));
        }
    }

    private async Task<CachedToken> RefreshUnderLockAsync(OAuthConnection connection, string? rejectedToken, CancellationToken cancellationToken)
    {
        if (rejectedToken is not null)
        {
            await sources.RemoveIfAsync(connection, rejectedToken, cancellationToken).ConfigureAwait(false);
        }

        var record = await sources.ReadUsableAsync(connection, cancellationToken).ConfigureAwait(false);
        var grant = await grants.GrantOwnerAsync(connection, record, cancellationToken).ConfigureAwait(false);
        return await UnderLockAsync(connection, grant,
            keeper => RefreshHoldingLockAsync(connection, grant, keeper, cancellationToken),
            async () => await sources.FreshFromCacheAsync(connection, cancellationToken).ConfigureAwait(false) is { } elsewhere
                ? telemetry.RefreshedElsewhere(connection, elsewhere)
                : throw new IntegrationException(IntegrationErrorCodes.RefreshLockTimeout,
                    $"Integration '{connection.IntegrationId}': another process held the refresh lock for more than {options.CurrentValue.RefreshLockWait.TotalSeconds:0.#} s.")
                {
                    IntegrationId = connection.IntegrationId,
                    Provider = connection.Provider,
                },
            cancellationToken).ConfigureAwait(false);
    }

    private async Task<CachedToken> RefreshHoldingLockAsync(OAuthConnection connection, Integration grant, LeaseKeeper keeper, CancellationToken cancellationToken)
    {
        if (await sources.FreshFromCacheAsync(connection, cancellationToken).ConfigureAwait(false) is { } cached)
        {
            return telemetry.RefreshedElsewhere(connection, cached);
        }

        var record = await sources.ReadUsableAsync(connection, cancellationToken).ConfigureAwait(false);
        record = await writer.AdoptJournalAsync(connection, record, grant, cancellationToken).ConfigureAwait(false);
        if (sources.UsableStored(connection, record) is { } stored)
        {
            if (await sources.CacheStoredTokenAsync(connection, stored, cancellationToken).ConfigureAwait(false))
            {
                return telemetry.RefreshedElsewhere(connection, stored);
            }

            // Deleted (this throws) or changed since the read (a re-install): what it holds now.
            record = await sources.ReadUsableAsync(connection, cancellationToken).ConfigureAwait(false);
            if (sources.UsableStored(connection, record) is { } current)
            {
                return telemetry.RefreshedElsewhere(connection, current);
            }
        }

        return await provider.RefreshAsync(connection, record, grant, keeper, retryIfSuperseded: true, cancellationToken).ConfigureAwait(false);
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
