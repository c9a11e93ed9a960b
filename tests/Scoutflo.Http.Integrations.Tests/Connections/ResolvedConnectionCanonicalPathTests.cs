using Scoutflo.Http.Integrations.Tests.TestSupport;

namespace Scoutflo.Http.Integrations.Tests.Connections;

/// <summary>
/// <see cref="ResolvedConnection.TryMapRequestUri"/> decides the common URIs from the string
/// they were parsed from; every URI must get exactly the verdict (and target) of the full check
/// on the parsed URI, <see cref="ResolvedConnection.TryMapParsed"/>. The corpus leans on what
/// a string comparison could get wrong: case, ports, user info, IDN, trailing dots, escapes,
/// dot segments, backslashes, double slashes, queries and fragments holding separators.
/// </summary>
public sealed class ResolvedConnectionCanonicalPathTests
{
    private static readonly ResolvedConnection Jira =
        StubConnectionManager.AtlassianOAuth(StubConnectionManager.JiraId, IntegrationProviders.Jira, StubConnectionManager.JiraBase);

    private static readonly ResolvedConnection RootBase =
        StubConnectionManager.AtlassianOAuth("66aa000000000000000000c4", IntegrationProviders.Custom, "https://api.example.test", siteAddress: null);

    private static readonly ResolvedConnection PathBase =
        StubConnectionManager.AtlassianOAuth("66aa000000000000000000c5", IntegrationProviders.Custom, "https://api.example.test/v2/", siteAddress: null);

    public static TheoryData<string> Uris { get; } = new(
        // On the base, canonical.
        "https://api.atlassian.com/ex/jira/abc-123",
        "https://api.atlassian.com/ex/jira/abc-123/",
        "https://api.atlassian.com/ex/jira/abc-123?x=1",
        "https://api.atlassian.com/ex/jira/abc-123#frag",
        "https://api.atlassian.com/ex/jira/abc-123/rest/api/3/myself",
        "https://api.atlassian.com/ex/jira/abc-123/rest/api/3/search/jql?jql=project%20%3D%20X&next=/../..",
        "https://api.atlassian.com/ex/jira/abc-123/rest#/../../other-cloud",
        "https://api.atlassian.com/ex/jira/abc-123/rest?a=\\..\\..",
        "https://api.atlassian.com/ex/jira/abc-123/issue/PROJ-1;v=1:x@y!$&'()*+,=~_",
        // Dot segments, escapes, backslashes, double slashes.
        "https://api.atlassian.com/ex/jira/abc-123/./x",
        "https://api.atlassian.com/ex/jira/abc-123/../other-cloud/x",
        "https://api.atlassian.com/ex/jira/abc-123/x/..",
        "https://api.atlassian.com/ex/jira/abc-123/x/.",
        "https://api.atlassian.com/ex/jira/abc-123/.well-known/x",
        "https://api.atlassian.com/ex/jira/abc-123/%2e%2e/other-cloud",
        "https://api.atlassian.com/ex/jira/abc-123/%2E%2E/other-cloud",
        "https://api.atlassian.com/ex/jira/abc-123/.%2e/other-cloud",
        "https://api.atlassian.com/ex/jira/abc-123/x%2F..%2F..%2Fother",
        "https://api.atlassian.com/ex/jira/abc-123/%41bc",
        "https://api.atlassian.com/ex/jira/abc-123\\..\\other-cloud/x",
        "https://api.atlassian.com/ex/jira/abc-123/x\\..\\..\\y",
        "https://api.atlassian.com/ex/jira/abc-123//x",
        "https://api.atlassian.com/ex/jira/abc-123/a\tb",
        "https://api.atlassian.com/ex/jira/abc-123/a b",
        "https://api.atlassian.com/ex/jira/abc-123/ä",
        // Near the base: other clouds, case, ports, schemes, hosts, user info, IDN, trailing dots.
        "https://api.atlassian.com/ex/jira/abc-1234/x",
        "https://api.atlassian.com/ex/jira/abc-123x",
        "https://api.atlassian.com/ex/jira/ABC-123/x",
        "https://api.atlassian.com/ex/jira/other-cloud/x",
        "https://api.atlassian.com/",
        "https://api.atlassian.com",
        "https://API.atlassian.com/ex/jira/abc-123/x",
        "HTTPS://api.atlassian.com/ex/jira/abc-123/x",
        "http://api.atlassian.com/ex/jira/abc-123/x",
        "https://api.atlassian.com:443/ex/jira/abc-123/x",
        "https://api.atlassian.com:8443/ex/jira/abc-123/x",
        "https://api.atlassian.com./ex/jira/abc-123/x",
        "https://api.atlassian.com.evil.test/ex/jira/abc-123/x",
        "https://api.atlassian.com@evil.test/ex/jira/abc-123/x",
        "https://user@api.atlassian.com/ex/jira/abc-123/x",
        "https://user:pass@api.atlassian.com/ex/jira/abc-123/x",
        "https://\u0430pi.atlassian.com/ex/jira/abc-123/x",
        "https://xn--pi-7ld.atlassian.com/ex/jira/abc-123/x",
        " https://api.atlassian.com/ex/jira/abc-123/x",
        // The placeholder base of the typed clients.
        "https://integration.invalid",
        "https://integration.invalid/",
        "https://integration.invalid/rest/api/3/myself?x=1",
        "https://integration.invalid/rest#frag",
        "https://integration.invalid/rest?q=\u00e4&next=/../../x#f",
        "https://integration.invalid//evil.test/x",
        "https://integration.invalid/../other-cloud",
        "https://integration.invalid/%2e%2e/other-cloud",
        "https://integration.invalid/a\\..\\..\\b",
        "https://integration.invalid:443/rest",
        "https://integration.invalid:444/rest",
        "https://integration.invalid./rest",
        "https://integration.invalid.evil.test/rest",
        "https://u:p@integration.invalid/rest",
        "https://integration.invalid@evil.test/rest",
        "http://integration.invalid/rest",
        "https://INTEGRATION.invalid/rest",
        // The site.
        "https://acme.atlassian.net/rest/api/3/issue/10001?expand=names",
        "https://acme.atlassian.net",
        "https://acme.atlassian.net/",
        "https://ACME.atlassian.net/rest",
        "https://acme.atlassian.net:443/rest",
        "https://acme.atlassian.net:444/rest",
        "https://acme.atlassian.net./rest",
        "https://acme.atlassian.net.evil.test/rest",
        "https://acme.atlassian.net@evil.test/rest",
        "https://evil.test@acme.atlassian.net/rest",
        "http://acme.atlassian.net/rest",
        "https://acme.atlassian.net/wiki/../../x",
        // A root base and a base with a path.
        "https://api.example.test/items",
        "https://api.example.test/",
        "https://api.example.test",
        "https://api.example.test?x=1",
        "https://api.example.test:443/items",
        "https://api.example.test.evil.test/items",
        "https://api.example.test/v2",
        "https://api.example.test/v2/items/7?x=1",
        "https://api.example.test/v2evil/items",
        "https://api.example.test/v1/items",
        "https://api.example.test/v2/../v1/items",
        "file:///etc/passwd");

    [Theory]
    [MemberData(nameof(Uris))]
    public void TryMapRequestUri_AnyUri_SameVerdictAndTargetAsTheParsedCheck(string requestUri)
    {
        foreach (var connection in new[] { Jira, RootBase, PathBase })
        {
            var expectedOk = connection.TryMapParsed(new Uri(requestUri), out var expected);

            var ok = connection.TryMapRequestUri(new Uri(requestUri), out var target);

            Assert.Equal(expectedOk, ok);
            Assert.Equal(expected?.AbsoluteUri, target?.AbsoluteUri);
        }
    }

    [Theory]
    [InlineData("https://api.atlassian.com/ex/jira/abc-123/rest/api/3/myself")]
    [InlineData("https://api.atlassian.com/ex/jira/abc-123?x=1")]
    public void TryMapRequestUri_CanonicalUriOnTheBase_SentAsItIs(string requestUri)
    {
        var uri = new Uri(requestUri);

        Assert.True(Jira.TryMapRequestUri(uri, out var target));
        Assert.Same(uri, target);
    }

    [Theory]
    [InlineData("https://integration.invalid/rest/api/3/myself?x=1#f", "https://api.atlassian.com/ex/jira/abc-123/rest/api/3/myself?x=1")]
    [InlineData("https://acme.atlassian.net/rest/api/3/issue/1", "https://api.atlassian.com/ex/jira/abc-123/rest/api/3/issue/1")]
    [InlineData("https://integration.invalid/", "https://api.atlassian.com/ex/jira/abc-123/")]
    public void TryMapRequestUri_CanonicalUriOnThePlaceholderOrSite_RewrittenOntoTheBase(string requestUri, string expected)
    {
        Assert.True(Jira.TryMapRequestUri(new Uri(requestUri), out var target));
        Assert.Equal(expected, target.AbsoluteUri);
        Assert.Equal(expected, target.OriginalString);
    }
}
