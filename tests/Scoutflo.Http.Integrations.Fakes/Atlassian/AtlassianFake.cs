using System.Globalization;
using System.Text.Json.Nodes;
using Scoutflo.Http.Integrations.Fakes.Atlassian.Internal;
using Scoutflo.Http.Integrations.Fakes.Internal;
using WireMock;

namespace Scoutflo.Http.Integrations.Fakes.Atlassian;

/// <summary>
/// A fake of Atlassian OAuth 2.0 (3LO) and of the Jira, Jira Service Management and Confluence
/// REST APIs: one WireMock.Net server on a loopback port plays both <c>auth.atlassian.com</c>
/// and <c>api.atlassian.com</c>.
/// </summary>
/// <remarks>
/// Behaves like Atlassian, unpleasant parts included: single-use codes bound to their
/// <c>redirect_uri</c>; refresh tokens only with <c>offline_access</c>; one grant (token family)
/// per user shared by every product; rotating refresh tokens whose reuse outside
/// <see cref="AtlassianFakeOptions.RefreshTokenReuseLeeway"/> revokes the whole grant;
/// <c>403 invalid_grant</c> on a failed refresh; <c>401</c> bodies that distinguish an invalid token
/// from a scope mismatch; <c>self</c> links on the site host. Thread-safe.
/// </remarks>
public sealed partial class AtlassianFake : ProviderFake
{
    private const int MaxRecordedRequests = 200;

    private readonly AtlassianFakeOptions _options;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, AtlassianAuthorizationCode> _codes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AtlassianGrant> _grants = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AtlassianRefreshToken> _refreshTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AtlassianAccessToken> _accessTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AtlassianSiteContent> _content = new(StringComparer.Ordinal);
    private readonly List<AtlassianFakeSite> _sites;
    private readonly List<FakeHttpRequest> _apiRequests = [];
    private readonly System.Collections.Concurrent.ConcurrentQueue<FakeRequestHold> _tokenHolds = new();
    private readonly FaultQueue _resourcesFaults = new();
    private string _consentingAccountId;
    private bool _denyConsent;
    private bool _echoRefusedGrant;
    private int _accessibleResourcesCalls;

    /// <summary>Starts the fake on a free loopback port.</summary>
    /// <param name="options">The behaviour; null for the defaults of <see cref="AtlassianFakeOptions"/>.</param>
    public AtlassianFake(AtlassianFakeOptions? options = null)
    {
        _options = (options ?? new AtlassianFakeOptions()).Snapshot();
        ArgumentException.ThrowIfNullOrEmpty(_options.ClientId, "options.ClientId");
        ArgumentException.ThrowIfNullOrEmpty(_options.ClientSecret, "options.ClientSecret");
        ArgumentNullException.ThrowIfNull(_options.TimeProvider, "options.TimeProvider");
        if (_options.Users.Count == 0)
        {
            throw new ArgumentException("At least one user is needed to consent.", nameof(options));
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_options.AccessTokenLifetime, TimeSpan.Zero, "options.AccessTokenLifetime");
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.RefreshTokenReuseLeeway, TimeSpan.Zero, "options.RefreshTokenReuseLeeway");

        _time = _options.TimeProvider;
        _consentingAccountId = _options.Users[0].AccountId;
        _sites = [.. _options.Sites];
        foreach (var site in _sites)
        {
            SeedSite(site.Id);
        }

        Start(HandleAsync, _options.Port);
    }

    /// <summary><c>{BaseUrl}authorize</c>: the consent screen (answers a redirect, as if the user clicked Accept).</summary>
    public Uri AuthorizeEndpoint => new(BaseUrl, "authorize");

    /// <summary><c>{BaseUrl}oauth/token</c>: the token endpoint (JSON body only).</summary>
    public Uri TokenEndpoint => new(BaseUrl, "oauth/token");

    /// <summary>The API gateway root (= <see cref="ProviderFake.BaseUrl"/>): Jira at <c>ex/jira/{cloudId}/rest/api/3/...</c>, Confluence at <c>ex/confluence/{cloudId}/wiki/...</c>.</summary>
    public Uri ApiBaseUrl => BaseUrl;

    /// <summary><c>{BaseUrl}oauth/token/accessible-resources</c>: the sites a token can reach.</summary>
    public Uri AccessibleResourcesEndpoint => new(BaseUrl, "oauth/token/accessible-resources");

    /// <summary>The registered client id.</summary>
    public string ClientId => _options.ClientId;

    /// <summary>The registered client secret.</summary>
    public string ClientSecret => _options.ClientSecret;

    /// <summary>The configured users.</summary>
    public IReadOnlyList<AtlassianFakeUser> Users => [.. _options.Users];

    /// <summary>The sites currently listed by accessible-resources and served by the API.</summary>
    public IReadOnlyList<AtlassianFakeSite> Sites
    {
        get
        {
            lock (_gate)
            {
                return [.. _sites];
            }
        }
    }

    /// <summary>The account that consents at the authorize endpoint. Default: the first configured user.</summary>
    /// <exception cref="ArgumentException">The account is not one of the configured users.</exception>
    public string ConsentingAccountId
    {
        get => Volatile.Read(ref _consentingAccountId);
        set
        {
            _ = FindUser(value) ?? throw new ArgumentException($"Unknown account '{value}'.", nameof(value));
            Volatile.Write(ref _consentingAccountId, value);
        }
    }

    /// <summary>
    /// When true, the user declines at the authorize endpoint: it redirects with
    /// <c>error=access_denied</c> and the <c>state</c>. Default false.
    /// </summary>
    public bool DenyConsent
    {
        get => Volatile.Read(ref _denyConsent);
        set => Volatile.Write(ref _denyConsent, value);
    }

    /// <summary>
    /// When true, a refused code or refresh token is quoted in the <c>error_description</c>
    /// (<c>"Unknown or invalid refresh token: atl_rt_..."</c>), as some OAuth servers do: the
    /// client must not pass that text on. Default false.
    /// </summary>
    public bool EchoRefusedGrant
    {
        get => Volatile.Read(ref _echoRefusedGrant);
        set => Volatile.Write(ref _echoRefusedGrant, value);
    }

    /// <summary>Requests to accessible-resources.</summary>
    public int AccessibleResourcesCalls => Volatile.Read(ref _accessibleResourcesCalls);

    /// <summary>The last product API requests received (at most 200), oldest first.</summary>
    public IReadOnlyList<FakeHttpRequest> ApiRequests
    {
        get
        {
            lock (_gate)
            {
                return [.. _apiRequests];
            }
        }
    }

    /// <summary>The last product API request received, or null.</summary>
    public FakeHttpRequest? LastApiRequest
    {
        get
        {
            lock (_gate)
            {
                return _apiRequests.Count == 0 ? null : _apiRequests[^1];
            }
        }
    }

    /// <summary>The Jira (and JSM) base URL of a site: <c>{BaseUrl}ex/jira/{cloudId}/</c>.</summary>
    /// <param name="cloudId">The site's cloud id.</param>
    public Uri JiraBaseUrl(string cloudId)
    {
        ArgumentException.ThrowIfNullOrEmpty(cloudId);
        return new Uri(BaseUrl, $"ex/jira/{Uri.EscapeDataString(cloudId)}/");
    }

    /// <summary>The Confluence base URL of a site: <c>{BaseUrl}ex/confluence/{cloudId}/</c>.</summary>
    /// <param name="cloudId">The site's cloud id.</param>
    public Uri ConfluenceBaseUrl(string cloudId)
    {
        ArgumentException.ThrowIfNullOrEmpty(cloudId);
        return new Uri(BaseUrl, $"ex/confluence/{Uri.EscapeDataString(cloudId)}/");
    }

    /// <summary>
    /// Plays the user's browser: requests <paramref name="authorizeUrl"/> and returns the callback URL
    /// it redirects to (<c>{redirect_uri}?code=..&amp;state=..</c>, or <c>?error=access_denied&amp;state=..</c>
    /// when <see cref="DenyConsent"/> is set).
    /// </summary>
    /// <param name="authorizeUrl">The full authorize URL the code under test built.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <exception cref="InvalidOperationException">The authorize endpoint refused the request (bad parameters).</exception>
    public Task<Uri> AuthorizeAsync(Uri authorizeUrl, CancellationToken cancellationToken = default) =>
        FollowAuthorizeAsync(authorizeUrl, cancellationToken);

    /// <summary>
    /// Issues an authorization code directly, as if <paramref name="accountId"/> had consented to
    /// <paramref name="scope"/> for <paramref name="redirectUri"/>; skips the authorize endpoint.
    /// </summary>
    /// <param name="redirectUri">The redirect URI the code is bound to.</param>
    /// <param name="scope">Space-separated scopes, e.g. <c>"read:jira-work offline_access"</c>.</param>
    /// <param name="accountId">The consenting account; null for <see cref="ConsentingAccountId"/>.</param>
    /// <returns>The single-use code.</returns>
    public string CreateAuthorizationCode(Uri redirectUri, string scope, string? accountId = null)
    {
        ArgumentNullException.ThrowIfNull(redirectUri);
        ArgumentException.ThrowIfNullOrWhiteSpace(scope);
        accountId ??= ConsentingAccountId;
        _ = FindUser(accountId) ?? throw new ArgumentException($"Unknown account '{accountId}'.", nameof(accountId));
        return IssueCode(redirectUri.OriginalString, ParseScopes(scope), accountId);
    }

    /// <summary>The current (newest, valid) refresh token of the user's grant, or null (no grant, revoked, or no offline_access).</summary>
    /// <param name="accountId">The Atlassian account id.</param>
    public string? CurrentRefreshToken(string accountId)
    {
        lock (_gate)
        {
            return _grants.TryGetValue(accountId, out var grant) && !grant.Revoked ? grant.Current?.Value : null;
        }
    }

    /// <summary>Whether the user's grant exists and was revoked (by refresh token reuse or <see cref="RevokeGrant"/>).</summary>
    /// <param name="accountId">The Atlassian account id.</param>
    public bool IsGrantRevoked(string accountId)
    {
        lock (_gate)
        {
            return _grants.TryGetValue(accountId, out var grant) && grant.Revoked;
        }
    }

    /// <summary>The scopes granted by the user so far (union over consents), or empty when no live grant.</summary>
    /// <param name="accountId">The Atlassian account id.</param>
    public IReadOnlySet<string> GrantedScopes(string accountId)
    {
        lock (_gate)
        {
            return _grants.TryGetValue(accountId, out var grant) && !grant.Revoked
                ? new HashSet<string>(grant.Scopes, StringComparer.Ordinal)
                : new HashSet<string>(StringComparer.Ordinal);
        }
    }

    /// <summary>Revokes the user's grant, as when the user removes the app: every refresh and access token of it dies.</summary>
    /// <param name="accountId">The Atlassian account id.</param>
    public void RevokeGrant(string accountId)
    {
        lock (_gate)
        {
            if (_grants.TryGetValue(accountId, out var grant))
            {
                grant.Revoked = true;
            }
        }
    }

    /// <summary>Makes every access token issued so far expired now (refresh tokens are untouched).</summary>
    public void ExpireAccessTokens()
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            foreach (var token in _accessTokens.Values)
            {
                if (token.ExpiresAt > now)
                {
                    token.ExpiresAt = now;
                }
            }
        }
    }

    /// <summary>Replaces the sites listed by accessible-resources and served by the API (zero, one or several).</summary>
    /// <param name="sites">The new sites.</param>
    public void SetSites(params AtlassianFakeSite[] sites)
    {
        ArgumentNullException.ThrowIfNull(sites);
        lock (_gate)
        {
            _sites.Clear();
            _sites.AddRange(sites);
            foreach (var site in sites)
            {
                SeedSite(site.Id);
            }
        }
    }

    /// <summary>Adds a Jira issue to a site.</summary>
    /// <param name="cloudId">The site's cloud id.</param>
    /// <param name="projectKey">The project key, e.g. <c>SCOUT</c>.</param>
    /// <param name="summary">The summary.</param>
    /// <returns>The new issue key.</returns>
    public string AddIssue(string cloudId, string projectKey, string summary)
    {
        ArgumentException.ThrowIfNullOrEmpty(cloudId);
        ArgumentException.ThrowIfNullOrEmpty(projectKey);
        ArgumentNullException.ThrowIfNull(summary);
        lock (_gate)
        {
            if (!_content.TryGetValue(cloudId, out var content))
            {
                throw new ArgumentException($"Unknown site '{cloudId}'.", nameof(cloudId));
            }

            return CreateIssue(content, projectKey, new JsonObject { ["summary"] = summary }).Key;
        }
    }

    /// <summary>
    /// The next <paramref name="count"/> accessible-resources requests are answered with a
    /// redirect (<paramref name="statusCode"/>) to <paramref name="location"/>.
    /// </summary>
    /// <param name="count">How many requests are redirected.</param>
    /// <param name="statusCode">The redirect status.</param>
    /// <param name="location">Where to.</param>
    public void RedirectNextAccessibleResourcesRequests(int count, int statusCode, Uri location)
    {
        ArgumentNullException.ThrowIfNull(location);
        _resourcesFaults.Enqueue(count, new Fault(statusCode, null, location));
    }

    /// <summary>
    /// Holds the next token endpoint request, before it is processed, until the returned hold
    /// is released: a refresh "in flight" for as long as a test needs, without real-time waits.
    /// </summary>
    /// <returns>The hold: <see cref="FakeRequestHold.Reached"/> completes when the request arrives.</returns>
    public FakeRequestHold HoldNextTokenRequest()
    {
        var hold = new FakeRequestHold();
        _tokenHolds.Enqueue(hold);
        return hold;
    }

    /// <summary>The next <paramref name="count"/> product API requests answer <paramref name="statusCode"/> (with <c>Retry-After</c> when given).</summary>
    /// <param name="count">How many requests fail.</param>
    /// <param name="statusCode">The status to answer, e.g. 429 or 503.</param>
    /// <param name="retryAfter">The <c>Retry-After</c> to send, or null for none.</param>
    public void FailNextApiRequests(int count, int statusCode = 503, TimeSpan? retryAfter = null) =>
        ApiFaults.Enqueue(count, new Fault(statusCode, retryAfter));

    /// <summary>Sets every counter back to zero and forgets recorded requests.</summary>
    public override void ResetCounters()
    {
        base.ResetCounters();
        Interlocked.Exchange(ref _accessibleResourcesCalls, 0);
        lock (_gate)
        {
            _apiRequests.Clear();
        }
    }

    private async Task<IResponseMessage> HandleAsync(IRequestMessage request)
    {
        var path = request.Path;
        var isGet = string.Equals(request.Method, "GET", StringComparison.OrdinalIgnoreCase);
        var isPost = string.Equals(request.Method, "POST", StringComparison.OrdinalIgnoreCase);

        if (isGet && path == "/authorize")
        {
            return Authorize(request);
        }

        if (isPost && path == "/oauth/token")
        {
            CountTokenEndpointCall();
            var body = FakeHttp.JsonBody(request);
            var grantType = body is null ? null : FakeHttp.JsonString(body, "grant_type");
            if (grantType == "authorization_code")
            {
                CountCodeExchange();
            }
            else if (grantType == "refresh_token")
            {
                CountRefresh();
            }

            if (_tokenHolds.TryDequeue(out var hold))
            {
                await hold.WaitAsync().ConfigureAwait(false);
            }

            try
            {
                if (TokenFaults.TryDequeue() is { } fault)
                {
                    if (fault.Location is { } location)
                    {
                        return FakeHttp.RedirectTo(fault.StatusCode, location);
                    }

                    if (fault.StatusCode != 0)
                    {
                        return FaultResponse(fault);
                    }
                }

                return TokenEdits.Apply(Token(request, body));
            }
            finally
            {
                hold?.MarkAnswered();
            }
        }

        if (isGet && path == "/oauth/token/accessible-resources")
        {
            Interlocked.Increment(ref _accessibleResourcesCalls);
            return _resourcesFaults.TryDequeue() is { Location: { } location } redirect
                ? FakeHttp.RedirectTo(redirect.StatusCode, location)
                : AccessibleResources(request);
        }

        if (path.StartsWith("/ex/", StringComparison.Ordinal))
        {
            CountApiCall();
            lock (_gate)
            {
                if (_apiRequests.Count == MaxRecordedRequests)
                {
                    _apiRequests.RemoveAt(0);
                }

                _apiRequests.Add(FakeHttp.Record(request));
            }

            if (ApiFaults.TryDequeue() is { } fault)
            {
                if (fault.StatusCode != 0)
                {
                    return FaultResponse(fault);
                }
            }

            return Api(request);
        }

        return FakeHttp.Json(404, new JsonObject { ["code"] = 404, ["message"] = "Not Found" });
    }

    private static ResponseMessage FaultResponse(Fault fault)
    {
        var headers = fault.RetryAfter is { } retryAfter
            ? new[] { KeyValuePair.Create("Retry-After", ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture)) }
            : null;
        return FakeHttp.Text(
            fault.StatusCode,
            $"<html><body><h1>{fault.StatusCode}</h1>Injected failure from the Atlassian fake.</body></html>",
            "text/html; charset=utf-8",
            headers);
    }

    private AtlassianFakeUser? FindUser(string? accountId) =>
        _options.Users.FirstOrDefault(u => string.Equals(u.AccountId, accountId, StringComparison.Ordinal));

    private static HashSet<string> ParseScopes(string? scope) =>
        new((scope ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), StringComparer.Ordinal);

    private static string FormatScopes(IEnumerable<string> scopes) => string.Join(' ', scopes.Order(StringComparer.Ordinal));
}
