using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Scoutflo.Http.Integrations.Health.Internal;

/// <summary>
/// Reads a record that cannot exist: a store that answers at all is healthy. The store is
/// resolved inside the check, so that a store that cannot even be built (a missing setting)
/// is reported unhealthy with the reason instead of failing the whole health endpoint.
/// </summary>
internal sealed class IntegrationStoreHealthCheck(Func<IIntegrationStore> resolveStore) : IHealthCheck
{
    // A valid ObjectId no ObjectId generator produces (timestamp 0, counter 0).
    internal const string ProbeId = "000000000000000000000000";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var storeName = "not built";
        try
        {
            var store = resolveStore();
            storeName = store.GetType().Name;
            await store.GetAsync(ProbeId, cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy($"The integration store ({storeName}) answers.");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Any failure is the answer: unhealthy.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"The integration store ({storeName}) cannot be read: {ex.GetType().Name}.", ex);
        }
    }
}
