using Scoutflo.Http.Integrations.Tests.TestSupport;

namespace Scoutflo.Http.Integrations.Tests.Connections;

/// <summary>
/// <see cref="ResolvedConnection.TryMapRequestUri"/> on its own: the rule that decides where a
/// credential may go. The handler tests check the same rules end to end.
/// </summary>
public sealed class ResolvedConnectionTests
{
    private static readonly ResolvedConnection Jira =
        StubConnectionManager.AtlassianOAuth(StubConnectionManager.JiraId, IntegrationProviders.Jira, StubConnectionManager.JiraBase);

    private static readonly ResolvedConnection Confluence =
        StubConnectionManager.AtlassianOAuth(StubConnectionManager.ConfluenceId, IntegrationProviders.Confluence, StubConnectionManager.ConfluenceBase);

    [Theory]
    [InlineData("rest/api/3/myself", "https://api.atlassian.com/ex/jira/abc-123/rest/api/3/myself")]
    [InlineData("/rest/api/3/myself", "https://api.atlassian.com/ex/jira/abc-123/rest/api/3/myself")]
    [InlineData("rest/api/3/search/jql?jql=project%20%3D%20PROJ", "https://api.atlassian.com/ex/jira/abc-123/rest/api/3/search/jql?jql=project%20%3D%20PROJ")]
    [InlineData("rest/api/3/../3/myself", "https://api.atlassian.com/ex/jira/abc-123/rest/api/3/myself")]
    public void TryMapRequestUri_RelativeUri_MovedUnderTheBasePath(string relative, string expected)
    {
        Assert.True(Jira.TryMapRequestUri(new Uri(relative, UriKind.Relative), out var target));
        Assert.Equal(expected, target.AbsoluteUri);
    }

    [Theory]
    [InlineData("https://acme.atlassian.net/rest/api/3/issue/10001", "https://api.atlassian.com/ex/jira/abc-123/rest/api/3/issue/10001")]
    [InlineData("https://acme.atlassian.net/rest/api/3/search/jql?nextPageToken=abc", "https://api.atlassian.com/ex/jira/abc-123/rest/api/3/search/jql?nextPageToken=abc")]
    [InlineData("https://integration.invalid/rest/api/3/myself?x=1", "https://api.atlassian.com/ex/jira/abc-123/rest/api/3/myself?x=1")]
    [InlineData("https://api.atlassian.com/ex/jira/abc-123", "https://api.atlassian.com/ex/jira/abc-123")]
    [InlineData("https://api.atlassian.com/ex/jira/abc-123/rest/api/3/issue/10001?expand=names", "https://api.atlassian.com/ex/jira/abc-123/rest/api/3/issue/10001?expand=names")]
    [InlineData("HTTPS://API.ATLASSIAN.COM/ex/jira/abc-123/rest/api/3/myself", "https://api.atlassian.com/ex/jira/abc-123/rest/api/3/myself")]
    public void TryMapRequestUri_SiteHostPlaceholderOrBase_MappedOntoTheBase(string requestUri, string expected)
    {
        Assert.True(Jira.TryMapRequestUri(new Uri(requestUri), out var target));
        Assert.Equal(expected, target.AbsoluteUri);
    }

    [Fact]
    public void TryMapRequestUri_ConfluenceSiteUrl_MovedOntoTheConfluenceBase()
    {
        Assert.True(Confluence.TryMapRequestUri(new Uri("https://acme.atlassian.net/wiki/api/v2/pages/42?body-format=storage"), out var target));
        Assert.Equal("https://api.atlassian.com/ex/confluence/abc-123/wiki/api/v2/pages/42?body-format=storage", target.AbsoluteUri);
    }

    [Fact]
    public void TryMapRequestUri_NoUri_TargetsTheBase()
    {
        Assert.True(Jira.TryMapRequestUri(null, out var target));
        Assert.Equal(StubConnectionManager.JiraBase, target.AbsoluteUri);
    }

    [Theory]
    [InlineData("https://evil.test/rest/api/3/myself")]
    [InlineData("https://EVIL.TEST/")]
    [InlineData("https://api.atlassian.com.evil.test/ex/jira/abc-123/x")]
    [InlineData("https://api.atlassian.com@evil.test/ex/jira/abc-123/x")]
    [InlineData("https://user:pass@api.atlassian.com/ex/jira/abc-123/x")]
    [InlineData("https://user@acme.atlassian.net/rest/api/3/myself")]
    [InlineData("https://api.atlassian.com:8443/ex/jira/abc-123/x")]
    [InlineData("http://api.atlassian.com/ex/jira/abc-123/x")]
    [InlineData("https://api.atlassian.com/ex/jira/other-cloud/x")]
    [InlineData("https://api.atlassian.com/ex/jira/abc-1234/x")]
    [InlineData("https://api.atlassian.com/ex/jira/ABC-123/x")]
    [InlineData("https://api.atlassian.com/ex/jira/abc-123/../other-cloud/x")]
    [InlineData("https://api.atlassian.com/ex/jira/abc-123/%2e%2e/other-cloud/x")]
    [InlineData("https://api.atlassian.com/ex/jira/abc-123/.%2E/other-cloud/x")]
    [InlineData("https://api.atlassian.com/ex/jira/abc-123\\..\\other-cloud/x")]
    [InlineData("https://api.atlassian.com/")]
    [InlineData("http://acme.atlassian.net/rest/api/3/issue/10001")]
    [InlineData("https://acme.atlassian.net:444/rest/api/3/issue/10001")]
    [InlineData("https://other.atlassian.net/rest/api/3/issue/10001")]
    [InlineData("http://integration.invalid/rest/api/3/myself")]
    [InlineData("file:///etc/passwd")]
    public void TryMapRequestUri_AbsoluteUriOutsideTheConnection_Refused(string requestUri)
    {
        Assert.False(Jira.TryMapRequestUri(new Uri(requestUri), out var target));
        Assert.Null(target);
    }

    [Theory]
    [InlineData("../../ex/jira/other-cloud/x")]
    [InlineData("..")]
    [InlineData("rest/../../other-cloud")]
    [InlineData("%2e%2e/other-cloud/x")]
    public void TryMapRequestUri_RelativeUriClimbingOutOfTheBase_Refused(string relative)
    {
        Assert.False(Jira.TryMapRequestUri(new Uri(relative, UriKind.Relative), out var target));
        Assert.Null(target);
    }

    [Theory]
    [InlineData("https://api.example.test", "items", "https://api.example.test/items")]
    [InlineData("https://api.example.test/", "/items?x=1", "https://api.example.test/items?x=1")]
    [InlineData("https://api.example.test/v2/", "items", "https://api.example.test/v2/items")]
    [InlineData("https://api.example.test/v2", "https://api.example.test/v2", "https://api.example.test/v2")]
    public void TryMapRequestUri_BaseWithOrWithoutPath_Mapped(string baseAddress, string requestUri, string expected)
    {
        var connection = StubConnectionManager.AtlassianOAuth("66aa000000000000000000c3", IntegrationProviders.Custom, baseAddress, siteAddress: null);

        Assert.True(connection.TryMapRequestUri(new Uri(requestUri, UriKind.RelativeOrAbsolute), out var target));
        Assert.Equal(expected, target.AbsoluteUri);
    }

    [Fact]
    public void Properties_AtlassianRecord_ExposeCloudIdAndSiteButNoSecret()
    {
        Assert.Equal(StubConnectionManager.CloudId, Jira.CloudId);
        Assert.Equal(StubConnectionManager.Site, Jira.SiteUrl);
        Assert.Equal(new Uri(StubConnectionManager.Site), Jira.SiteAddress);
        Assert.DoesNotContain(StubConnectionManager.AccessToken, Jira.Credentials.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(StubConnectionManager.AccessToken, Jira.ToString(), StringComparison.Ordinal);
    }
}
