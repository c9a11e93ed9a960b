using Scoutflo.Http.Integrations;

namespace Microsoft.Extensions.DependencyInjection;

// The Sentry typed clients, beside their provider: registering one adds the provider too.
public static partial class IntegrationClientsServiceCollectionExtensions
{
    /// <summary>Registers <see cref="SentryClient"/> for one integration.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="integrationId">The integration id.</param>
    /// <returns>The client builder.</returns>
    public static IHttpClientBuilder AddSentryClient(this IServiceCollection services, string integrationId) =>
        services.AddIntegrationClient<SentryClient>(integrationId, SentryIntegrationsBuilderExtensions.AddSentryProvider);
}
