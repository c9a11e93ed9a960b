using Scoutflo.Http.Integrations.Install.Internal;
using Scoutflo.Http.Integrations.OAuth.Internal;

namespace Scoutflo.Http.Integrations.Providers;

/// <summary>
/// The providers the application added, by the names they serve. Later registrations win, so
/// that an application can replace a built-in provider by adding its own for the same name.
/// </summary>
internal sealed class IntegrationProviderRegistry
{
    private readonly FrozenDictionary<string, (IIntegrationProvider Provider, ProviderProfile Profile)> _byName;

    public IntegrationProviderRegistry(IEnumerable<IIntegrationProvider> providers)
    {
        _byName = providers
            .SelectMany(p => p.Profiles.Select(profile => (Provider: p, Profile: profile)))
            .GroupBy(p => p.Profile.Name, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
        Providers = [.. _byName.Values.Select(v => v.Provider).Distinct()];
    }

    /// <summary>Every provider that serves at least one name.</summary>
    public IReadOnlyList<IIntegrationProvider> Providers { get; }

    /// <summary>The names served, in ordinal order (for messages).</summary>
    public IEnumerable<string> Names => _byName.Keys.Order(StringComparer.Ordinal);

    public bool TryGet(string name, out IIntegrationProvider provider, out ProviderProfile profile)
    {
        if (_byName.TryGetValue(name, out var entry))
        {
            (provider, profile) = entry;
            return true;
        }

        (provider, profile) = (null!, null!);
        return false;
    }

    /// <summary>
    /// Registers the registry, the core's one default provider (<see cref="CustomProvider"/>) and
    /// the parts of the added providers that the OAuth, keep-alive and install code consume, so
    /// that those folders never look a provider up themselves.
    /// </summary>
    internal static void AddTo(IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IIntegrationProvider, CustomProvider>());
        services.TryAddSingleton<IntegrationProviderRegistry>();

        // Explicit enumerable registrations: a provider's OAuth runtime and installer exist only
        // as members of its IIntegrationProvider, never as services of their own.
        services.TryAddSingleton<IEnumerable<IOAuthProvider>>(sp =>
            [.. sp.GetRequiredService<IntegrationProviderRegistry>().Providers.Select(p => p.OAuth).OfType<IOAuthProvider>().Distinct()]);
        services.TryAddSingleton<IEnumerable<IOAuthInstaller>>(sp =>
            [.. sp.GetRequiredService<IntegrationProviderRegistry>().Providers.Select(p => p.Installer).OfType<IOAuthInstaller>().Distinct()]);
    }

    /// <summary>
    /// Adds one provider; called by its own registration (<c>AddSlack</c>, ...). Idempotent, so
    /// that the registration and a typed client's (<c>AddSlackClient</c>) may both call it.
    /// </summary>
    internal static void AddProvider<TProvider>(IServiceCollection services)
        where TProvider : class, IIntegrationProvider =>
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IIntegrationProvider, TProvider>());

    /// <summary>
    /// Adds one provider built per registration (a provider configured by name, of which an
    /// application may add several of one type); its registration adds each name once.
    /// </summary>
    internal static void AddProvider(IServiceCollection services, Func<IServiceProvider, IIntegrationProvider> create) =>
        services.AddSingleton(create);
}
