using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Scoutflo.Http.Integrations;
using Scoutflo.Http.Integrations.Providers;
using Scoutflo.Http.Integrations.Providers.Atlassian;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Atlassian OAuth app (Jira, Jira Service Management, Confluence).</summary>
public static class AtlassianIntegrationsBuilderExtensions
{
    /// <summary>The configuration section <see cref="AddAtlassian(IIntegrationsBuilder, IConfiguration)"/> expects: <c>Atlassian</c>.</summary>
    public const string ConfigurationSectionName = "Atlassian";

    /// <summary>
    /// Adds the Atlassian OAuth app; its options (configured elsewhere) are validated at start-up:
    /// a missing client id, secret or redirect URI fails the host's start with the setting's name.
    /// </summary>
    /// <param name="builder">The integrations builder.</param>
    /// <returns>The same builder.</returns>
    public static IIntegrationsBuilder AddAtlassian(this IIntegrationsBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        AddAtlassianProvider(builder.Services);
        builder.Services.AddOptions<AtlassianOptions>().ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AtlassianOptions>, AtlassianOptionsAttributeValidator>());
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AtlassianOptions>, AtlassianOptionsValidator>());
        return builder;
    }

    /// <summary>Adds the Atlassian OAuth app configured in code.</summary>
    /// <param name="builder">The integrations builder.</param>
    /// <param name="configure">Configures <see cref="AtlassianOptions"/>.</param>
    /// <returns>The same builder.</returns>
    public static IIntegrationsBuilder AddAtlassian(this IIntegrationsBuilder builder, Action<AtlassianOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        builder.AddAtlassian();
        builder.Services.Configure(configure);
        return builder;
    }

    /// <summary>Adds the Atlassian OAuth app bound from configuration.</summary>
    /// <param name="builder">The integrations builder.</param>
    /// <param name="configuration">The <c>Atlassian</c> section (or the root holding it).</param>
    /// <returns>The same builder.</returns>
    public static IIntegrationsBuilder AddAtlassian(this IIntegrationsBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        builder.AddAtlassian();
        var section = ScoutfloIntegrationsServiceCollectionExtensions.SectionOrSelf(configuration, ConfigurationSectionName);
        builder.Services.Configure<AtlassianOptions>(section);

        // The binder appends configured list items to a list that already holds the defaults;
        // a configured scope list must replace them, or defaults the app never asked for are requested.
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

    /// <summary>
    /// The Atlassian provider itself (record rules, OAuth runtime, installer), without requiring its app
    /// settings at start: <c>AddAtlassian</c> adds it with them, a typed client's registration without.
    /// </summary>
    internal static void AddAtlassianProvider(IServiceCollection services)
    {
        services.AddScoutfloIntegrations();
        services.TryAddSingleton<AtlassianOAuthProvider>();
        services.TryAddSingleton<AtlassianInstaller>();
        IntegrationProviderRegistry.AddProvider<AtlassianProvider>(services);
    }
}
