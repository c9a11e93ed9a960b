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
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var store = "MongoDB";
        try
        {
            var mongo = resolveStore();
            store = mongo.Identity;
            await mongo.ProbeAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy($"The integration store ({store}) answers.");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Any failure is the answer: unhealthy.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"The integration store ({store}) cannot be read: {ex.GetType().Name}.", ex);
        }
    }
}
