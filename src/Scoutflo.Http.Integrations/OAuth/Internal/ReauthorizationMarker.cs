using Scoutflo.Http.Integrations.Connections.Internal;
using Scoutflo.Http.Integrations.Events.Internal;
using Scoutflo.Http.Integrations.Telemetry;

namespace Scoutflo.Http.Integrations.OAuth.Internal;

/// <summary>
/// Marks a dead grant: the integration and the siblings sharing it move to
/// <c>reauthorization_required</c>, each once, with one log line, metric and event per
/// transition (only the writer that changed the status tells).
/// </summary>
/// <remarks>Logs under the <see cref="OAuthTokenManager"/> category, so filters set on the refresh path keep applying.</remarks>
internal sealed class ReauthorizationMarker(
    IIntegrationStore store,
    GrantLookup grants,
    ResolvedConnectionCache connections,
    ILogger<OAuthTokenManager> logger,
    IntegrationsMetrics metrics,
    IntegrationEventDispatcher events)
{
    /// <summary>Marks the connection's current record and its siblings; nothing when the record is gone.</summary>
    public async Task MarkAsync(OAuthConnection connection, string reason, CancellationToken cancellationToken)
    {
        var record = await store.GetAsync(connection.IntegrationId, cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            return;
        }

        var siblings = await grants.SiblingsAsync(connection, record, cancellationToken).ConfigureAwait(false);
        await MarkAsync(record, siblings, reason, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Marks <paramref name="record"/> and <paramref name="siblings"/>, already read by the caller.</summary>
    public async Task MarkAsync(Integration record, IReadOnlyList<Integration> siblings, string reason, CancellationToken cancellationToken)
    {
        foreach (var target in siblings.Prepend(record))
        {
            var changed = await TokenRecordWrites.UpdateWithRetryAsync(store, target,
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
}
