using Microsoft.Extensions.Diagnostics.HealthChecks;
using Scoutflo.Http.Integrations;
using Scoutflo.Http.Integrations.Health.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Health checks of the library's storage: the integration store and the shared token cache.</summary>
public static class ScoutfloIntegrationsHealthChecksBuilderExtensions
{
    /// <summary>
    /// The name of the check of the integration store. A storage package replaces the default
    /// check (a read of a record that does not exist) by registering its own
    /// <see cref="IHealthCheck"/> as a keyed singleton under this name, as <c>UseMongoDb</c> does.
    /// </summary>
    public const string StoreCheckName = "scoutflo-integrations-store";

    /// <summary>
    /// The name of the check of the shared token cache. A storage package replaces the default
    /// check (a read of a key nobody writes) by registering its own <see cref="IHealthCheck"/>
    /// as a keyed singleton under this name, as <c>UseRedis</c> does (a ping: its reads turn an
    /// outage into a miss on purpose, so a read cannot tell).
    /// </summary>
    public const string CacheCheckName = "scoutflo-integrations-cache";

    /// <summary>
    /// Adds two checks: <see cref="StoreCheckName"/> reads a record that does not exist,
    /// <see cref="CacheCheckName"/> reads a probe key from the token cache; a storage package's
    /// own check registered under either name runs instead (<c>UseRedis</c> pings). Either is
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
            sp => sp.GetKeyedService<IHealthCheck>(StoreCheckName) ?? new IntegrationStoreHealthCheck(sp.GetRequiredService<IIntegrationStore>), failureStatus, tagList, timeout));
        builder.Add(new HealthCheckRegistration(CacheCheckName,
            sp => sp.GetKeyedService<IHealthCheck>(CacheCheckName) ?? new TokenCacheHealthCheck(sp.GetRequiredService<ITokenCache>), failureStatus, tagList, timeout));
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
