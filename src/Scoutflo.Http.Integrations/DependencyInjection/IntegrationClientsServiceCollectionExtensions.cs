using Scoutflo.Http.Integrations;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers the typed clients, each bound to one integration. A typed client type resolves to
/// the last registration of it; for several integrations of one provider, use
/// <see cref="IIntegrationClientFactory"/>.
/// </summary>
public static partial class IntegrationClientsServiceCollectionExtensions
{
    /// <summary>
    /// A typed client bound to one integration; each provider's folder declares its own
    /// (<c>AddJiraClient</c>, ...) and passes its provider's registration, so that the client
    /// alone is enough to serve its integration.
    /// </summary>
    internal static IHttpClientBuilder AddIntegrationClient<TClient>(this IServiceCollection services, string integrationId, Action<IServiceCollection> addProvider)
        where TClient : class
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(integrationId);
        services.AddScoutfloIntegrations();
        addProvider(services);

        // One name per integration, so that two integrations never share a handler's settings.
        return services.AddHttpClient<TClient>($"{typeof(TClient).Name}:{integrationId}")
            .AddIntegrationAuth(integrationId);
    }
}
