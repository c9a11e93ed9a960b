using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Scoutflo.Http.Integrations;
using Scoutflo.Http.Integrations.DependencyInjection.Internal;
using Scoutflo.Http.Integrations.Secrets.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers encryption at rest of stored credentials, cached tokens and one-time values.</summary>
public static class SecretsIntegrationsBuilderExtensions
{
    /// <summary>The configuration section <see cref="UseCredentialEncryption(IIntegrationsBuilder, IConfiguration)"/> expects: <c>CredentialEncryption</c>.</summary>
    public const string CredentialEncryptionConfigurationSectionName = "CredentialEncryption";

    /// <summary>
    /// Encrypts every value inside a stored record's <c>credentials</c>, every shared-cache value
    /// (access tokens, rotation journals) and every one-time value (OAuth state, pending site
    /// selections) with AES-256-GCM under <see cref="CredentialEncryptionOptions.CurrentKeyId"/>,
    /// bound to its record and field (or key). Reads accept plain values too (unless
    /// <see cref="CredentialEncryptionOptions.RejectPlaintext"/>), so a collection can be migrated
    /// while in use with <see cref="IntegrationCredentialMigration"/>. Works in whichever order it
    /// and <c>UseMongoDb</c>/<c>UseRedis</c> are called. The keys come from the options unless an
    /// <see cref="ICredentialKeyRingProvider"/> is registered. The TypeScript SDK cannot read
    /// what this writes: see the README's "Secrets at rest".
    /// </summary>
    /// <param name="builder">The integrations builder.</param>
    /// <returns>The same builder.</returns>
    public static IIntegrationsBuilder UseCredentialEncryption(this IIntegrationsBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (!services.Any(d => d.ServiceType == typeof(CredentialEncryptionMarker)))
        {
            services.AddSingleton(new CredentialEncryptionMarker());
            OptionsRegistration.AddValidated<CredentialEncryptionOptions, CredentialEncryptionOptionsAttributeValidator, CredentialEncryptionOptionsValidator>(services);
            services.TryAddSingleton<ICredentialKeyRingProvider, OptionsCredentialKeyRingProvider>();
            services.TryAddSingleton<CredentialProtector>();
            services.TryAddSingleton(sp => new IntegrationCredentialMigration(
                sp.GetRequiredService<IIntegrationStore>(),
                sp.GetRequiredService<CredentialProtector>(),
                sp.GetRequiredService<IOptionsMonitor<CredentialEncryptionOptions>>()));
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, CredentialReencryptionService>());
        }

        return builder.ApplyCredentialEncryption();
    }

    /// <summary>Turns on encryption at rest, configured in code.</summary>
    /// <param name="builder">The integrations builder.</param>
    /// <param name="configure">Configures <see cref="CredentialEncryptionOptions"/>.</param>
    /// <returns>The same builder.</returns>
    public static IIntegrationsBuilder UseCredentialEncryption(this IIntegrationsBuilder builder, Action<CredentialEncryptionOptions> configure) =>
        OptionsRegistration.Configure(builder, configure, UseCredentialEncryption);

    /// <summary>Turns on encryption at rest, bound from configuration (keys as <c>Keys:{id}</c> = base64).</summary>
    /// <param name="builder">The integrations builder.</param>
    /// <param name="configuration">The <c>CredentialEncryption</c> section (or the root holding it).</param>
    /// <returns>The same builder.</returns>
    public static IIntegrationsBuilder UseCredentialEncryption(this IIntegrationsBuilder builder, IConfiguration configuration) =>
        OptionsRegistration.Bind<CredentialEncryptionOptions>(builder, configuration, CredentialEncryptionConfigurationSectionName, UseCredentialEncryption);

    /// <summary>
    /// Wraps the current <see cref="IIntegrationStore"/>, <see cref="ITokenCache"/> and
    /// <see cref="IOneTimeStore"/> registrations in encryption when <c>UseCredentialEncryption</c>
    /// was called (a no-op otherwise, and for a registration already wrapped). Storage adapters
    /// call it after replacing one of them (<c>UseMongoDb</c> and <c>UseRedis</c> do), so that
    /// encryption turned on before them still applies.
    /// </summary>
    /// <param name="builder">The integrations builder.</param>
    /// <returns>The same builder.</returns>
    public static IIntegrationsBuilder ApplyCredentialEncryption(this IIntegrationsBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (services.FirstOrDefault(d => d.ServiceType == typeof(CredentialEncryptionMarker))?.ImplementationInstance is not CredentialEncryptionMarker marker)
        {
            return builder;
        }

        Wrap<IIntegrationStore>(services, marker, static (sp, inner) => new EncryptingIntegrationStore(inner, sp.GetRequiredService<CredentialProtector>(), sp.GetRequiredService<TimeProvider>()));
        Wrap<ITokenCache>(services, marker, static (sp, inner) => new EncryptingTokenCache(inner, sp.GetRequiredService<CredentialProtector>()));
        Wrap<IOneTimeStore>(services, marker, static (sp, inner) => new EncryptingOneTimeStore(inner, sp.GetRequiredService<CredentialProtector>()));
        return builder;
    }

    /// <summary>Replaces the registration that resolves <typeparamref name="TService"/> (the last one) with one that wraps what it made.</summary>
    private static void Wrap<TService>(IServiceCollection services, CredentialEncryptionMarker marker, Func<IServiceProvider, TService, TService> wrap)
        where TService : class
    {
        var index = -1;
        for (var i = services.Count - 1; i >= 0; i--)
        {
            if (services[i].ServiceType == typeof(TService) && !services[i].IsKeyedService)
            {
                index = i;
                break;
            }
        }

        if (index < 0 || marker.Wrappers.Contains(services[index]))
        {
            return;
        }

        var inner = services[index];
        var wrapper = ServiceDescriptor.Describe(typeof(TService), sp => wrap(sp, Create<TService>(sp, inner)), inner.Lifetime);
        services[index] = wrapper;
        marker.Wrappers.Add(wrapper);
    }

    private static TService Create<TService>(IServiceProvider services, ServiceDescriptor descriptor)
        where TService : class =>
        (TService)(descriptor.ImplementationInstance
            ?? descriptor.ImplementationFactory?.Invoke(services)
            ?? ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!));

    /// <summary>Marks encryption as on, and remembers the registrations that already wrap.</summary>
    private sealed class CredentialEncryptionMarker
    {
        public HashSet<ServiceDescriptor> Wrappers { get; } = [];
    }
}
