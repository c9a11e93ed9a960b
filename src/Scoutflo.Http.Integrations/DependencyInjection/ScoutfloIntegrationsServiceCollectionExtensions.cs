using Microsoft.Extensions.Http;
using Scoutflo.Http.Integrations;
using Scoutflo.Http.Integrations.Auth.Internal;
using Scoutflo.Http.Integrations.Connections.Internal;
using Scoutflo.Http.Integrations.DependencyInjection.Internal;
using Scoutflo.Http.Integrations.Events.Internal;
using Scoutflo.Http.Integrations.Http.Internal;
using Scoutflo.Http.Integrations.Install.Internal;
using Scoutflo.Http.Integrations.OAuth.Internal;
using Scoutflo.Http.Integrations.Providers;
using Scoutflo.Http.Integrations.Resolution.Internal;
using Scoutflo.Http.Integrations.Storage.InMemory;
using Scoutflo.Http.Integrations.Telemetry;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Scoutflo.Http.Integrations.</summary>
public static class ScoutfloIntegrationsServiceCollectionExtensions
{
    /// <summary>The configuration section <see cref="AddScoutfloIntegrations(IServiceCollection, IConfiguration)"/> expects: <c>ScoutfloIntegrations</c>.</summary>
    public const string ConfigurationSectionName = "ScoutfloIntegrations";

    /// <summary>
    /// Registers the library with in-memory storage (records, token cache, locks, one-time
    /// state). Safe to call more than once; later calls only return a builder.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <returns>A builder to add providers and real storage.</returns>
    public static IIntegrationsBuilder AddScoutfloIntegrations(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(ScoutfloIntegrationsMarker)))
        {
            return new IntegrationsBuilder(services);
        }

        services.AddSingleton<ScoutfloIntegrationsMarker>();
        services.AddLogging();
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IntegrationsMetrics>();
        services.TryAddSingleton<IntegrationEventDispatcher>();
        services.AddOptions<ScoutfloIntegrationsOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ScoutfloIntegrationsOptions>, ScoutfloIntegrationsOptionsAttributeValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ScoutfloIntegrationsOptions>, ScoutfloIntegrationsOptionsValidator>());

        services.TryAddSingleton<IIntegrationStore, InMemoryIntegrationStore>();
        services.TryAddSingleton<ITokenCache, InMemoryTokenCache>();
        services.TryAddSingleton<IDistributedLock, InMemoryDistributedLock>();
        services.TryAddSingleton<IOneTimeStore, InMemoryOneTimeStore>();

        // Named providers register themselves (AddAtlassian, AddSlack, AddSentry, ...); the core
        // serves only the static-credential "custom" provider for any other API.
        IntegrationProviderRegistry.AddTo(services);

        services.AddSingleton<IAuthStrategy, ApiKeyAuthStrategy>();
        services.AddSingleton<IAuthStrategy, BasicAuthStrategy>();
        services.AddSingleton<IAuthStrategy, BearerAuthStrategy>();
        services.AddSingleton<IAuthStrategy, MappedCredentialsAuthStrategy>();
        services.AddSingleton<IAuthStrategy, OAuthAuthStrategy>();

        var tokenClient = services.AddHttpClient(TokenEndpointClient.HttpClientName)
            // The pipeline's timeout per attempt bounds each call; the client's own 100 s would
            // cut a retried call short.
            .ConfigureHttpClient(static client => client.Timeout = Timeout.InfiniteTimeSpan)
            .UseHeaderlessLogging();
        tokenClient.AddResilienceHandler(TokenEndpointResilience.PipelineName, TokenEndpointResilience.Configure);

        // First in the list = outermost filter: its work on the token client (no redirects, the
        // guard innermost) runs after every handler and primary handler the application configured.
        services.Insert(0, ServiceDescriptor.Singleton<IHttpMessageHandlerBuilderFilter, TokenEndpointHandlerFilter>());
        services.TryAddSingleton<TokenEndpointClient>();
        services.TryAddSingleton<OAuthTokenManager>();
        services.TryAddSingleton<RefusedTokens>();
        services.TryAddSingleton<TokenSources>();
        services.TryAddSingleton<GrantLookup>();
        services.TryAddSingleton<RefreshTelemetry>();
        services.TryAddSingleton<ReauthorizationMarker>();
        services.TryAddSingleton<RotationWriter>();
        services.TryAddSingleton<ProviderRefresh>();
        services.TryAddSingleton<RefreshCoordinator>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConnectionDeletionObserver, OAuthTokenCleanup>());
        services.TryAddSingleton<OAuthStateProtector>();
        services.AddHostedService<StateSigningKeyStartupCheck>();
        services.TryAddSingleton(sp => new IntegrationInstallService(
            sp.GetRequiredService<OAuthStateProtector>(),
            sp.GetRequiredService<IOneTimeStore>(),
            sp.GetRequiredService<IConnectionManager>(),
            sp.GetServices<IOAuthInstaller>(),
            sp.GetRequiredService<IOptionsMonitor<ScoutfloIntegrationsOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<IntegrationInstallService>>(),
            sp.GetService<IIntegrationIdentityResolver>()));
        services.TryAddSingleton<IIntegrationInstallService>(sp => sp.GetRequiredService<IntegrationInstallService>());

        services.TryAddSingleton<IConnectionInvalidations, LocalConnectionInvalidations>();
        services.TryAddSingleton<ResolvedConnectionCache>();
        services.TryAddSingleton<ConnectionResolver>();
        services.TryAddSingleton<IConnectionResolver>(sp => sp.GetRequiredService<ConnectionResolver>());
        services.TryAddSingleton<IConnectionManager, ConnectionManager>();

        services.TryAddSingleton<IIntegrationClientFactory, IntegrationClientFactory>();
        services.AddHttpClient(IntegrationClientFactory.ClientName).AddIntegrationAuth();
        return new IntegrationsBuilder(services);
    }

    /// <summary>Registers the library and configures <see cref="ScoutfloIntegrationsOptions"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>A builder to add providers and real storage.</returns>
    public static IIntegrationsBuilder AddScoutfloIntegrations(this IServiceCollection services, Action<ScoutfloIntegrationsOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var builder = services.AddScoutfloIntegrations();
        services.Configure(configure);
        return builder;
    }

    /// <summary>Registers the library and binds <see cref="ScoutfloIntegrationsOptions"/> from configuration.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The <c>ScoutfloIntegrations</c> section (or the root holding it).</param>
    /// <returns>A builder to add providers and real storage.</returns>
    public static IIntegrationsBuilder AddScoutfloIntegrations(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var builder = services.AddScoutfloIntegrations();
        services.Configure<ScoutfloIntegrationsOptions>(OptionsRegistration.SectionOrSelf(configuration, ConfigurationSectionName));
        return builder;
    }

    private sealed class ScoutfloIntegrationsMarker;
}
