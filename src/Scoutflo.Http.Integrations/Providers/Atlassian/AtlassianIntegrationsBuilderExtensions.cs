using Scoutflo.Http.Integrations;
using Scoutflo.Http.Integrations.DependencyInjection.Internal;
using Scoutflo.Http.Integrations.Providers.Atlassian;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Atlassian provider (Jira, Jira Service Management, Confluence) and its OAuth app.</summary>
public static class AtlassianIntegrationsBuilderExtensions
{
    /// <summary>The configuration section <see cref="AddAtlassian(IIntegrationsBuilder, IConfiguration)"/> expects: <c>Atlassian</c>.</summary>
    public const string ConfigurationSectionName = "Atlassian";

    /// <summary>
    /// Adds the Atlassian provider. Basic records (email and API token) need no OAuth app; an app
    /// configured elsewhere (<c>Configure&lt;AtlassianOptions&gt;</c>) is validated at start-up once
    /// any of its settings is set, and installs and refreshes fail with
    /// <c>oauth_provider_not_configured</c> while it is missing.
    /// </summary>
    /// <param name="builder">The integrations builder.</param>
    /// <returns>The same builder.</returns>
    public static IIntegrationsBuilder AddAtlassian(this IIntegrationsBuilder builder) =>
        ProviderRegistration.Add<AtlassianOptions, AtlassianOptionsAttributeValidator, AtlassianOptionsValidator>(builder, AddAtlassianProvider);

    /// <summary>
    /// Adds the Atlassian provider and OAuth app configured in code; a missing client id or
    /// secret fails the host's start with the setting's name.
    /// </summary>
    /// <param name="builder">The integrations builder.</param>
    /// <param name="configure">Configures <see cref="AtlassianOptions"/>.</param>
    /// <returns>The same builder.</returns>
    public static IIntegrationsBuilder AddAtlassian(this IIntegrationsBuilder builder, Action<AtlassianOptions> configure) =>
        ProviderRegistration.AddApp(builder, configure, AddAtlassian);

    /// <summary>
    /// Adds the Atlassian provider and OAuth app bound from configuration; a missing client id
    /// or secret fails the host's start with the setting's name.
    /// </summary>
    /// <param name="builder">The integrations builder.</param>
    /// <param name="configuration">The <c>Atlassian</c> section (or the root holding it).</param>
    /// <returns>The same builder.</returns>
    public static IIntegrationsBuilder AddAtlassian(this IIntegrationsBuilder builder, IConfiguration configuration)
    {
        ProviderRegistration.AddApp<AtlassianOptions>(builder, configuration, ConfigurationSectionName, AddAtlassian);

        // The binder appends configured list items to a list that already holds the defaults;
        // a configured scope list must replace them, or defaults the app never asked for are requested.
        var section = OptionsRegistration.SectionOrSelf(configuration, ConfigurationSectionName);
        builder.Services.Configure<AtlassianOptions>(options =>
        {
            options.JiraScopes = ConfiguredOr(section, nameof(AtlassianOptions.JiraScopes), options.JiraScopes);
            options.JsmScopes = ConfiguredOr(section, nameof(AtlassianOptions.JsmScopes), options.JsmScopes);
            options.ConfluenceScopes = ConfiguredOr(section, nameof(AtlassianOptions.ConfluenceScopes), options.ConfluenceScopes);
        });
        return builder;
    }

    private static IList<string> ConfiguredOr(IConfiguration section, string key, IList<string> current)
    {
        var configured = section.GetSection(key);
        return configured.Exists() ? configured.Get<List<string>>() ?? [] : current;
    }

    /// <summary>The Atlassian provider alone, as a typed client's registration adds it.</summary>
    internal static void AddAtlassianProvider(IServiceCollection services) =>
        ProviderRegistration.AddProvider<AtlassianProvider, AtlassianOAuthProvider, AtlassianInstaller>(services);
}
