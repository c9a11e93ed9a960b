using Microsoft.Extensions.Logging.Testing;
using Scoutflo.Http.Integrations.Tests.TestSupport;

namespace Scoutflo.Http.Integrations.Tests.Http;

/// <summary>
/// Where requests go: relative and site-host URLs are moved onto the API base, anything else is
/// refused before a byte leaves. The Atlassian OAuth cases run over <see cref="StubConnectionManager"/>
/// (base <c>https://api.atlassian.com/ex/jira/abc-123</c>, site <c>https://acme.atlassian.net</c>).
/// </summary>
public sealed partial class IntegrationAuthHandlerTests
{
    [Theory]
    [InlineData("items", "https://api.example.test/v2/items")]
    [InlineData("/items", "https://api.example.test/v2/items")]
    [InlineData("items/7?expand=owner&q=a%20b", "https://api.example.test/v2/items/7?expand=owner&q=a%20b")]
    [InlineData("/items/7?expand=owner", "https://api.example.test/v2/items/7?expand=owner")]
    [InlineData("https://api.example.test/v2/items/7?x=1", "https://api.example.test/v2/items/7?x=1")]
    [InlineData("https://API.EXAMPLE.TEST/v2/items", "https://api.example.test/v2/items")]
    public async Task SendAsync_CustomBaseWithPath_SendsUnderTheBase(string requestUri, string expected)
    {
        var id = await _host.AddAsync(Records.CustomBearer());
        using var client = _host.CreateHandlerClient(id);

        (await client.GetAsync(requestUri)).EnsureSuccessStatusCode();

        var sent = _host.Network.Single();
        Assert.Equal(expected, sent.Uri.AbsoluteUri);
        Assert.Equal(["Bearer " + Records.BearerToken], sent.Header("Authorization"));
    }

    [Theory]
    [InlineData("https://api.example.test/v1/items")]
    [InlineData("https://api.example.test/v2evil/items")]
    [InlineData("https://api.example.test/")]
    [InlineData("https://other.example.test/v2/items")]
    public async Task SendAsync_CustomBaseOtherPathOrHost_RefusedAndSendsNothing(string requestUri)
    {
        var id = await _host.AddAsync(Records.CustomBearer());
        using var client = _host.CreateHandlerClient(id);

        var error = await Assert.ThrowsAsync<IntegrationHostNotAllowedException>(() => client.GetAsync(requestUri));

        Assert.Equal("integration_host_not_allowed", error.ErrorCode);
        _host.Network.AssertNothingSent();
    }

    [Theory]
    [InlineData("rest/api/3/myself", "https://api.atlassian.com/ex/jira/abc-123/rest/api/3/myself")]
    [InlineData("/rest/api/3/myself", "https://api.atlassian.com/ex/jira/abc-123/rest/api/3/myself")]
    [InlineData("rest/api/3/search/jql?fields=summary", "https://api.atlassian.com/ex/jira/abc-123/rest/api/3/search/jql?fields=summary")]
    [InlineData("https://acme.atlassian.net/rest/api/3/issue/10001", "https://api.atlassian.com/ex/jira/abc-123/rest/api/3/issue/10001")]
    [InlineData("https://ACME.atlassian.net/rest/api/3/issue/10001?expand=names", "https://api.atlassian.com/ex/jira/abc-123/rest/api/3/issue/10001?expand=names")]
    [InlineData("https://api.atlassian.com/ex/jira/abc-123/rest/api/3/issue/10001", "https://api.atlassian.com/ex/jira/abc-123/rest/api/3/issue/10001")]
    [InlineData("HTTPS://API.ATLASSIAN.COM/ex/jira/abc-123/rest/api/3/myself", "https://api.atlassian.com/ex/jira/abc-123/rest/api/3/myself")]
    [InlineData("https://api.atlassian.com:443/ex/jira/abc-123/rest/api/3/myself", "https://api.atlassian.com/ex/jira/abc-123/rest/api/3/myself")]
    public async Task SendAsync_AtlassianOAuthConnection_SendsUnderTheGatewayBase(string requestUri, string expected)
    {
        using var client = AtlassianClient(StubConnectionManager.JiraId);

        (await client.GetAsync(requestUri)).EnsureSuccessStatusCode();

        var sent = _host.Network.Single();
        Assert.Equal(expected, sent.Uri.AbsoluteUri);
        Assert.Equal(["Bearer " + StubConnectionManager.AccessToken], sent.Header("Authorization"));
    }

    [Theory]
    [InlineData("https://acme.atlassian.net/wiki/api/v2/pages/42", "https://api.atlassian.com/ex/confluence/abc-123/wiki/api/v2/pages/42")]
    [InlineData("https://acme.atlassian.net/wiki/rest/api/content/42?expand=body.storage", "https://api.atlassian.com/ex/confluence/abc-123/wiki/rest/api/content/42?expand=body.storage")]
    [InlineData("wiki/api/v2/spaces", "https://api.atlassian.com/ex/confluence/abc-123/wiki/api/v2/spaces")]
    public async Task SendAsync_ConfluenceSiteOrRelativeUrl_SendsUnderTheConfluenceBase(string requestUri, string expected)
    {
        using var client = AtlassianClient(StubConnectionManager.ConfluenceId);

        (await client.GetAsync(requestUri)).EnsureSuccessStatusCode();

        Assert.Equal(expected, _host.Network.Single().Uri.AbsoluteUri);
    }

    [Theory]
    [InlineData("https://evil.test/rest/api/3/myself", "https://evil.test")]
    [InlineData("https://EVIL.TEST/", "https://evil.test")]
    [InlineData("https://api.atlassian.com.evil.test/ex/jira/abc-123/rest/api/3/myself", "https://api.atlassian.com.evil.test")]
    [InlineData("https://api.atlassian.com@evil.test/ex/jira/abc-123/rest/api/3/myself", "https://evil.test")]
    [InlineData("https://user:pass@api.atlassian.com/ex/jira/abc-123/rest/api/3/myself", "https://api.atlassian.com")]
    [InlineData("https://api.atlassian.com:8443/ex/jira/abc-123/rest/api/3/myself", "https://api.atlassian.com:8443")]
    [InlineData("http://api.atlassian.com/ex/jira/abc-123/rest/api/3/myself", "http://api.atlassian.com")]
    [InlineData("https://api.atlassian.com/ex/jira/other-cloud/rest/api/3/myself", "https://api.atlassian.com")]
    [InlineData("https://api.atlassian.com/ex/jira/abc-1234/rest/api/3/myself", "https://api.atlassian.com")]
    [InlineData("https://api.atlassian.com/ex/jira/abc-123/../other-cloud/rest/api/3/myself", "https://api.atlassian.com")]
    [InlineData("https://api.atlassian.com/ex/confluence/abc-123/wiki/api/v2/spaces", "https://api.atlassian.com")]
    [InlineData("https://api.atlassian.com/oauth/token/accessible-resources", "https://api.atlassian.com")]
    [InlineData("http://acme.atlassian.net/rest/api/3/issue/10001", "http://acme.atlassian.net")]
    [InlineData("https://other.atlassian.net/rest/api/3/issue/10001", "https://other.atlassian.net")]
    [InlineData("https://acme.atlassian.net.evil.test/rest/api/3/issue/10001", "https://acme.atlassian.net.evil.test")]
    public async Task SendAsync_TargetOutsideTheConnection_RefusedBeforeSending(string requestUri, string refusedOrigin)
    {
        using var client = AtlassianClient(StubConnectionManager.JiraId);

        var error = await Assert.ThrowsAsync<IntegrationHostNotAllowedException>(() => client.GetAsync(requestUri));

        Assert.Equal("integration_host_not_allowed", error.ErrorCode);
        Assert.Equal(refusedOrigin, error.RequestedOrigin);
        Assert.Equal(StubConnectionManager.JiraId, error.IntegrationId);
        Assert.Equal(IntegrationProviders.Jira, error.Provider);
        _host.Network.AssertNothingSent();
    }

    [Theory]
    [InlineData("../../ex/jira/other-cloud/x")]
    [InlineData("../other-cloud/rest/api/3/myself")]
    [InlineData("rest/../../other-cloud/x")]
    public async Task SendAsync_RelativePathClimbingOutOfTheBase_RefusedBeforeSending(string relative)
    {
        // HttpMessageInvoker hands the relative URI to the handler as is; HttpClient would first
        // resolve it against the placeholder base, where ".." cannot climb above the root.
        using var invoker = new HttpMessageInvoker(
            new IntegrationAuthHandler(StubConnectionManager.Atlassian(), new IntegrationAuthHandlerOptions { IntegrationId = StubConnectionManager.JiraId })
            {
                InnerHandler = _host.Network.Handler,
            },
            disposeHandler: false);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(relative, UriKind.Relative));

        var error = await Assert.ThrowsAsync<IntegrationHostNotAllowedException>(() => invoker.SendAsync(request, CancellationToken.None));

        Assert.Equal("integration_host_not_allowed", error.ErrorCode);
        _host.Network.AssertNothingSent();
    }

    [Fact]
    public async Task SendAsync_RelativePathClimbingThroughTheClientBase_StaysOnTheConnectionsBase()
    {
        using var client = AtlassianClient(StubConnectionManager.JiraId);

        (await client.GetAsync("../../ex/jira/other-cloud/x")).EnsureSuccessStatusCode();

        Assert.StartsWith(StubConnectionManager.JiraBase + "/", _host.Network.Single().Uri.AbsoluteUri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_RefusedUrlWithUserInfoAndQuery_ErrorAndLogOmitThem()
    {
        var logger = new FakeLogger<IntegrationAuthHandler>();
        using var client = new HttpClient(
            new IntegrationAuthHandler(StubConnectionManager.Atlassian(), new IntegrationAuthHandlerOptions { IntegrationId = StubConnectionManager.JiraId }, logger)
            {
                InnerHandler = _host.Network.Handler,
            },
            disposeHandler: false);

        var error = await Assert.ThrowsAsync<IntegrationHostNotAllowedException>(
            () => client.GetAsync("https://leakuser:leakpass@evil.test:8443/steal?sig=leakquery#frag"));

        Assert.Equal("https://evil.test:8443", error.RequestedOrigin);
        var log = Assert.Single(logger.Collector.GetSnapshot());
        foreach (var text in new[] { error.Message, error.ToString(), log.Message })
        {
            Assert.DoesNotContain("leakuser", text, StringComparison.Ordinal);
            Assert.DoesNotContain("leakpass", text, StringComparison.Ordinal);
            Assert.DoesNotContain("leakquery", text, StringComparison.Ordinal);
            Assert.DoesNotContain("/steal", text, StringComparison.Ordinal);
            Assert.DoesNotContain(StubConnectionManager.AccessToken, text, StringComparison.Ordinal);
        }

        _host.Network.AssertNothingSent();
    }

    private HttpClient AtlassianClient(string integrationId) =>
        new(new IntegrationAuthHandler(StubConnectionManager.Atlassian(), new IntegrationAuthHandlerOptions { IntegrationId = integrationId })
        {
            InnerHandler = _host.Network.Handler,
        }, disposeHandler: false)
        {
            BaseAddress = ResolvedConnection.PlaceholderBaseAddress,
        };
}
