using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Scoutflo.Http.Integrations.Health.Internal;

/// <summary>Reads a record that cannot exist: a store that answers at all is healthy.</summary>
internal sealed class IntegrationStoreHealthCheck(IIntegrationStore store) : IHealthCheck
{
    // A valid ObjectId no ObjectId generator produces (timestamp 0, counter 0).
    internal const string ProbeId = "000000000000000000000000";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.GetAsync(ProbeId, cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy($"The integration store ({store.GetType().Name}) answers.");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Any failure is the answer: unhealthy.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"The integration store ({store.GetType().Name}) cannot be read.", ex);
        }
    }
}
