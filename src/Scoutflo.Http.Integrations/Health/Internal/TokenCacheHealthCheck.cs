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

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        IntegrationHealthProbe.CheckTokenCacheAsync(context, resolveCache, static cache => cache.GetType().Name, "not built",
            static (cache, ct) => cache.GetAsync(ProbeKey, ct).AsTask(), cancellationToken);
}
