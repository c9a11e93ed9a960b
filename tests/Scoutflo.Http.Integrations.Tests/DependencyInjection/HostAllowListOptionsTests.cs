using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Scoutflo.Http.Integrations.Tests.DependencyInjection;

/// <summary>
/// The hosts an application adds to a provider's allow-list are held at start-up to the rule of
/// every URL that receives a credential: absolute https (http only on loopback), no user info.
/// </summary>
public sealed class HostAllowListOptionsTests
{
    [Theory]
    [InlineData("http://jira.acme.example")]
    [InlineData("https://user:pw@jira.acme.example")]
    [InlineData("https://jira.acme.example/jira")]
    public void AddAtlassian_AdditionalSiteUrlNotAnHttpsOrigin_StartupValidationNamesIt(string site)
    {
        using var provider = Build(services => services.AddScoutfloIntegrations().AddAtlassian(o =>
        {
            o.ClientId = "client-1";
            o.ClientSecret = "cs-SECRET-0a1b";
            o.RedirectUri = new Uri("https://app.example.test/callback");
            o.AdditionalSiteUrls.Add(new Uri(site));
        }));

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(nameof(AtlassianOptions.AdditionalSiteUrls), error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("cs-SECRET-0a1b", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddAtlassian_Configuration_BindsAdditionalSiteUrls()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Atlassian:ClientId"] = "client-1",
            ["Atlassian:ClientSecret"] = "cs-SECRET-config",
            ["Atlassian:RedirectUri"] = "https://app.example.test/callback",
            ["Atlassian:AdditionalSiteUrls:0"] = "https://jira.acme.example",
            ["Atlassian:AdditionalSiteUrls:1"] = "http://127.0.0.1:8089",
        }).Build();
        using var provider = Build(services => services.AddScoutfloIntegrations().AddAtlassian(configuration));

        provider.GetRequiredService<IStartupValidator>().Validate();

        Assert.Equal([new Uri("https://jira.acme.example"), new Uri("http://127.0.0.1:8089")],
            provider.GetRequiredService<IOptions<AtlassianOptions>>().Value.AdditionalSiteUrls);
    }

    [Fact]
    public void AddSlack_AdditionalApiBaseUrlInClearText_StartupValidationNamesIt()
    {
        using var provider = Build(services => services.AddScoutfloIntegrations().AddSlack(o =>
        {
            o.ClientId = "client-1";
            o.ClientSecret = "cs-SECRET-0a1b";
            o.RedirectUri = new Uri("https://app.example.test/callback");
            o.AdditionalApiBaseUrls.Add(new Uri("http://slack.internal.example/api"));
        }));

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(nameof(SlackOptions.AdditionalApiBaseUrls), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddSentry_SelfHostedBaseUrlWithUserInfo_StartupValidationNamesIt()
    {
        using var provider = Build(services => services.AddScoutfloIntegrations().AddSentry(o =>
        {
            o.ClientId = "client-1";
            o.ClientSecret = "cs-SECRET-0a1b";
            o.AppSlug = "scoutflo";
            o.SelfHostedBaseUrls.Add(new Uri("https://admin:pw@sentry.acme.example"));
        }));

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(nameof(SentryOptions.SelfHostedBaseUrls), error.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Build(Action<IServiceCollection> configure)
    {
        var services = new ServiceCollection();
        configure(services);
        return services.BuildServiceProvider();
    }
}
