using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Scoutflo.Http.Integrations;
using Scoutflo.Http.Integrations.Providers;
using Scoutflo.Http.Integrations.Providers.Sentry;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Sentry app (a public integration) whose installations connect with OAuth; auth-token connections need none.</summary>
public static class SentryIntegrationsBuilderExtensions
{
    /// <summary>The configuration section <see cref="AddSentry(IIntegrationsBuilder, IConfiguration)"/> expects: <c>Sentry</c>.</summary>
    public const string ConfigurationSectionName = "Sentry";

    /// <summary>
    /// Adds the Sentry app; its options (configured elsewhere) are validated at start-up:
    /// a missing client id, secret or app slug fails the host's start with the setting's name.
    /// </summary>
    /// <param name="builder">The integrations builder.</param>
    /// <returns>The same builder.</returns>
    public static IIntegrationsBuilder AddSentry(this IIntegrationsBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        AddSentryProvider(builder.Services);
        builder.Services.AddOptions<SentryOptions>().ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SentryOptions>, SentryOptionsAttributeValidator>());
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SentryOptions>, SentryOptionsValidator>());
        return builder;
    }

    /// <summary>Adds the Sentry app configured in code.</summary>
    /// <param name="builder">The integrations builder.</param>
    /// <param name="configure">Configures <see cref="SentryOptions"/>.</param>
    /// <returns>The same builder.</returns>
    public static IIntegrationsBuilder AddSentry(this IIntegrationsBuilder builder, Action<SentryOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        builder.AddSentry();
        builder.Services.Configure(configure);
        return builder;
    }

    /// <summary>Adds the Sentry app bound from configuration.</summary>
    /// <param name="builder">The integrations builder.</param>
    /// <param name="configuration">The <c>Sentry</c> section (or the root holding it).</param>
    /// <returns>The same builder.</returns>
    public static IIntegrationsBuilder AddSentry(this IIntegrationsBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        builder.AddSentry();
        builder.Services.Configure<SentryOptions>(ScoutfloIntegrationsServiceCollectionExtensions.SectionOrSelf(configuration, ConfigurationSectionName));
        return builder;
    }

    /// <summary>
    /// The Sentry provider itself (record rules, OAuth runtime, installer), without requiring its app
    /// settings at start: <c>AddSentry</c> adds it with them, a typed client's registration without.
    /// </summary>
    internal static void AddSentryProvider(IServiceCollection services)
    {
        services.AddScoutfloIntegrations();
        services.TryAddSingleton<SentryOAuthProvider>();
        services.TryAddSingleton<SentryInstaller>();
        IntegrationProviderRegistry.AddProvider<SentryProvider>(services);
    }
}
