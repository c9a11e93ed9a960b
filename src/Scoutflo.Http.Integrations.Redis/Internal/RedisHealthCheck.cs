using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Scoutflo.Http.Integrations.Redis.Internal;

/// <summary>
/// The token-cache check with Redis: a PING through the shared connection. A read would not
/// do: the token cache turns an outage into a miss on purpose. The connection is resolved
/// inside the check, so that one that cannot even be built (no multiplexer registered) is
/// reported unhealthy with the reason instead of failing the whole health endpoint.
/// </summary>
internal sealed class RedisHealthCheck(Func<RedisConnection> resolveConnection) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        IntegrationHealthProbe.CheckTokenCacheAsync(context, resolveConnection, static connection => connection.Describe(), "Redis",
            static (connection, ct) => connection.RunAsync(database => RedisTokenCache.Connected(database).PingAsync(), ct), cancellationToken);
}
