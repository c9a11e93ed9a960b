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
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var server = "Redis";
        try
        {
            var connection = resolveConnection();
            server = connection.Describe();
            await connection.RunAsync(database => RedisTokenCache.Connected(database).PingAsync(), cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy($"The token cache ({server}) answers.");
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
                $"The token cache ({server}) cannot be reached ({ex.GetType().Name}): tokens are not shared between processes and refreshes cannot take their lock.", ex);
        }
    }
}
