using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Scoutflo.Http.Integrations.MongoDb.Internal;

/// <summary>
/// The store check with MongoDB: one bounded read of the collection by an id no record has,
/// named by collection and host (never by connection string). Unlike a store read, it does
/// not start the index creation: a health endpoint polled before the first request must not
/// write to the database. The store is resolved inside the check, so that one that cannot
/// even be built (no database registered) is reported unhealthy with the reason.
/// </summary>
internal sealed class MongoHealthCheck(Func<MongoIntegrationStore> resolveStore) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        IntegrationHealthProbe.CheckStoreAsync(context, resolveStore, static mongo => mongo.Identity, "MongoDB",
            static (mongo, ct) => mongo.ProbeAsync(ct), cancellationToken);
}
