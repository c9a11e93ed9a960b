using Microsoft.Extensions.Hosting;
using Scoutflo.Http.Integrations;
using Scoutflo.Http.Integrations.DependencyInjection.Internal;
using Scoutflo.Http.Integrations.KeepAlive.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the keep-alive hosted service.</summary>
public static class KeepAliveIntegrationsBuilderExtensions
{
    /// <summary>The configuration section <see cref="AddKeepAlive(IIntegrationsBuilder, IConfiguration)"/> expects: <c>KeepAlive</c>.</summary>
    public const string KeepAliveConfigurationSectionName = "KeepAlive";

    /// <summary>
    /// Adds a hosted service that, every <see cref="IntegrationKeepAliveOptions.Interval"/>,
    /// refreshes the active OAuth connections whose record has not been written for
    /// <see cref="IntegrationKeepAliveOptions.IdleThreshold"/>, in batches, through the same
    /// shared lock as any refresh (so replicas running it at once refresh each connection once).
    /// Connections marked <c>reauthorization_required</c> are skipped. The store must implement
    /// <see cref="IIntegrationStore.FindStaleOAuthAsync"/> (the in-memory and MongoDB stores do).
    /// </summary>
    /// <param name="builder">The integrations builder.</param>
    /// <returns>The same builder.</returns>
    public static IIntegrationsBuilder AddKeepAlive(this IIntegrationsBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        OptionsRegistration.AddValidated<IntegrationKeepAliveOptions, IntegrationKeepAliveOptionsValidator>(services);
        services.TryAddSingleton<IdleTokenRefresh>();
        services.TryAddSingleton<IntegrationKeepAlive>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, IntegrationKeepAliveService>());
        return builder;
    }

    /// <summary>Adds the keep-alive hosted service, configured in code.</summary>
    /// <param name="builder">The integrations builder.</param>
    /// <param name="configure">Configures <see cref="IntegrationKeepAliveOptions"/>.</param>
    /// <returns>The same builder.</returns>
    public static IIntegrationsBuilder AddKeepAlive(this IIntegrationsBuilder builder, Action<IntegrationKeepAliveOptions> configure) =>
        OptionsRegistration.Configure(builder, configure, AddKeepAlive);

    /// <summary>Adds the keep-alive hosted service, bound from configuration.</summary>
    /// <param name="builder">The integrations builder.</param>
    /// <param name="configuration">The <c>KeepAlive</c> section (or the root holding it).</param>
    /// <returns>The same builder.</returns>
    public static IIntegrationsBuilder AddKeepAlive(this IIntegrationsBuilder builder, IConfiguration configuration) =>
        OptionsRegistration.Bind<IntegrationKeepAliveOptions>(builder, configuration, KeepAliveConfigurationSectionName, AddKeepAlive);
}
