using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Scoutflo.Http.Integrations.Tests.DependencyInjection;

/// <summary>AddScoutfloIntegrations: one-time registration and library options.</summary>
public sealed class ScoutfloIntegrationsServiceCollectionExtensionsTests
{
    [Fact]
    public void AddScoutfloIntegrations_NegativeConnectionCacheDuration_StartupValidationNamesIt()
    {
        var services = new ServiceCollection();
        services.AddScoutfloIntegrations(o => o.ConnectionCacheDuration = TimeSpan.FromSeconds(-1));
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(nameof(ScoutfloIntegrationsOptions.ConnectionCacheDuration), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddScoutfloIntegrations_Defaults_PassStartupValidation()
    {
        var services = new ServiceCollection();
        services.AddScoutfloIntegrations();
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IStartupValidator>().Validate();

        Assert.Equal(TimeSpan.FromMinutes(5), provider.GetRequiredService<IOptions<ScoutfloIntegrationsOptions>>().Value.ConnectionCacheDuration);
    }

    [Fact]
    public void AddScoutfloIntegrations_Configuration_BindsTheSection()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ScoutfloIntegrations:ConnectionCacheDuration"] = "00:00:30",
        }).Build();
        var services = new ServiceCollection();
        services.AddScoutfloIntegrations(configuration);
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IStartupValidator>().Validate();

        Assert.Equal(TimeSpan.FromSeconds(30), provider.GetRequiredService<IOptions<ScoutfloIntegrationsOptions>>().Value.ConnectionCacheDuration);
    }

    [Fact]
    public void AddScoutfloIntegrations_CalledRepeatedly_RegistersProvidersAndStrategiesOnce()
    {
        var once = new ServiceCollection();
        once.AddScoutfloIntegrations();
        var services = new ServiceCollection();
        services.AddScoutfloIntegrations();
        services.AddScoutfloIntegrations();
        services.AddJiraClient("66aa000000000000000000a1");
        services.AddConfluenceClient("66aa000000000000000000a2");
        services.AddHttpClient("other").AddIntegrationAuth();

        Assert.True(once.Count(d => d.ServiceType == typeof(IAuthStrategy)) >= 4);
        Assert.Equal(
            once.Count(d => d.ServiceType == typeof(IAuthStrategy)),
            services.Count(d => d.ServiceType == typeof(IAuthStrategy)));

        // The core alone: the custom provider. The two Atlassian clients add Atlassian, once.
        Assert.Single(once, d => d.ServiceType == typeof(Scoutflo.Http.Integrations.Providers.IIntegrationProvider));
        Assert.Equal(2, services.Count(d => d.ServiceType == typeof(Scoutflo.Http.Integrations.Providers.IIntegrationProvider)));
        Assert.Single(services, d => d.ServiceType == typeof(IConnectionManager));
    }

    [Fact]
    public void AddScoutfloIntegrations_StoreRegisteredBefore_KeepsTheConsumersStore()
    {
        var services = new ServiceCollection();
        var store = new Scoutflo.Http.Integrations.Storage.InMemory.InMemoryIntegrationStore(TimeProvider.System);
        services.AddSingleton<IIntegrationStore>(store);
        services.AddScoutfloIntegrations();
        using var provider = services.BuildServiceProvider();

        Assert.Same(store, provider.GetRequiredService<IIntegrationStore>());
    }
}
