using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Scoutflo.Http.Integrations.Tests.Providers.Atlassian;

/// <summary>AddAtlassian: options bound and validated at start, as the host does it.</summary>
public sealed class AtlassianIntegrationsBuilderExtensionsTests
{
    [Fact]
    public void AddAtlassian_NoClientId_StartupValidationNamesClientId()
    {
        using var provider = Build(o =>
        {
            o.ClientSecret = "cs-SECRET-0a1b";
            o.RedirectUri = new Uri("https://app.example.test/integrations/atlassian/callback");
        });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(nameof(AtlassianOptions.ClientId), error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(nameof(AtlassianOptions.RedirectUri), error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("cs-SECRET-0a1b", error.Message, StringComparison.Ordinal);
        Assert.Equal(typeof(AtlassianOptions), error.OptionsType);
    }

    [Fact]
    public void AddAtlassian_NothingConfigured_StartupValidationNamesEveryMissingSettingByItsConfigurationKey()
    {
        using var provider = Build(_ => { });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Atlassian:ClientId", error.Message, StringComparison.Ordinal);
        Assert.Contains("Atlassian:ClientSecret", error.Message, StringComparison.Ordinal);

        // Only installs need the callback URL: a worker that calls APIs starts without it.
        Assert.DoesNotContain(nameof(AtlassianOptions.RedirectUri), error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://app.example.test/callback")]
    [InlineData("https://user:pw@app.example.test/callback")]
    [InlineData("/callback")]
    public void AddAtlassian_RedirectUriNotAbsoluteHttps_StartupValidationNamesRedirectUri(string redirectUri)
    {
        using var provider = Build(o =>
        {
            o.ClientId = "client-1";
            o.ClientSecret = "cs-SECRET-0a1b";
            o.RedirectUri = new Uri(redirectUri, UriKind.RelativeOrAbsolute);
        });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Atlassian:RedirectUri", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://app.example.test/integrations/atlassian/callback")]
    [InlineData("http://localhost:5000/callback")]
    public void AddAtlassian_ValidConfiguration_PassesStartupValidation(string redirectUri)
    {
        using var provider = Build(o =>
        {
            o.ClientId = "client-1";
            o.ClientSecret = "cs-SECRET-0a1b";
            o.RedirectUri = new Uri(redirectUri);
        });

        provider.GetRequiredService<IStartupValidator>().Validate();

        Assert.Equal("client-1", provider.GetRequiredService<IOptions<AtlassianOptions>>().Value.ClientId);
    }

    [Fact]
    public async Task AddAtlassian_NoClientId_HostStartFails()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddScoutfloIntegrations().AddAtlassian(o => o.RedirectUri = new Uri("https://app.example.test/callback"));
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(nameof(AtlassianOptions.ClientId), error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AddAtlassian_Configuration_BindsTheAtlassianSection(bool passRoot)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Atlassian:ClientId"] = "client-from-config",
            ["Atlassian:ClientSecret"] = "cs-SECRET-config",
            ["Atlassian:RedirectUri"] = "https://app.example.test/callback",
            ["Atlassian:ApiBaseUrl"] = "http://127.0.0.1:8089",
        }).Build();
        var services = new ServiceCollection();
        services.AddScoutfloIntegrations().AddAtlassian(passRoot ? configuration : configuration.GetSection("Atlassian"));
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IStartupValidator>().Validate();
        var options = provider.GetRequiredService<IOptions<AtlassianOptions>>().Value;

        Assert.Equal("client-from-config", options.ClientId);
        Assert.Equal("cs-SECRET-config", options.ClientSecret);
        Assert.Equal(new Uri("https://app.example.test/callback"), options.RedirectUri);
        Assert.Equal(new Uri("http://127.0.0.1:8089"), options.ApiBaseUrl);
        Assert.Equal(new Uri("https://auth.atlassian.com/oauth/token"), options.TokenEndpoint);
    }

    [Fact]
    public void AddAtlassian_ConfiguredScopes_ReplaceTheDefaults()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Atlassian:ClientId"] = "client-from-config",
            ["Atlassian:ClientSecret"] = "cs-SECRET-config",
            ["Atlassian:RedirectUri"] = "https://app.example.test/callback",
            ["Atlassian:JiraScopes:0"] = "read:jira-work",
        }).Build();
        var services = new ServiceCollection();
        services.AddScoutfloIntegrations().AddAtlassian(configuration);
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<AtlassianOptions>>().Value;

        Assert.Equal(["read:jira-work"], options.JiraScopes);
        Assert.Equal(["read:page:confluence", "read:space:confluence", "write:page:confluence"], options.ConfluenceScopes);
    }

    private static ServiceProvider Build(Action<AtlassianOptions> configure)
    {
        var services = new ServiceCollection();
        services.AddScoutfloIntegrations().AddAtlassian(configure);
        return services.BuildServiceProvider();
    }
}
