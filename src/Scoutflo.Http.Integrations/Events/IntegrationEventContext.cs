namespace Scoutflo.Http.Integrations;

/// <summary>What an <see cref="IIntegrationEvents"/> handler is told. Holds no secret.</summary>
public sealed class IntegrationEventContext
{
    /// <summary>The integration the event is about.</summary>
    public required string IntegrationId { get; init; }

    /// <summary>Its provider (<see cref="IntegrationProviders"/>).</summary>
    public required string Provider { get; init; }

    /// <summary>The consuming service's account (tenant) that owns it.</summary>
    public required string AccountId { get; init; }

    /// <summary>
    /// The stable error code (<see cref="IntegrationException.ErrorCode"/>), e.g.
    /// <c>integration_reauthorization_required</c> or <c>oauth_token_endpoint_unavailable</c>.
    /// </summary>
    public required string ErrorCode { get; init; }

    /// <summary>The provider's error (e.g. <c>invalid_grant</c>) or a short explanation, when known.</summary>
    public string? Reason { get; init; }

    /// <summary>When the transition happened (by the injected <see cref="TimeProvider"/>).</summary>
    public DateTimeOffset OccurredAt { get; init; }

    /// <summary>The failure, for <see cref="IIntegrationEvents.OnRefreshFailedAsync"/>; its message carries no secret.</summary>
    public Exception? Exception { get; init; }
}
