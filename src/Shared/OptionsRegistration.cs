namespace Scoutflo.Http.Integrations.DependencyInjection.Internal;

/// <summary>
/// The overload family every registration of these packages has (<c>AddKeepAlive</c>,
/// <c>UseRedis</c>, <c>AddSlack</c>, ...): the plain form registers the feature and validates its
/// options at start; the configured forms call it, then configure in code or bind a section.
/// Compiled into each package (src/Directory.Build.props), because the storage packages use only
/// the core's public surface and this is no part of it.
/// </summary>
internal static class OptionsRegistration
{
    /// <summary>Validates <typeparamref name="TOptions"/> at start with its generated attribute rules and its own rules.</summary>
    public static void AddValidated<TOptions, TAttributeRules, TRules>(IServiceCollection services)
        where TOptions : class
        where TAttributeRules : class, IValidateOptions<TOptions>
        where TRules : class, IValidateOptions<TOptions>
    {
        AddValidated<TOptions, TAttributeRules>(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TRules>());
    }

    /// <summary>Validates <typeparamref name="TOptions"/> at start with one validator (options whose rules attributes say).</summary>
    public static void AddValidated<TOptions, TRules>(IServiceCollection services)
        where TOptions : class
        where TRules : class, IValidateOptions<TOptions>
    {
        services.AddOptions<TOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TRules>());
    }

    /// <summary>The <c>(Action&lt;TOptions&gt;)</c> form: the plain registration, then the code's settings.</summary>
    public static IIntegrationsBuilder Configure<TOptions>(IIntegrationsBuilder builder, Action<TOptions> configure, Func<IIntegrationsBuilder, IIntegrationsBuilder> add)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(configure);
        add(builder);
        builder.Services.Configure(configure);
        return builder;
    }

    /// <summary>The <c>(IConfiguration)</c> form: the plain registration, then <paramref name="sectionName"/> (or the section given) bound.</summary>
    public static IIntegrationsBuilder Bind<TOptions>(IIntegrationsBuilder builder, IConfiguration configuration, string sectionName, Func<IIntegrationsBuilder, IIntegrationsBuilder> add)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(configuration);
        add(builder);
        builder.Services.Configure<TOptions>(SectionOrSelf(configuration, sectionName));
        return builder;
    }

    /// <summary>Accepts either the named section itself or a configuration root that contains it.</summary>
    public static IConfiguration SectionOrSelf(IConfiguration configuration, string sectionName)
    {
        var section = configuration.GetSection(sectionName);
        return section.Exists() ? section : configuration;
    }
}
