using Scoutflo.Http.Integrations;

namespace Microsoft.Extensions.DependencyInjection;

// The Slack typed clients, beside their provider: registering one adds the provider too.
public static partial class IntegrationClientsServiceCollectionExtensions
{
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
    /// <param name="tokenKind">The bot token or the installing user's token (see <c>IntegrationAuthHandlerOptions.SlackTokenKind</c>).</param>
    /// <returns>The client builder.</returns>
    public static IHttpClientBuilder AddSlackClient(this IServiceCollection services, string integrationId, SlackTokenKind tokenKind)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(integrationId);
        SlackIntegrationsBuilderExtensions.AddSlackProvider(services);

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
}
