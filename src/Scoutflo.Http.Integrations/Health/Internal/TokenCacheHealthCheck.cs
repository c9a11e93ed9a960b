using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Scoutflo.Http.Integrations.Health.Internal;

/// <summary>
/// Probes the shared token cache: a ping where the cache can be pinged (Redis), otherwise a
/// read of a key nobody writes. The cache is resolved inside the check (see <see cref="IntegrationStoreHealthCheck"/>).
/// </summary>
internal sealed class TokenCacheHealthCheck(Func<ITokenCache> resolveCache) : IHealthCheck
{
    internal const string ProbeKey = "integration:health:probe:app_user:none:access_token";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var cacheName = "not built";
        try
        {
            var cache = resolveCache();
            cacheName = cache.GetType().Name;
            if (cache is IHealthProbe probe)
            {
                await probe.ProbeAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await cache.GetAsync(ProbeKey, cancellationToken).ConfigureAwait(false);
            }

            return HealthCheckResult.Healthy($"The token cache ({cacheName}) answers.");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Any failure is the answer: unhealthy.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return new HealthCheckResult(context.Registration.FailureStatus,
                $"The token cache ({cacheName}) cannot be reached ({ex.GetType().Name}): tokens are not shared between processes and refreshes cannot take their lock.", ex);
        }
    }
}
