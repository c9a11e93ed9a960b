using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Scoutflo.Http.Integrations;
using Scoutflo.Http.Integrations.Providers;
using Scoutflo.Http.Integrations.Providers.Slack;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Slack app (OAuth v2, bot and user tokens, token rotation).</summary>
public static class SlackIntegrationsBuilderExtensions
{
    /// <summary>The configuration section <see cref="AddSlack(IIntegrationsBuilder, IConfiguration)"/> expects: <c>Slack</c>.</summary>
    public const string ConfigurationSectionName = "Slack";

    /// <summary>
    /// Adds the Slack app; its options (configured elsewhere) are validated at start-up:
    /// a missing client id, secret or redirect URI fails the host's start with the setting's name.
    /// </summary>
    /// <param name="builder">The integrations builder.</param>
    /// <returns>The same builder.</returns>
    public static IIntegrationsBuilder AddSlack(this IIntegrationsBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        AddSlackProvider(builder.Services);
        builder.Services.AddOptions<SlackOptions>().ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SlackOptions>, SlackOptionsAttributeValidator>());
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SlackOptions>, SlackOptionsValidator>());
        return builder;
    }

    /// <summary>Adds the Slack app configured in code.</summary>
    /// <param name="builder">The integrations builder.</param>
    /// <param name="configure">Configures <see cref="SlackOptions"/>.</param>
    /// <returns>The same builder.</returns>
    public static IIntegrationsBuilder AddSlack(this IIntegrationsBuilder builder, Action<SlackOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        builder.AddSlack();
        builder.Services.Configure(configure);
        return builder;
    }

    /// <summary>Adds the Slack app bound from configuration.</summary>
    /// <param name="builder">The integrations builder.</param>
    /// <param name="configuration">The <c>Slack</c> section (or the root holding it).</param>
    /// <returns>The same builder.</returns>
    public static IIntegrationsBuilder AddSlack(this IIntegrationsBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        builder.AddSlack();
        builder.Services.Configure<SlackOptions>(ScoutfloIntegrationsServiceCollectionExtensions.SectionOrSelf(configuration, ConfigurationSectionName));
        return builder;
    }

    /// <summary>
    /// The Slack provider itself (record rules, OAuth runtime, installer), without requiring its app
    /// settings at start: <c>AddSlack</c> adds it with them, a typed client's registration without.
    /// </summary>
    internal static void AddSlackProvider(IServiceCollection services)
    {
        services.AddScoutfloIntegrations();
        services.TryAddSingleton<SlackOAuthProvider>();
        services.TryAddSingleton<SlackInstaller>();
        IntegrationProviderRegistry.AddProvider<SlackProvider>(services);
    }
}
