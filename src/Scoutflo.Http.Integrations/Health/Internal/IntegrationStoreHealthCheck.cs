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

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        IntegrationHealthProbe.CheckStoreAsync(context, resolveStore, static store => store.GetType().Name, "not built",
            static (store, ct) => store.GetAsync(ProbeId, ct), cancellationToken);
}
