using Microsoft.Extensions.DependencyInjection;
using Scoutflo.Http.Integrations.Tests.TestSupport;

namespace Scoutflo.Http.Integrations.Tests.Providers;

/// <summary>
/// Stored URLs are bound to the provider's hosts: whoever can write a record cannot send its
/// credentials elsewhere. The same rules hold at creation and when a record written behind the
/// manager's back is resolved (then the request fails and nothing is sent).
/// </summary>
public sealed class ProviderHostBindingTests : IAsyncDisposable
{
    private const string NotAllowed = "integration_base_url_not_allowed";

    private readonly TestHost _host = TestHost.Create();

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    // ---- Atlassian site_url ----------------------------------------------------------------

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("https://acme.atlassian.net.evil.example")]
    [InlineData("https://acmeatlassian.net")]
    [InlineData("https://atlassian.net")]
    [InlineData("https://a.b.atlassian.net")]
    [InlineData("https://acme.atlassian.net:8443")]
    [InlineData("https://acme.atlassian.net/jira")]
    [InlineData("http://127.0.0.1:8080")]
    [InlineData("http://localhost:8080")]
    public async Task CreateConnectionAsync_AtlassianBasicSiteOffAtlassianNet_ThrowsNotAllowed(string siteUrl)
    {
        var error = await Assert.ThrowsAsync<IntegrationException>(() => _host.Connections.CreateConnectionAsync(Records.JiraBasic(siteUrl)));

        Assert.Equal(NotAllowed, error.ErrorCode);
        Assert.Contains(IntegrationMetadataKeys.SiteUrl, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(IntegrationProviders.Jira)]
    [InlineData(IntegrationProviders.Jsm)]
    [InlineData(IntegrationProviders.Confluence)]
    public async Task CreateConnectionAsync_AtlassianOAuthSiteOffAtlassianNet_ThrowsNotAllowed(string provider)
    {
        var record = AtlassianOAuth(provider, "https://evil.example");

        var error = await Assert.ThrowsAsync<IntegrationException>(() => _host.Connections.CreateConnectionAsync(record));

        Assert.Equal(NotAllowed, error.ErrorCode);
    }

    [Theory]
    [InlineData("https://acme.atlassian.net")]
    [InlineData("https://ACME-2.Atlassian.NET/")]
    public async Task CreateConnectionAsync_AtlassianSiteOnAtlassianNet_Accepted(string siteUrl)
    {
        var stored = await _host.Connections.CreateConnectionAsync(Records.JiraBasic(siteUrl));

        Assert.Equal(new Uri(siteUrl), (await _host.Connections.ResolveConnectionAsync(stored.Id)).BaseAddress);
    }

    [Fact]
    public async Task SendAsync_AtlassianBasicRecordOffAtlassianNetWrittenElsewhere_FailsAndSendsNothing()
    {
        var stored = await _host.Services.GetRequiredService<IIntegrationStore>().InsertAsync(Records.JiraBasic("https://collector.evil.example"));
        using var client = _host.CreateHandlerClient(stored.Id);

        var error = await Assert.ThrowsAsync<IntegrationException>(() => client.GetAsync("rest/api/3/myself"));

        Assert.Equal(NotAllowed, error.ErrorCode);
        _host.Network.AssertNothingSent();
    }

    // ---- Slack base_url --------------------------------------------------------------------

    [Theory]
    [InlineData("https://evil.example/api")]
    [InlineData("https://slack.com.evil.example/api")]
    [InlineData("https://slack.com:8443/api")]
    public async Task CreateConnectionAsync_SlackBaseUrlOffTheApiHost_ThrowsNotAllowed(string baseUrl)
    {
        var error = await Assert.ThrowsAsync<IntegrationException>(() => _host.Connections.CreateConnectionAsync(SlackBearer(baseUrl)));

        Assert.Equal(NotAllowed, error.ErrorCode);
        Assert.Contains(IntegrationMetadataKeys.BaseUrl, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("https://slack.com/api")]
    [InlineData("https://slack.com/")]
    public async Task CreateConnectionAsync_SlackBaseUrlOnTheApiHost_Accepted(string? baseUrl)
    {
        var stored = await _host.Connections.CreateConnectionAsync(SlackBearer(baseUrl));

        Assert.Equal("slack.com", (await _host.Connections.ResolveConnectionAsync(stored.Id)).BaseAddress.Host);
    }

    [Fact]
    public async Task SendAsync_SlackRecordOffTheApiHostWrittenElsewhere_FailsAndSendsNothing()
    {
        var stored = await _host.Services.GetRequiredService<IIntegrationStore>().InsertAsync(SlackBearer("https://collector.evil.example/api"));
        using var client = _host.CreateHandlerClient(stored.Id);

        var error = await Assert.ThrowsAsync<IntegrationException>(() => client.GetAsync("auth.test"));

        Assert.Equal(NotAllowed, error.ErrorCode);
        _host.Network.AssertNothingSent();
    }

    // ---- Sentry base_url -------------------------------------------------------------------

    [Theory]
    [InlineData("https://sentry.attacker.example")]
    [InlineData("https://sentry.io.attacker.example")]
    [InlineData("https://notsentry.io")]
    [InlineData("https://sentry.io:8443")]
    [InlineData("http://127.0.0.1:9000")]
    public async Task CreateConnectionAsync_SentryBaseUrlNotSentryNorConfigured_ThrowsNotAllowed(string baseUrl)
    {
        var error = await Assert.ThrowsAsync<IntegrationException>(() => _host.Connections.CreateConnectionAsync(Records.SentryBearer(baseUrl)));

        Assert.Equal(NotAllowed, error.ErrorCode);
        Assert.Contains(IntegrationMetadataKeys.BaseUrl, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://sentry.io")]
    [InlineData("https://us.sentry.io")]
    [InlineData("https://de.sentry.io/")]
    [InlineData("https://acme.sentry.io")]
    public async Task CreateConnectionAsync_SentryIoAndRegionalHosts_AcceptedWithoutConfiguration(string baseUrl)
    {
        var stored = await _host.Connections.CreateConnectionAsync(Records.SentryBearer(baseUrl));

        Assert.Equal(new Uri(baseUrl).Host, (await _host.Connections.ResolveConnectionAsync(stored.Id)).BaseAddress.Host);
    }

    [Fact]
    public async Task SendAsync_SentryRecordOnAnUnconfiguredHostWrittenElsewhere_FailsAndSendsNothing()
    {
        var stored = await _host.Services.GetRequiredService<IIntegrationStore>().InsertAsync(Records.SentryBearer("https://collector.evil.example"));
        using var client = _host.CreateHandlerClient(stored.Id);

        var error = await Assert.ThrowsAsync<IntegrationException>(() => client.GetAsync("api/0/organizations/"));

        Assert.Equal(NotAllowed, error.ErrorCode);
        _host.Network.AssertNothingSent();
    }

    // ---- custom providers: https only (http on loopback), no user info ----------------------

    [Theory]
    [InlineData("https://user@api.example.test")]
    [InlineData("https://:pw@api.example.test")]
    [InlineData("https://user:pw@api.example.test")]
    [InlineData("https://user%40x@api.example.test")]
    [InlineData("http://api.example.test")]
    [InlineData("http://10.0.0.1:8080")]
    [InlineData("http://localhost.evil.example")]
    [InlineData("ws://127.0.0.1:8080")]
    public async Task SendAsync_CustomBaseUrlWithUserInfoOrClearText_RefusedAtCreationAndAtResolution(string baseUrl)
    {
        var created = await Assert.ThrowsAsync<IntegrationException>(() => _host.Connections.CreateConnectionAsync(Records.CustomBearer(baseUrl: baseUrl)));
        var stored = await _host.Services.GetRequiredService<IIntegrationStore>().InsertAsync(Records.CustomBearer(baseUrl: baseUrl));
        using var client = _host.CreateHandlerClient(stored.Id);

        var resolved = await Assert.ThrowsAsync<IntegrationException>(() => client.GetAsync("items"));

        Assert.Equal(IntegrationErrorCodes.BaseUrlInvalid, created.ErrorCode);
        Assert.Equal(IntegrationErrorCodes.BaseUrlInvalid, resolved.ErrorCode);
        Assert.DoesNotContain("pw", resolved.Message, StringComparison.Ordinal);
        _host.Network.AssertNothingSent();
    }

    // ---- hosts the application allows explicitly -------------------------------------------

    [Fact]
    public async Task CreateConnectionAsync_AtlassianSiteInAdditionalSiteUrls_AcceptedOnThatOriginOnly()
    {
        await using var host = TestHost.Create(services => services.Configure<AtlassianOptions>(o =>
        {
            o.AdditionalSiteUrls.Add(new Uri("http://127.0.0.1:8080"));
            o.AdditionalSiteUrls.Add(new Uri("https://jira.acme.example"));
        }));

        var loopback = await host.Connections.CreateConnectionAsync(Records.JiraBasic("http://127.0.0.1:8080"));
        var customDomain = await host.Connections.CreateConnectionAsync(Records.JiraBasic("https://jira.acme.example/"));
        var otherPort = await Assert.ThrowsAsync<IntegrationException>(() => host.Connections.CreateConnectionAsync(Records.JiraBasic("http://127.0.0.1:8081")));
        var otherScheme = await Assert.ThrowsAsync<IntegrationException>(() => host.Connections.CreateConnectionAsync(Records.JiraBasic("https://127.0.0.1:8080")));

        Assert.Equal(new Uri("http://127.0.0.1:8080"), (await host.Connections.ResolveConnectionAsync(loopback.Id)).BaseAddress);
        Assert.Equal("jira.acme.example", (await host.Connections.ResolveConnectionAsync(customDomain.Id)).BaseAddress.Host);
        Assert.Equal(NotAllowed, otherPort.ErrorCode);
        Assert.Equal(NotAllowed, otherScheme.ErrorCode);
    }

    [Fact]
    public async Task CreateConnectionAsync_SlackBaseUrlInAdditionalApiBaseUrls_Accepted()
    {
        await using var host = TestHost.Create(services => services.Configure<SlackOptions>(o => o.AdditionalApiBaseUrls.Add(new Uri("https://slack-gov.com/api"))));

        var stored = await host.Connections.CreateConnectionAsync(SlackBearer("https://slack-gov.com/api"));

        Assert.Equal(new Uri("https://slack-gov.com/api"), (await host.Connections.ResolveConnectionAsync(stored.Id)).BaseAddress);
    }

    [Fact]
    public async Task CreateConnectionAsync_SlackApiBaseUrlMovedByOptions_RecordOnTheOldHostRefused()
    {
        await using var host = TestHost.Create(services => services.Configure<SlackOptions>(o => o.ApiBaseUrl = new Uri("https://slack.internal.example/api")));

        var moved = await host.Connections.CreateConnectionAsync(SlackBearer(null));
        var error = await Assert.ThrowsAsync<IntegrationException>(() => host.Connections.CreateConnectionAsync(SlackBearer("https://slack.com/api")));

        Assert.Equal("slack.internal.example", (await host.Connections.ResolveConnectionAsync(moved.Id)).BaseAddress.Host);
        Assert.Equal(NotAllowed, error.ErrorCode);
    }

    [Theory]
    [InlineData("https://sentry.acme.example")]
    [InlineData("https://sentry.acme.example/sentry")]
    [InlineData("https://app-host.example")]
    public async Task CreateConnectionAsync_SentrySelfHostedOrAppHost_Accepted(string baseUrl)
    {
        await using var host = TestHost.Create(services => services.Configure<SentryOptions>(o =>
        {
            o.SelfHostedBaseUrls.Add(new Uri("https://sentry.acme.example"));
            o.AdditionalBaseUrls.Add(new Uri("https://app-host.example"));
        }));

        var stored = await host.Connections.CreateConnectionAsync(Records.SentryBearer(baseUrl));

        Assert.Equal(new Uri(baseUrl), (await host.Connections.ResolveConnectionAsync(stored.Id)).BaseAddress);
    }

    private static Integration AtlassianOAuth(string provider, string siteUrl) => new()
    {
        Provider = provider,
        AccountId = Records.AccountId,
        AuthType = IntegrationAuthTypes.OAuth2,
        Credentials = new Dictionary<string, string> { [IntegrationCredentialKeys.RefreshToken] = "rt-1" },
        Metadata = new Dictionary<string, string>
        {
            [IntegrationMetadataKeys.CloudId] = "7a1c3a5e-0000-4000-8000-000000000001",
            [IntegrationMetadataKeys.SiteUrl] = siteUrl,
        },
    };

    private static Integration SlackBearer(string? baseUrl) => new()
    {
        Provider = IntegrationProviders.Slack,
        AccountId = Records.AccountId,
        AuthType = IntegrationAuthTypes.Bearer,
        Credentials = new Dictionary<string, string> { [IntegrationCredentialKeys.Token] = "xoxb-static-1" },
        Metadata = baseUrl is null
            ? new Dictionary<string, string>()
            : new Dictionary<string, string> { [IntegrationMetadataKeys.BaseUrl] = baseUrl },
    };
}
