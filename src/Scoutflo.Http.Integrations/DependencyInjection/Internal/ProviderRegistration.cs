using Scoutflo.Http.Integrations.Providers;

namespace Scoutflo.Http.Integrations.DependencyInjection.Internal;

/// <summary>
/// What every shipped provider's registration does, so that its folder keeps only its own
/// types and settings: <c>AddX()</c> adds the provider with its app optional (static-credential
/// records need none), <c>AddX(configure)</c> and <c>AddX(configuration)</c> add it with the app
/// required at start, and a typed client's registration adds the provider alone.
/// </summary>
internal static class ProviderRegistration
{
    /// <summary>The provider itself (record rules, OAuth runtime, installer); idempotent.</summary>
    public static void AddProvider<TProvider, TOAuth, TInstaller>(IServiceCollection services)
        where TProvider : class, IIntegrationProvider
        where TOAuth : class
        where TInstaller : class
    {
        services.AddScoutfloIntegrations();
        services.TryAddSingleton<TOAuth>();
        services.TryAddSingleton<TInstaller>();
        IntegrationProviderRegistry.AddProvider<TProvider>(services);
    }

    /// <summary>The plain <c>AddX()</c>: the provider, and its options checked at start (the app's fields where the app is set).</summary>
    public static IIntegrationsBuilder Add<TOptions, TAttributeRules, TRules>(IIntegrationsBuilder builder, Action<IServiceCollection> addProvider)
        where TOptions : class
        where TAttributeRules : class, IValidateOptions<TOptions>
        where TRules : class, IValidateOptions<TOptions>
    {
        ArgumentNullException.ThrowIfNull(builder);
        addProvider(builder.Services);
        OptionsRegistration.AddValidated<TOptions, TAttributeRules, TRules>(builder.Services);
        return builder;
    }

    /// <summary><c>AddX(configure)</c>: the app configured in code, required at start.</summary>
    public static IIntegrationsBuilder AddApp<TOptions>(IIntegrationsBuilder builder, Action<TOptions> configure, Func<IIntegrationsBuilder, IIntegrationsBuilder> add)
        where TOptions : class =>
        RequireApp<TOptions>(OptionsRegistration.Configure(builder, configure, add));

    /// <summary><c>AddX(configuration)</c>: the app bound from its section, required at start.</summary>
    public static IIntegrationsBuilder AddApp<TOptions>(IIntegrationsBuilder builder, IConfiguration configuration, string sectionName, Func<IIntegrationsBuilder, IIntegrationsBuilder> add)
        where TOptions : class =>
        RequireApp<TOptions>(OptionsRegistration.Bind<TOptions>(builder, configuration, sectionName, add));

    private static IIntegrationsBuilder RequireApp<TOptions>(IIntegrationsBuilder builder)
        where TOptions : class
    {
        builder.Services.TryAddSingleton<OAuthAppRequired<TOptions>>();
        return builder;
    }
}
