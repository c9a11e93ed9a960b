using Scoutflo.Http.Integrations;

namespace Microsoft.Extensions.DependencyInjection;

// The Atlassian typed clients, beside their provider: registering one adds the provider too.
public static partial class IntegrationClientsServiceCollectionExtensions
{
    /// <summary>Registers <see cref="JiraClient"/> for one integration.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="integrationId">The integration id.</param>
    /// <returns>The client builder, to chain e.g. <c>AddStandardResilienceHandler()</c>.</returns>
    public static IHttpClientBuilder AddJiraClient(this IServiceCollection services, string integrationId) =>
        services.AddIntegrationClient<JiraClient>(integrationId, AtlassianIntegrationsBuilderExtensions.AddAtlassianProvider);

    /// <summary>Registers <see cref="JsmClient"/> for one integration.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="integrationId">The integration id.</param>
    /// <returns>The client builder.</returns>
    public static IHttpClientBuilder AddJsmClient(this IServiceCollection services, string integrationId) =>
        services.AddIntegrationClient<JsmClient>(integrationId, AtlassianIntegrationsBuilderExtensions.AddAtlassianProvider);

    /// <summary>Registers <see cref="ConfluenceClient"/> for one integration.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="integrationId">The integration id.</param>
    /// <returns>The client builder.</returns>
    public static IHttpClientBuilder AddConfluenceClient(this IServiceCollection services, string integrationId) =>
        services.AddIntegrationClient<ConfluenceClient>(integrationId, AtlassianIntegrationsBuilderExtensions.AddAtlassianProvider);
}
