using Scoutflo.Http.Integrations;
using Scoutflo.Http.Integrations.DependencyInjection.Internal;
using Scoutflo.Http.Integrations.Providers.Sentry;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Sentry provider, and the Sentry app (a public integration) whose installations connect with OAuth; auth-token connections need none.</summary>
public static class SentryIntegrationsBuilderExtensions
{
    /// <summary>The configuration section <see cref="AddSentry(IIntegrationsBuilder, IConfiguration)"/> expects: <c>Sentry</c>.</summary>
    public const string ConfigurationSectionName = "Sentry";

    /// <summary>
    /// Adds the Sentry provider. Auth-token records (<c>bearer</c>) need no Sentry app; an app
    /// configured elsewhere (<c>Configure&lt;SentryOptions&gt;</c>) is validated at start-up once any of
    /// its settings is set, and installs and refreshes fail with
    /// <c>oauth_provider_not_configured</c> while it is missing.
    /// </summary>
    /// <param name="builder">The integrations builder.</param>
    /// <returns>The same builder.</returns>
    public static IIntegrationsBuilder AddSentry(this IIntegrationsBuilder builder) =>
        ProviderRegistration.Add<SentryOptions, SentryOptionsAttributeValidator, SentryOptionsValidator>(builder, AddSentryProvider);

    /// <summary>
    /// Adds the Sentry provider and app configured in code; a missing client id, secret or app
    /// slug fails the host's start with the setting's name.
    /// </summary>
    /// <param name="builder">The integrations builder.</param>
    /// <param name="configure">Configures <see cref="SentryOptions"/>.</param>
    /// <returns>The same builder.</returns>
    public static IIntegrationsBuilder AddSentry(this IIntegrationsBuilder builder, Action<SentryOptions> configure) =>
        ProviderRegistration.AddApp(builder, configure, AddSentry);

    /// <summary>
    /// Adds the Sentry provider and app bound from configuration; a missing client id, secret or
    /// app slug fails the host's start with the setting's name.
    /// </summary>
    /// <param name="builder">The integrations builder.</param>
    /// <param name="configuration">The <c>Sentry</c> section (or the root holding it).</param>
    /// <returns>The same builder.</returns>
    public static IIntegrationsBuilder AddSentry(this IIntegrationsBuilder builder, IConfiguration configuration) =>
        ProviderRegistration.AddApp<SentryOptions>(builder, configuration, ConfigurationSectionName, AddSentry);

    /// <summary>The Sentry provider alone, as a typed client's registration adds it.</summary>
    internal static void AddSentryProvider(IServiceCollection services) =>
        ProviderRegistration.AddProvider<SentryProvider, SentryOAuthProvider, SentryInstaller>(services);
}
