using Scoutflo.Http.Integrations;
using Scoutflo.Http.Integrations.DependencyInjection.Internal;
using Scoutflo.Http.Integrations.Providers.Slack;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Slack provider and its app (OAuth v2, bot and user tokens, token rotation).</summary>
public static class SlackIntegrationsBuilderExtensions
{
    /// <summary>The configuration section <see cref="AddSlack(IIntegrationsBuilder, IConfiguration)"/> expects: <c>Slack</c>.</summary>
    public const string ConfigurationSectionName = "Slack";

    /// <summary>
    /// Adds the Slack provider. Bot- and user-token records (<c>bearer</c>) need no Slack app;
    /// an app configured elsewhere (<c>Configure&lt;SlackOptions&gt;</c>) is validated at start-up
    /// once any of its settings is set, and installs and refreshes fail with
    /// <c>oauth_provider_not_configured</c> while it is missing.
    /// </summary>
    /// <param name="builder">The integrations builder.</param>
    /// <returns>The same builder.</returns>
    public static IIntegrationsBuilder AddSlack(this IIntegrationsBuilder builder) =>
        ProviderRegistration.Add<SlackOptions, SlackOptionsAttributeValidator, SlackOptionsValidator>(builder, AddSlackProvider);

    /// <summary>
    /// Adds the Slack provider and app configured in code; a missing client id or secret fails
    /// the host's start with the setting's name.
    /// </summary>
    /// <param name="builder">The integrations builder.</param>
    /// <param name="configure">Configures <see cref="SlackOptions"/>.</param>
    /// <returns>The same builder.</returns>
    public static IIntegrationsBuilder AddSlack(this IIntegrationsBuilder builder, Action<SlackOptions> configure) =>
        ProviderRegistration.AddApp(builder, configure, AddSlack);

    /// <summary>
    /// Adds the Slack provider and app bound from configuration; a missing client id or secret
    /// fails the host's start with the setting's name.
    /// </summary>
    /// <param name="builder">The integrations builder.</param>
    /// <param name="configuration">The <c>Slack</c> section (or the root holding it).</param>
    /// <returns>The same builder.</returns>
    public static IIntegrationsBuilder AddSlack(this IIntegrationsBuilder builder, IConfiguration configuration) =>
        ProviderRegistration.AddApp<SlackOptions>(builder, configuration, ConfigurationSectionName, AddSlack);

    /// <summary>The Slack provider alone, as a typed client's registration adds it.</summary>
    internal static void AddSlackProvider(IServiceCollection services) =>
        ProviderRegistration.AddProvider<SlackProvider, SlackOAuthProvider, SlackInstaller>(services);
}
