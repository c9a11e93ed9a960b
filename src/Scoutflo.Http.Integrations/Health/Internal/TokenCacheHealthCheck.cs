using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Scoutflo.Http.Integrations.Health.Internal;

/// <summary>
/// Probes the token cache with a read of a key nobody writes. The cache is resolved inside the
/// check (see <see cref="IntegrationStoreHealthCheck"/>). A cache whose reads hide an outage
/// (Redis turns one into a miss on purpose) brings its own check instead, registered under
/// the check's name (see <c>ScoutfloIntegrationsHealthChecksBuilderExtensions.CacheCheckName</c>).
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
            await cache.GetAsync(ProbeKey, cancellationToken).ConfigureAwait(false);

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
