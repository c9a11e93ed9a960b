using Microsoft.Extensions.Diagnostics.HealthChecks;
using Scoutflo.Http.Integrations;
using Scoutflo.Http.Integrations.Health.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Health checks of the library's storage: the integration store and the shared token cache.</summary>
public static class ScoutfloIntegrationsHealthChecksBuilderExtensions
{
    /// <summary>The name of the check of the integration store (MongoDB with <c>UseMongoDb</c>).</summary>
    public const string StoreCheckName = "scoutflo-integrations-store";

    /// <summary>The name of the check of the shared token cache (Redis with <c>UseRedis</c>).</summary>
    public const string CacheCheckName = "scoutflo-integrations-cache";

    /// <summary>
    /// Adds two checks: <see cref="StoreCheckName"/> reads a record that does not exist,
    /// <see cref="CacheCheckName"/> pings the cache (Redis) or reads a probe key. Either is
    /// <paramref name="failureStatus"/> when its backend does not answer. Use as
    /// <c>services.AddHealthChecks().AddScoutfloIntegrationsChecks()</c>. Only the first call
    /// adds them (later calls, with other arguments too, change nothing).
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="failureStatus">The status of a failing check; <see langword="null"/> for <see cref="HealthStatus.Unhealthy"/>.</param>
    /// <param name="tags">Tags of both checks (e.g. <c>ready</c>), to filter them by endpoint.</param>
    /// <param name="timeout">How long each check may take; <see langword="null"/> for the health check service's default.</param>
    /// <returns>The same builder.</returns>
    public static IHealthChecksBuilder AddScoutfloIntegrationsChecks(this IHealthChecksBuilder builder, HealthStatus? failureStatus = null, IEnumerable<string>? tags = null, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(builder);

        // Two registrations under one name would fail every health report: add them once.
        if (builder.Services.Any(d => d.ServiceType == typeof(HealthChecksMarker)))
        {
            return builder;
        }

        builder.Services.AddSingleton<HealthChecksMarker>();
        var tagList = tags?.ToArray() ?? [];
        builder.Add(new HealthCheckRegistration(StoreCheckName,
            sp => new IntegrationStoreHealthCheck(sp.GetRequiredService<IIntegrationStore>), failureStatus, tagList, timeout));
        builder.Add(new HealthCheckRegistration(CacheCheckName,
            sp => new TokenCacheHealthCheck(sp.GetRequiredService<ITokenCache>), failureStatus, tagList, timeout));
        return builder;
    }

    private sealed class HealthChecksMarker;

    /// <summary>
    /// Registers the health check service (<c>services.AddHealthChecks()</c>) with the library's
    /// store and cache checks (see <see cref="AddScoutfloIntegrationsChecks"/>).
    /// </summary>
    /// <param name="builder">The integrations builder.</param>
    /// <returns>The same builder.</returns>
    public static IIntegrationsBuilder AddHealthChecks(this IIntegrationsBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddHealthChecks().AddScoutfloIntegrationsChecks();
        return builder;
    }
}
