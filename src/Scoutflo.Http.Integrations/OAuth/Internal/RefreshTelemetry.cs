using System.Diagnostics;
using Scoutflo.Http.Integrations.Events.Internal;
using Scoutflo.Http.Integrations.Telemetry;

namespace Scoutflo.Http.Integrations.OAuth.Internal;

/// <summary>What the refresh path tells: its outcomes as metrics, span tags, log lines and the refresh-failed event.</summary>
/// <remarks>Logs under the <see cref="OAuthTokenManager"/> category, so filters set on the refresh path keep applying.</remarks>
internal sealed class RefreshTelemetry(
    TimeProvider timeProvider,
    ILogger<OAuthTokenManager> logger,
    IntegrationsMetrics metrics,
    IntegrationEventDispatcher events)
{
    /// <summary>A token someone else refreshed (or stored) was found: no call to the provider.</summary>
    public CachedToken RefreshedElsewhere(OAuthConnection connection, CachedToken token)
    {
        Log.RefreshedElsewhere(logger, connection.IntegrationId);
        metrics.Refresh(connection.Provider, IntegrationsMetrics.OutcomeSkippedRefreshedElsewhere);
        Activity.Current?.SetTag(IntegrationsActivities.OutcomeTag, IntegrationsMetrics.OutcomeSkippedRefreshedElsewhere);
        return token;
    }

    /// <summary>One call to the provider ended with <paramref name="outcome"/>.</summary>
    public void Refreshed(string provider, string outcome, long startedTimestamp)
    {
        metrics.Refresh(provider, outcome);
        metrics.RefreshDuration(provider, outcome, timeProvider.GetElapsedTime(startedTimestamp));
        Activity.Current?.SetTag(IntegrationsActivities.OutcomeTag, outcome);
    }

    /// <summary>Telemetry and the refresh-failed event, once per failed flight however many callers wait on it.</summary>
    public async Task FlightFailedAsync(OAuthConnection connection, Exception failure, Activity? activity)
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

    /// <summary>The failure, carrying the integration's id and provider if it did not yet.</summary>
    public static IntegrationException WithIntegration(IntegrationException failure, Integration record) =>
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
}
