using Scoutflo.Http.Integrations.Telemetry;

namespace Scoutflo.Http.Integrations.Events.Internal;

/// <summary>Calls every registered <see cref="IIntegrationEvents"/>; one that throws is logged and skipped.</summary>
internal sealed class IntegrationEventDispatcher(IEnumerable<IIntegrationEvents> handlers, TimeProvider timeProvider, ILogger<IntegrationEventDispatcher> logger)
{
    private readonly IIntegrationEvents[] _handlers = [.. handlers];

    public ValueTask ReauthorizationRequiredAsync(Integration integration, string reason, CancellationToken cancellationToken) =>
        _handlers.Length == 0
            ? ValueTask.CompletedTask
            : DispatchAsync("reauthorization_required", Context(integration, IntegrationErrorCodes.ReauthorizationRequired, reason, null),
                static (h, c, t) => h.OnReauthorizationRequiredAsync(c, t), cancellationToken);

    public ValueTask RefreshFailedAsync(string integrationId, string provider, string accountId, IntegrationException failure, CancellationToken cancellationToken) =>
        _handlers.Length == 0
            ? ValueTask.CompletedTask
            : DispatchAsync("refresh_failed", new IntegrationEventContext
            {
                IntegrationId = integrationId,
                Provider = provider,
                AccountId = accountId,
                ErrorCode = failure.ErrorCode,
                Reason = (failure as OAuthTokenRequestException)?.ProviderError,
                OccurredAt = timeProvider.GetUtcNow(),
                Exception = failure,
            }, static (h, c, t) => h.OnRefreshFailedAsync(c, t), cancellationToken);

    private IntegrationEventContext Context(Integration integration, string errorCode, string? reason, Exception? exception) => new()
    {
        IntegrationId = integration.Id,
        Provider = integration.Provider,
        AccountId = integration.AccountId,
        ErrorCode = errorCode,
        Reason = reason,
        OccurredAt = timeProvider.GetUtcNow(),
        Exception = exception,
    };

    private async ValueTask DispatchAsync(string eventName, IntegrationEventContext context,
        Func<IIntegrationEvents, IntegrationEventContext, CancellationToken, ValueTask> call, CancellationToken cancellationToken)
    {
        foreach (var handler in _handlers)
        {
            try
            {
                await call(handler, context, cancellationToken).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // A consumer's handler must never fail the request that raised the event.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.EventHandlerFailed(logger, handler.GetType().Name, eventName, context.IntegrationId, ex);
            }
        }
    }
}
