namespace Scoutflo.Http.Integrations.Health.Internal;

/// <summary>
/// A backend that can say whether it is reachable. The Redis token cache needs it: its reads
/// turn an outage into a miss on purpose, so a read cannot tell a health check anything.
/// </summary>
internal interface IHealthProbe
{
    /// <summary>Completes when the backend answers; throws when it does not.</summary>
    ValueTask ProbeAsync(CancellationToken cancellationToken);
}
