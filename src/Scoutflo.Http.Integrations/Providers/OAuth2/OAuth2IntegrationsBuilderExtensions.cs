using Scoutflo.Http.Integrations;
using Scoutflo.Http.Integrations.OAuth.Internal;
using Scoutflo.Http.Integrations.Providers;
using Scoutflo.Http.Integrations.Providers.OAuth2;
using Scoutflo.Http.Integrations.Providers.OAuth2.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds providers that speak plain OAuth 2.0, declared by configuration (<see cref="OAuth2ProviderOptions"/>).</summary>
public static class OAuth2IntegrationsBuilderExtensions
{
    /// <summary>The configuration section under which <see cref="AddOAuth2Provider(IIntegrationsBuilder, string, Action{OAuth2ProviderOptions})"/> names its settings in errors: <c>OAuth2</c>.</summary>
    public const string ConfigurationSectionName = "OAuth2";

    private static readonly HashSet<string> BuiltInProviders = new(StringComparer.OrdinalIgnoreCase)
    {
        IntegrationProviders.Jira, IntegrationProviders.Jsm, IntegrationProviders.Confluence,
        IntegrationProviders.Slack, IntegrationProviders.Sentry, IntegrationProviders.Custom,
    };

    /// <summary>
    /// Adds OAuth 2.0 provider <paramref name="name"/> configured in code: installs, refresh,
    /// 401 retry, the host guard and keep-alive then work for integrations whose provider is
    /// <paramref name="name"/>. Several providers may be added side by side. The options are
    /// validated at start-up; errors name <c>OAuth2:{name}:{setting}</c>.
    /// </summary>
    /// <param name="builder">The integrations builder.</param>
    /// <param name="name">The provider name (lowercase letters, digits, <c>-</c>, <c>_</c> and <c>.</c>; not a built-in provider's).</param>
    /// <param name="configure">Configures the provider's <see cref="OAuth2ProviderOptions"/>.</param>
    /// <returns>The same builder.</returns>
    public static IIntegrationsBuilder AddOAuth2Provider(this IIntegrationsBuilder builder, string name, Action<OAuth2ProviderOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        Register(builder, name, $"{ConfigurationSectionName}:{name}");
        builder.Services.Configure(name, configure);
        return builder;
    }

    /// <summary>
    /// Adds OAuth 2.0 provider <paramref name="name"/> bound from configuration: the provider's
    /// own section (e.g. <c>Integrations:OAuth2:github</c>, holding <c>ClientId</c>, <c>TokenUrl</c>, ...).
    /// Errors at start-up name the section's keys.
    /// </summary>
    /// <param name="builder">The integrations builder.</param>
    /// <param name="name">The provider name (lowercase letters, digits, <c>-</c>, <c>_</c> and <c>.</c>; not a built-in provider's).</param>
    /// <param name="configuration">The provider's section.</param>
    /// <returns>The same builder.</returns>
    public static IIntegrationsBuilder AddOAuth2Provider(this IIntegrationsBuilder builder, string name, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        Register(builder, name, configuration is IConfigurationSection section ? section.Path : $"{ConfigurationSectionName}:{name}");
        builder.Services.Configure<OAuth2ProviderOptions>(name, configuration);
        return builder;
    }

    private static void Register(IIntegrationsBuilder builder, string name, string configurationPath)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.Length > 64 || name.Any(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_' or '.')))
        {
            throw new ArgumentException($"OAuth 2.0 provider name '{name}' must be 1 to 64 lowercase letters, digits, '-', '_' or '.'.", nameof(name));
        }

        if (BuiltInProviders.Contains(name))
        {
            throw new ArgumentException($"'{name}' is a built-in provider; give the OAuth 2.0 provider another name.", nameof(name));
        }

        var services = builder.Services;
        var registration = new OAuth2ProviderRegistration(name, configurationPath);
        services.AddSingleton(registration);
        services.AddOptions<OAuth2ProviderOptions>(name).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OAuth2ProviderOptions>, OAuth2ProviderOptionsValidator>());
        services.TryAddSingleton<OAuth2Pkce>();
        if (services.Any(d => d.IsKeyedService && Equals(d.ServiceKey, name) && d.ServiceType == typeof(OAuth2OAuthProvider)))
        {
            // Added before: the options accumulate, the services are there once.
            return;
        }

        services.AddKeyedSingleton(name, (sp, _) => new OAuth2OAuthProvider(name,
            sp.GetRequiredService<TokenEndpointClient>(),
            sp.GetRequiredService<IOptionsMonitor<OAuth2ProviderOptions>>(),
            sp.GetRequiredService<TimeProvider>()));
        IntegrationProviderRegistry.AddProvider(services, sp =>
        {
            var oauth = sp.GetRequiredKeyedService<OAuth2OAuthProvider>(name);
            return new OAuth2Provider(name, sp.GetRequiredService<IOptionsMonitor<OAuth2ProviderOptions>>(), oauth,
                new OAuth2Installer(oauth, sp.GetRequiredService<OAuth2Pkce>()));
        });
    }
}
