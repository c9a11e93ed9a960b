using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RichardSzalay.MockHttp;
using Scoutflo.Http.Integrations.Tests.TestSupport;

namespace Scoutflo.Http.Integrations.Tests.Providers;

/// <summary>
/// Static-credential records (Basic, an auth token, a bot token) of a named provider need no
/// OAuth app: the plain <c>AddAtlassian()</c>/<c>AddSlack()</c>/<c>AddSentry()</c> and the typed
/// clients start a host without one, and only the OAuth paths (install) fail, with
/// <c>oauth_provider_not_configured</c>. Hosts are started for real; requests go to MockHttp.
/// </summary>
public sealed class StaticCredentialsWithoutAppTests
{
    private const string JiraId = "66cc000000000000000000a1";
    private const string SentryId = "66cc000000000000000000b1";
    private const string Site = "https://acme.atlassian.net";

    private static IHost BuildHost(Action<IServiceCollection> configure, Dictionary<string, string?>? settings = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings ?? []);
        configure(builder.Services);
        return builder.Build();
    }

    [Fact]
    public async Task AddAtlassian_NoOAuthApp_HostStartsAndAJiraBasicRecordIsSentThroughAddIntegrationAuth()
    {
        using var network = new MockHttpMessageHandler();
        network.Expect(HttpMethod.Get, $"{Site}/rest/api/3/myself")
            .WithHeaders("Authorization", "Basic " + Records.BasicParameter)
            .Respond(HttpStatusCode.OK, "application/json", "{\"accountId\":\"5b10\"}");
        using var host = BuildHost(services =>
        {
            services.AddScoutfloIntegrations().AddAtlassian();
            services.AddHttpClient("jira").AddIntegrationAuth(JiraId).ConfigurePrimaryHttpMessageHandler(() => network);
        });

        await host.StartAsync();
        await host.Services.GetRequiredService<IConnectionManager>().CreateConnectionAsync(Records.JiraBasic(Site) with { Id = JiraId });
        using var response = await host.Services.GetRequiredService<IHttpClientFactory>().CreateClient("jira").GetAsync(new Uri("rest/api/3/myself", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        network.VerifyNoOutstandingExpectation();
        await host.StopAsync();
    }

    [Fact]
    public async Task AddAtlassian_NoOAuthApp_AnInstallFailsNamingTheMissingSetting()
    {
        using var host = BuildHost(services => services.AddScoutfloIntegrations().AddAtlassian());

        await host.StartAsync();
        var error = await Assert.ThrowsAsync<IntegrationException>(() => host.Services.GetRequiredService<IIntegrationInstallService>()
            .BuildInstallUrlAsync(new InstallRequest { Provider = IntegrationProviders.Jira, AccountId = Records.AccountId }));

        Assert.Equal(IntegrationErrorCodes.OAuthNotConfigured, error.ErrorCode);
        Assert.Contains("ClientId", error.Message, StringComparison.Ordinal);
        await host.StopAsync();
    }

    [Fact]
    public async Task AddSentryAndAddSentryClient_NoSentryApp_HostStartsAndTheAuthTokenIsSent()
    {
        using var network = new MockHttpMessageHandler();
        network.Expect(HttpMethod.Get, "https://sentry.io/api/0/organizations/")
            .WithHeaders("Authorization", "Bearer " + Records.BearerToken)
            .Respond(HttpStatusCode.OK, "application/json", "[{\"slug\":\"acme\"}]");
        using var host = BuildHost(services =>
        {
            services.AddScoutfloIntegrations().AddSentry();
            services.AddSentryClient(SentryId).ConfigurePrimaryHttpMessageHandler(() => network);
        });

        await host.StartAsync();
        await host.Services.GetRequiredService<IConnectionManager>().CreateConnectionAsync(Records.SentryBearer(baseUrl: null) with { Id = SentryId });
        var organizations = await host.Services.GetRequiredService<SentryClient>().GetOrganizationsAsync();

        Assert.Equal("acme", organizations[0].GetProperty("slug").GetString());
        network.VerifyNoOutstandingExpectation();
        await host.StopAsync();
    }

    [Fact]
    public async Task AddSlack_NoSlackApp_HostStarts()
    {
        using var host = BuildHost(services => services.AddScoutfloIntegrations().AddSlack());

        var error = await Record.ExceptionAsync(() => host.StartAsync());

        Assert.Null(error);
        await host.StopAsync();
    }

    [Fact]
    public async Task AddSentry_AppPartlyConfigured_FailsTheStartNamingTheMissingKeys()
    {
        using var host = BuildHost(services =>
        {
            services.AddScoutfloIntegrations().AddSentry();
            services.Configure<SentryOptions>(o => o.ClientId = "sentry-client");
        });

        var error = await Record.ExceptionAsync(() => host.StartAsync());

        Assert.NotNull(error);
        Assert.Contains("Sentry:ClientSecret", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("Sentry:AppSlug", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddAtlassian_OnlyTheRedirectUriConfigured_FailsTheStartNamingTheClientCredentials()
    {
        // A redirect URI says an app is meant: it is checked whole, not taken for "no app".
        using var host = BuildHost(services =>
        {
            services.AddScoutfloIntegrations().AddAtlassian();
            services.Configure<AtlassianOptions>(o => o.RedirectUri = new Uri("https://app.example.test/callback"));
        });

        var error = await Record.ExceptionAsync(() => host.StartAsync());

        Assert.NotNull(error);
        Assert.Contains("Atlassian:ClientId", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("Atlassian:ClientSecret", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddAtlassianFromConfiguration_SectionMissing_StillFailsTheStart()
    {
        // Asking for the app (the configured forms) keeps the fail-fast check.
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddScoutfloIntegrations().AddAtlassian(builder.Configuration);
        using var host = builder.Build();

        var error = await Record.ExceptionAsync(() => host.StartAsync());

        Assert.NotNull(error);
        Assert.Contains("Atlassian:ClientId", error.ToString(), StringComparison.Ordinal);
    }
}
