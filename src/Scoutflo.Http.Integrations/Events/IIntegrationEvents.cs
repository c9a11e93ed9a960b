namespace Scoutflo.Http.Integrations;

/// <summary>
/// Lets the consuming service react when a connection breaks, e.g. to tell its customer to
/// connect Jira again. Register implementations with <c>AddEvents&lt;T&gt;()</c> on the
/// integrations builder (or as <see cref="IIntegrationEvents"/> singletons); there are none by
/// default. Each method is called once per transition, not once per request: fifty requests
/// failing on one revoked grant raise one <see cref="OnReauthorizationRequiredAsync"/>.
/// </summary>
/// <remarks>
/// Handlers run on the refresh path of the request that caused the transition, so keep them
/// quick (enqueue a notification rather than send it). An exception a handler throws is logged
/// and swallowed: it never fails the request. Implement only the methods you need; the others
/// do nothing.
/// </remarks>
public interface IIntegrationEvents
{
    /// <summary>
    /// An integration changed to <see cref="IntegrationStatus.ReauthorizationRequired"/>: the
    /// provider refused its refresh token (or revoked the grant). Called once per integration
    /// when its stored status changes, also for each Atlassian sibling sharing the dead grant.
    /// </summary>
    /// <param name="context">Which integration, and why.</param>
    /// <param name="cancellationToken">Cancels the handler.</param>
    ValueTask OnReauthorizationRequiredAsync(IntegrationEventContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>
    /// A refresh failed for a reason other than a dead grant (the token endpoint kept failing,
    /// another process held the refresh lock too long, the store refused the rotated tokens).
    /// Called once per failed refresh, however many requests were waiting for it; the
    /// connection stays active and the next request tries again.
    /// </summary>
    /// <param name="context">Which integration, and why.</param>
    /// <param name="cancellationToken">Cancels the handler.</param>
    ValueTask OnRefreshFailedAsync(IntegrationEventContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
