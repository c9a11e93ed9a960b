namespace Scoutflo.Http.Integrations.Fakes.Atlassian;

/// <summary>How an <see cref="AtlassianFake"/> behaves. Every default is stated on its property.</summary>
public sealed class AtlassianFakeOptions
{
    /// <summary>The registered OAuth client id. Default <c>"fake-atlassian-client-id"</c>.</summary>
    public string ClientId { get; set; } = "fake-atlassian-client-id";

    /// <summary>The registered OAuth client secret. Default <c>"fake-atlassian-client-secret"</c>.</summary>
    public string ClientSecret { get; set; } = "fake-atlassian-client-secret";

    /// <summary>
    /// Registered callback URLs. The authorize endpoint refuses (400, no redirect) any other
    /// <c>redirect_uri</c>. Default empty: any absolute http(s) URL is accepted.
    /// </summary>
    public IList<string> CallbackUrls { get; } = [];

    /// <summary>The loopback port to listen on; null (default) picks a free one. A fixed port suits a sandbox with stable URLs.</summary>
    public int? Port { get; set; }

    /// <summary>The clock of every expiry. Default <see cref="TimeProvider.System"/>; tests pass a FakeTimeProvider.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Lifetime of access tokens, also returned as <c>expires_in</c>. Default 1 hour.</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Lifetime of authorization codes. Default 10 minutes.</summary>
    public TimeSpan AuthorizationCodeLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long after its rotation a refresh token may still be used (it then yields a new pair).
    /// Reuse after the leeway revokes the whole grant. Default <see cref="TimeSpan.Zero"/>
    /// (strict, best for tests); real Atlassian allows 10 minutes.
    /// </summary>
    public TimeSpan RefreshTokenReuseLeeway { get; set; } = TimeSpan.Zero;

    /// <summary>A refresh token unused this long dies. Default 90 days, like Atlassian.</summary>
    public TimeSpan RefreshTokenInactivityExpiry { get; set; } = TimeSpan.FromDays(90);

    /// <summary>A grant's refresh tokens die this long after the first consent. Default 365 days, like Atlassian.</summary>
    public TimeSpan RefreshTokenAbsoluteExpiry { get; set; } = TimeSpan.FromDays(365);

    /// <summary>
    /// Atlassian accounts that can consent. The first one consents unless
    /// <see cref="AtlassianFake.ConsentingAccountId"/> says otherwise. Default: one user, <c>alice</c>.
    /// </summary>
    public IList<AtlassianFakeUser> Users { get; } =
    [
        new AtlassianFakeUser("557058:alice-0001", "Alice Example", "alice@example.com"),
    ];

    /// <summary>
    /// Sites returned by accessible-resources and served under <c>/ex/jira/{id}</c> and
    /// <c>/ex/confluence/{id}</c>. Default: one site, <c>scoutflo-test.atlassian.net</c>.
    /// </summary>
    public IList<AtlassianFakeSite> Sites { get; } =
    [
        new AtlassianFakeSite("7a1c3a5e-0000-4000-8000-000000000001", "scoutflo-test", new Uri("https://scoutflo-test.atlassian.net")),
    ];

    /// <summary>Issues seeded in project <c>SCOUT</c> of every site (<c>SCOUT-1</c>...). Default 3.</summary>
    public int SeedIssueCount { get; set; } = 3;

    /// <summary>
    /// For each route, the scopes of which the token needs at least one; otherwise the API answers
    /// <c>401 {"code":401,"message":"Unauthorized; scope does not match"}</c>. Defaults:
    /// myself: read:jira-user or read:jira-work; issue read and search: read:jira-work;
    /// issue create: write:jira-work; service desks: read:servicedesk-request;
    /// Confluence spaces: read:space:confluence or read:confluence-space.summary;
    /// Confluence pages: read:page:confluence or read:confluence-content.all.
    /// </summary>
    public IDictionary<AtlassianFakeRoute, IReadOnlyList<string>> RequiredScopes { get; } =
        new Dictionary<AtlassianFakeRoute, IReadOnlyList<string>>
        {
            [AtlassianFakeRoute.JiraMyself] = ["read:jira-user", "read:jira-work"],
            [AtlassianFakeRoute.JiraIssueRead] = ["read:jira-work"],
            [AtlassianFakeRoute.JiraSearch] = ["read:jira-work"],
            [AtlassianFakeRoute.JiraIssueCreate] = ["write:jira-work"],
            [AtlassianFakeRoute.ServiceDeskRead] = ["read:servicedesk-request"],
            [AtlassianFakeRoute.ConfluenceSpaceRead] = ["read:space:confluence", "read:confluence-space.summary"],
            [AtlassianFakeRoute.ConfluencePageRead] = ["read:page:confluence", "read:confluence-content.all"],
        };

    /// <summary>A copy, so that changing these options after the fake started does not race with it.</summary>
    internal AtlassianFakeOptions Snapshot()
    {
        var copy = new AtlassianFakeOptions
        {
            ClientId = ClientId,
            ClientSecret = ClientSecret,
            Port = Port,
            TimeProvider = TimeProvider,
            AccessTokenLifetime = AccessTokenLifetime,
            AuthorizationCodeLifetime = AuthorizationCodeLifetime,
            RefreshTokenReuseLeeway = RefreshTokenReuseLeeway,
            RefreshTokenInactivityExpiry = RefreshTokenInactivityExpiry,
            RefreshTokenAbsoluteExpiry = RefreshTokenAbsoluteExpiry,
            SeedIssueCount = SeedIssueCount,
        };
        Replace(copy.CallbackUrls, CallbackUrls);
        Replace(copy.Users, Users);
        Replace(copy.Sites, Sites);
        copy.RequiredScopes.Clear();
        foreach (var (route, scopes) in RequiredScopes)
        {
            copy.RequiredScopes[route] = [.. scopes];
        }

        return copy;
    }

    private static void Replace<T>(IList<T> target, IEnumerable<T> source)
    {
        target.Clear();
        foreach (var item in source)
        {
            target.Add(item);
        }
    }
}

/// <summary>The API routes of <see cref="AtlassianFake"/> that check scopes.</summary>
public enum AtlassianFakeRoute
{
    /// <summary><c>GET /ex/jira/{cloudId}/rest/api/3/myself</c>.</summary>
    JiraMyself,

    /// <summary><c>GET /ex/jira/{cloudId}/rest/api/3/issue/{key}</c>.</summary>
    JiraIssueRead,

    /// <summary><c>POST|GET /ex/jira/{cloudId}/rest/api/3/search/jql</c>.</summary>
    JiraSearch,

    /// <summary><c>POST /ex/jira/{cloudId}/rest/api/3/issue</c>.</summary>
    JiraIssueCreate,

    /// <summary><c>GET /ex/jira/{cloudId}/rest/servicedeskapi/servicedesk</c>.</summary>
    ServiceDeskRead,

    /// <summary><c>GET /ex/confluence/{cloudId}/wiki/api/v2/spaces</c>.</summary>
    ConfluenceSpaceRead,

    /// <summary><c>GET /ex/confluence/{cloudId}/wiki/api/v2/pages/{id}</c>.</summary>
    ConfluencePageRead,
}

/// <summary>An Atlassian account that can consent to the app.</summary>
/// <param name="AccountId">The Atlassian account id (returned by <c>/myself</c>).</param>
/// <param name="DisplayName">The display name.</param>
/// <param name="EmailAddress">The email address.</param>
public sealed record AtlassianFakeUser(string AccountId, string DisplayName, string EmailAddress);

/// <summary>An Atlassian cloud site, as listed by accessible-resources.</summary>
/// <param name="Id">The cloud id used in <c>/ex/jira/{cloudId}</c>.</param>
/// <param name="Name">The site name.</param>
/// <param name="Url">The site URL, e.g. <c>https://x.atlassian.net</c>; <c>self</c> links point there.</param>
public sealed record AtlassianFakeSite(string Id, string Name, Uri Url)
{
    /// <summary>
    /// The scopes listed for the site by accessible-resources; null (default) lists the token's
    /// scopes except <c>offline_access</c>.
    /// </summary>
    public IReadOnlyList<string>? Scopes { get; init; }

    /// <summary>The avatar URL listed for the site. Default a fixed Atlassian-like URL.</summary>
    public Uri AvatarUrl { get; init; } = new("https://site-admin-avatar-cdn.prod.public.atl-paas.net/avatars/240/rocket.png");
}
