using Scoutflo.Http.Integrations;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers the typed clients, each bound to one integration. A typed client type resolves to
/// the last registration of it; for several integrations of one provider, use
/// <see cref="IIntegrationClientFactory"/>.
/// </summary>
public static class IntegrationClientsServiceCollectionExtensions
{
    /// <summary>Registers <see cref="JiraClient"/> for one integration.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="integrationId">The integration id.</param>
    /// <returns>The client builder, to chain e.g. <c>AddStandardResilienceHandler()</c>.</returns>
    public static IHttpClientBuilder AddJiraClient(this IServiceCollection services, string integrationId) =>
        services.AddIntegrationClient<JiraClient>(integrationId);

    /// <summary>Registers <see cref="JsmClient"/> for one integration.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="integrationId">The integration id.</param>
    /// <returns>The client builder.</returns>
    public static IHttpClientBuilder AddJsmClient(this IServiceCollection services, string integrationId) =>
        services.AddIntegrationClient<JsmClient>(integrationId);

    /// <summary>Registers <see cref="ConfluenceClient"/> for one integration.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="integrationId">The integration id.</param>
    /// <returns>The client builder.</returns>
    public static IHttpClientBuilder AddConfluenceClient(this IServiceCollection services, string integrationId) =>
        services.AddIntegrationClient<ConfluenceClient>(integrationId);

    /// <summary>
    /// Registers <see cref="SlackClient"/> for one integration, with its bot token: the plain
    /// <see cref="SlackClient"/> and the keyed one <c>[FromKeyedServices(SlackTokenKind.Bot)]</c>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="integrationId">The integration id.</param>
    /// <returns>The client builder.</returns>
    public static IHttpClientBuilder AddSlackClient(this IServiceCollection services, string integrationId) =>
        services.AddSlackClient(integrationId, SlackTokenKind.Bot);

    /// <summary>
    /// Registers <see cref="SlackClient"/> for one integration, sending its requests with the chosen
    /// token, as the keyed service <c>[FromKeyedServices(tokenKind)] SlackClient</c>. The bot and the
    /// user client live side by side; the plain (unkeyed) <see cref="SlackClient"/> is always the bot's.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="integrationId">The integration id.</param>
    /// <param name="tokenKind">The bot token or the installing user's token (see <see cref="IntegrationAuthHandlerOptions.SlackTokenKind"/>).</param>
    /// <returns>The client builder.</returns>
    public static IHttpClientBuilder AddSlackClient(this IServiceCollection services, string integrationId, SlackTokenKind tokenKind)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(integrationId);
        services.AddScoutfloIntegrations();

        // Its own name, so that a user-token client and a bot-token client never share settings.
        var name = tokenKind == SlackTokenKind.Bot ? $"{nameof(SlackClient)}:{integrationId}" : $"{nameof(SlackClient)}:{integrationId}:{tokenKind}";

        // Both kinds live in one container: each is a keyed SlackClient ([FromKeyedServices(SlackTokenKind.User)]),
        // and the plain SlackClient stays the bot's whatever the order of registration.
        var builder = tokenKind == SlackTokenKind.Bot ? services.AddHttpClient<SlackClient>(name) : services.AddHttpClient(name);
        services.AddKeyedTransient(tokenKind, (sp, _) => new SlackClient(sp.GetRequiredService<IHttpClientFactory>().CreateClient(name)));
        return builder
            .AddIntegrationAuth(o =>
            {
                o.IntegrationId = integrationId;
                o.SlackTokenKind = tokenKind;
            });
    }

    /// <summary>Registers <see cref="SentryClient"/> for one integration.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="integrationId">The integration id.</param>
    /// <returns>The client builder.</returns>
    public static IHttpClientBuilder AddSentryClient(this IServiceCollection services, string integrationId) =>
        services.AddIntegrationClient<SentryClient>(integrationId);

    private static IHttpClientBuilder AddIntegrationClient<TClient>(this IServiceCollection services, string integrationId)
        where TClient : class
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(integrationId);
        services.AddScoutfloIntegrations();

        // One name per integration, so that two integrations never share a handler's settings.
        return services.AddHttpClient<TClient>($"{typeof(TClient).Name}:{integrationId}")
            .AddIntegrationAuth(integrationId);
    }
}
