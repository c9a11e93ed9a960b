using Scoutflo.Http.Integrations.OAuth.Internal;
using Scoutflo.Http.Integrations.Telemetry;

namespace Scoutflo.Http.Integrations.KeepAlive.Internal;

/// <summary>
/// Keep-alive's refresh of one connection: refreshes even though the access token may still be
/// good, so that an idle refresh token is used before the provider expires it. Same lock,
/// re-read and rotation writes as a request's refresh (<see cref="RefreshCoordinator"/>).
/// </summary>
internal sealed class IdleTokenRefresh(
    TokenSources sources,
    GrantLookup grants,
    RefreshCoordinator refreshes,
    RotationWriter writer,
    ProviderRefresh provider,
    RefreshTelemetry telemetry,
    IntegrationsMetrics metrics)
{
    /// <summary>
    /// Refreshes the connection; skipped (returns <see langword="false"/>) when, once the lock is
    /// held, the record turns out to have been written since <paramref name="idleSince"/>
    /// (someone refreshed meanwhile), when another holder keeps the lock, or when there is no
    /// refresh token.
    /// </summary>
    public async Task<bool> RefreshIfIdleAsync(OAuthConnection connection, DateTimeOffset idleSince, CancellationToken cancellationToken)
    {
        using var activity = IntegrationsActivities.Start(IntegrationsActivities.Refresh, connection.Provider, connection.IntegrationId);
        activity?.SetTag("scoutflo.integration.trigger", "keep_alive");
        try
        {
            var record = await sources.ReadUsableAsync(connection, cancellationToken).ConfigureAwait(false);
            if (record.GetCredential(connection.Slot.RefreshTokenField) is null)
            {
                return false;
            }

            var grant = await grants.GrantOwnerAsync(connection, record, cancellationToken).ConfigureAwait(false);
            return await refreshes.UnderLockAsync(connection, grant,
                async keeper =>
                {
                    var read = await grants.ReadAsync(connection, cancellationToken).ConfigureAwait(false);
                    var current = await writer.AdoptJournalAsync(connection, read.Record, read.Siblings, grant, cancellationToken).ConfigureAwait(false);
                    if (current.UpdatedAt >= idleSince || current.GetCredential(connection.Slot.RefreshTokenField) is null)
                    {
                        metrics.Refresh(connection.Provider, IntegrationsMetrics.OutcomeSkippedRefreshedElsewhere);
                        return false;
                    }

                    await provider.RefreshAsync(connection, current, read.Siblings, grant, keeper, retryIfSuperseded: false, cancellationToken).ConfigureAwait(false);
                    return true;
                },
                () => Task.FromResult(false),
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IntegrationException)
        {
            await telemetry.FlightFailedAsync(connection, ex, activity).ConfigureAwait(false);
            throw;
        }
    }
}
