using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Scoutflo.Http.Integrations.Fakes.Atlassian;
using Scoutflo.Http.Integrations.TestSupport;

namespace Scoutflo.Http.Integrations.Fakes.Tests.Atlassian;

public sealed class AtlassianFakeTests : IDisposable
{
    private static readonly Uri Callback = new("https://app.example.com/oauth/callback");
    private const string JiraScopes = "read:jira-work read:jira-user write:jira-work offline_access";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));
    private readonly AtlassianFake _fake;
    private readonly HttpClient _http = new();

    public AtlassianFakeTests()
    {
        var options = new AtlassianFakeOptions { TimeProvider = _time };
        options.Users.Add(new AtlassianFakeUser("557058:bob-0002", "Bob Example", "bob@example.com"));
        _fake = new AtlassianFake(options);
    }

    public void Dispose()
    {
        _http.Dispose();
        _fake.Dispose();
    }

    private string Alice => _fake.Users[0].AccountId;

    private string CloudId => _fake.Sites[0].Id;

    private Uri AuthorizeUrl(string scope, string state = "s-123", string audience = "api.atlassian.com") =>
        new($"{_fake.AuthorizeEndpoint}?audience={audience}&client_id={_fake.ClientId}&scope={Uri.EscapeDataString(scope)}" +
            $"&redirect_uri={Uri.EscapeDataString(Callback.AbsoluteUri)}&state={state}&response_type=code&prompt=consent");

    private async Task<(HttpStatusCode Status, JsonObject Body)> PostTokenAsync(object body)
    {
        using var response = await _http.PostAsJsonAsync(_fake.TokenEndpoint, body);
        return (response.StatusCode, (JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    private Task<(HttpStatusCode Status, JsonObject Body)> ExchangeAsync(string code, Uri? redirectUri = null) =>
        PostTokenAsync(new
        {
            grant_type = "authorization_code",
            client_id = _fake.ClientId,
            client_secret = _fake.ClientSecret,
            code,
            redirect_uri = (redirectUri ?? Callback).AbsoluteUri,
        });

    private Task<(HttpStatusCode Status, JsonObject Body)> RefreshAsync(string refreshToken) =>
        PostTokenAsync(new
        {
            grant_type = "refresh_token",
            client_id = _fake.ClientId,
            client_secret = _fake.ClientSecret,
            refresh_token = refreshToken,
        });

    private async Task<JsonObject> ConsentAndExchangeAsync(string scope = JiraScopes, string? accountId = null)
    {
        var (status, body) = await ExchangeAsync(_fake.CreateAuthorizationCode(Callback, scope, accountId));
        Assert.Equal(HttpStatusCode.OK, status);
        return body;
    }

    private async Task<(HttpStatusCode Status, string Body)> GetAsync(Uri url, string accessToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await _http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private Uri Jira(string path) => new(_fake.JiraBaseUrl(CloudId), path);

    [Fact]
    public void Endpoints_AreOnOneLoopbackServer()
    {
        Assert.True(_fake.BaseUrl.IsLoopback);
        Assert.Equal(new Uri(_fake.BaseUrl, "authorize"), _fake.AuthorizeEndpoint);
        Assert.Equal(new Uri(_fake.BaseUrl, "oauth/token"), _fake.TokenEndpoint);
        Assert.Equal(new Uri(_fake.BaseUrl, "oauth/token/accessible-resources"), _fake.AccessibleResourcesEndpoint);
        Assert.Equal(_fake.BaseUrl, _fake.ApiBaseUrl);
    }

    [Fact]
    public async Task Authorize_ValidRequest_RedirectsToCallbackWithCodeAndState()
    {
        var callback = await _fake.AuthorizeAsync(AuthorizeUrl(JiraScopes, state: "xyz"));

        Assert.Equal(Callback.GetLeftPart(UriPartial.Path), callback.GetLeftPart(UriPartial.Path));
        var query = ParseQuery(callback);
        Assert.Equal("xyz", query["state"]);
        var (status, body) = await ExchangeAsync(query["code"]);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Bearer", (string?)body["token_type"]);
    }

    [Fact]
    public async Task Authorize_ConsentDenied_RedirectsWithAccessDeniedAndState()
    {
        _fake.DenyConsent = true;

        var query = ParseQuery(await _fake.AuthorizeAsync(AuthorizeUrl(JiraScopes, state: "st")));

        Assert.Equal("access_denied", query["error"]);
        Assert.Equal("st", query["state"]);
        Assert.False(query.ContainsKey("code"));
    }

    [Fact]
    public async Task Authorize_WrongAudience_AnswersErrorPageWithoutRedirect()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => _fake.AuthorizeAsync(AuthorizeUrl(JiraScopes, audience: "example.com")));

        Assert.Contains("400", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExchangeCode_WithOfflineAccess_ReturnsFullTokenResponse()
    {
        var body = await ConsentAndExchangeAsync();

        Assert.StartsWith("atl_at_", (string?)body["access_token"], StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty((string?)body["refresh_token"]));
        Assert.Equal(3600, (int)body["expires_in"]!);
        Assert.Contains("read:jira-work", (string?)body["scope"], StringComparison.Ordinal);
        Assert.Equal((string?)body["refresh_token"], _fake.CurrentRefreshToken(Alice));
    }

    [Fact]
    public async Task ExchangeCode_WithoutOfflineAccess_ReturnsNoRefreshToken()
    {
        var body = await ConsentAndExchangeAsync("read:jira-work");

        Assert.NotNull(body["access_token"]);
        Assert.False(body.ContainsKey("refresh_token"));
    }

    [Fact]
    public async Task ExchangeCode_UsedTwice_SecondIsInvalidGrant()
    {
        var code = _fake.CreateAuthorizationCode(Callback, JiraScopes);
        Assert.Equal(HttpStatusCode.OK, (await ExchangeAsync(code)).Status);

        var (status, body) = await ExchangeAsync(code);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("invalid_grant", (string?)body["error"]);
    }

    [Fact]
    public async Task ExchangeCode_OtherRedirectUri_IsInvalidGrant()
    {
        var code = _fake.CreateAuthorizationCode(Callback, JiraScopes);

        var (status, body) = await ExchangeAsync(code, new Uri("https://evil.example.com/cb"));

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("invalid_grant", (string?)body["error"]);
    }

    [Fact]
    public async Task ExchangeCode_AfterCodeLifetime_IsInvalidGrant()
    {
        var code = _fake.CreateAuthorizationCode(Callback, JiraScopes);
        _time.Advance(TimeSpan.FromMinutes(11));

        Assert.Equal(HttpStatusCode.Forbidden, (await ExchangeAsync(code)).Status);
    }

    [Fact]
    public async Task Token_WrongClientSecret_Answers401AccessDenied()
    {
        var (status, body) = await PostTokenAsync(new
        {
            grant_type = "authorization_code",
            client_id = _fake.ClientId,
            client_secret = "wrong",
            code = _fake.CreateAuthorizationCode(Callback, JiraScopes),
            redirect_uri = Callback.AbsoluteUri,
        });

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("access_denied", (string?)body["error"]);
    }

    [Fact]
    public async Task Token_FormEncodedBody_IsRejected()
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = _fake.ClientId,
            ["client_secret"] = _fake.ClientSecret,
            ["code"] = _fake.CreateAuthorizationCode(Callback, JiraScopes),
            ["redirect_uri"] = Callback.AbsoluteUri,
        });

        using var response = await _http.PostAsync(_fake.TokenEndpoint, form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("invalid_request", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refresh_RotatesAndOldTokenIsBurnt_WithZeroLeeway()
    {
        var first = await ConsentAndExchangeAsync();
        var oldRefresh = (string)first["refresh_token"]!;

        var (status, rotated) = await RefreshAsync(oldRefresh);

        Assert.Equal(HttpStatusCode.OK, status);
        var newRefresh = (string)rotated["refresh_token"]!;
        Assert.NotEqual(oldRefresh, newRefresh);
        Assert.NotEqual((string?)first["access_token"], (string?)rotated["access_token"]);
        Assert.Equal(newRefresh, _fake.CurrentRefreshToken(Alice));
        Assert.Equal(1, _fake.RefreshCalls);
        Assert.Equal(2, _fake.TokenEndpointCalls);
    }

    [Fact]
    public async Task Refresh_ReuseOutsideLeeway_Answers403AndRevokesWholeGrant()
    {
        var first = await ConsentAndExchangeAsync();
        var oldRefresh = (string)first["refresh_token"]!;
        var (_, rotated) = await RefreshAsync(oldRefresh);

        var (status, body) = await RefreshAsync(oldRefresh);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("invalid_grant", (string?)body["error"]);
        Assert.Equal("Unknown or invalid refresh token.", (string?)body["error_description"]);
        Assert.True(_fake.IsGrantRevoked(Alice));
        Assert.Null(_fake.CurrentRefreshToken(Alice));
        // The newest refresh token and every access token of the grant die with it.
        Assert.Equal(HttpStatusCode.Forbidden, (await RefreshAsync((string)rotated["refresh_token"]!)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(Jira("rest/api/3/myself"), (string)rotated["access_token"]!)).Status);
    }

    [Fact]
    public async Task Refresh_TwoReplicasRefreshSameTokenConcurrently_OneWinsAndGrantIsRevoked()
    {
        var first = await ConsentAndExchangeAsync();
        var shared = (string)first["refresh_token"]!;

        var results = await Task.WhenAll(RefreshAsync(shared), RefreshAsync(shared));

        // The peers' bug (Duende, Nango): the loser's reuse burns the whole grant when the leeway is 0.
        Assert.Single(results, r => r.Status == HttpStatusCode.OK);
        Assert.Single(results, r => r.Status == HttpStatusCode.Forbidden);
        Assert.True(_fake.IsGrantRevoked(Alice));
    }

    [Fact]
    public async Task Options_ChangedAfterStart_DoNotAffectTheFake_AndFixedPortIsUsed()
    {
        var port = LoopbackPorts.Unused();
        var options = new AtlassianFakeOptions { TimeProvider = _time, Port = port };
        using var fake = new AtlassianFake(options);

        options.Users.Clear();
        options.ClientSecret = "changed";

        Assert.Equal(port, fake.BaseUrl.Port);
        Assert.Single(fake.Users);
        Assert.Equal("fake-atlassian-client-secret", fake.ClientSecret);
        using var response = await _http.GetAsync(new Uri(fake.BaseUrl, "oauth/token/accessible-resources"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Refresh_ReuseWithinLeeway_ReturnsNewPair_ButNotAfterIt()
    {
        using var fake = new AtlassianFake(new AtlassianFakeOptions
        {
            TimeProvider = _time,
            RefreshTokenReuseLeeway = TimeSpan.FromMinutes(10),
        });
        async Task<(HttpStatusCode, JsonObject)> Refresh(string token)
        {
            using var response = await _http.PostAsJsonAsync(fake.TokenEndpoint, new
            {
                grant_type = "refresh_token",
                client_id = fake.ClientId,
                client_secret = fake.ClientSecret,
                refresh_token = token,
            });
            return (response.StatusCode, (JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
        }

        using var exchange = await _http.PostAsJsonAsync(fake.TokenEndpoint, new
        {
            grant_type = "authorization_code",
            client_id = fake.ClientId,
            client_secret = fake.ClientSecret,
            code = fake.CreateAuthorizationCode(Callback, JiraScopes),
            redirect_uri = Callback.AbsoluteUri,
        });
        var original = (string)JsonNode.Parse(await exchange.Content.ReadAsStringAsync())!["refresh_token"]!;
        var (firstStatus, _) = await Refresh(original);
        _time.Advance(TimeSpan.FromMinutes(9));

        var (withinStatus, within) = await Refresh(original);

        Assert.Equal(HttpStatusCode.OK, firstStatus);
        Assert.Equal(HttpStatusCode.OK, withinStatus);
        Assert.NotEqual(original, (string?)within["refresh_token"]);
        Assert.False(fake.IsGrantRevoked(fake.Users[0].AccountId));

        _time.Advance(TimeSpan.FromMinutes(2));
        var (outsideStatus, _) = await Refresh(original);

        Assert.Equal(HttpStatusCode.Forbidden, outsideStatus);
        Assert.True(fake.IsGrantRevoked(fake.Users[0].AccountId));
    }

    [Fact]
    public async Task Refresh_UnknownToken_Answers403InvalidGrant_WithoutRevoking()
    {
        await ConsentAndExchangeAsync();

        var (status, body) = await RefreshAsync("not-a-token");

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("invalid_grant", (string?)body["error"]);
        Assert.False(_fake.IsGrantRevoked(Alice));
    }

    [Fact]
    public async Task Refresh_AfterNinetyDaysIdle_IsInvalidGrant()
    {
        var first = await ConsentAndExchangeAsync();
        _time.Advance(TimeSpan.FromDays(90));

        Assert.Equal(HttpStatusCode.Forbidden, (await RefreshAsync((string)first["refresh_token"]!)).Status);
    }

    [Fact]
    public async Task SameUser_JiraThenConfluenceConsent_ShareOneTokenFamily()
    {
        var jira = await ConsentAndExchangeAsync();
        var confluence = await ConsentAndExchangeAsync("read:page:confluence offline_access");

        Assert.Equal((string?)confluence["refresh_token"], _fake.CurrentRefreshToken(Alice));
        Assert.Contains("read:jira-work", _fake.GrantedScopes(Alice));
        Assert.Contains("read:page:confluence", _fake.GrantedScopes(Alice));
        // The Jira integration's copy of the refresh token was rotated away by the second consent.
        Assert.Equal(HttpStatusCode.Forbidden, (await RefreshAsync((string)jira["refresh_token"]!)).Status);
        Assert.True(_fake.IsGrantRevoked(Alice));
    }

    [Fact]
    public async Task OtherUser_HasOwnGrant()
    {
        var alice = await ConsentAndExchangeAsync();
        var bob = await ConsentAndExchangeAsync(accountId: "557058:bob-0002");

        Assert.Equal((string?)alice["refresh_token"], _fake.CurrentRefreshToken(Alice));
        Assert.Equal((string?)bob["refresh_token"], _fake.CurrentRefreshToken("557058:bob-0002"));
        var (_, myself) = await GetAsync(Jira("rest/api/3/myself"), (string)bob["access_token"]!);
        Assert.Contains("\"displayName\":\"Bob Example\"", myself, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_AccessTokenPastExpiresIn_Answers401Unauthorized()
    {
        var token = (string)(await ConsentAndExchangeAsync())["access_token"]!;
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(Jira("rest/api/3/myself"), token)).Status);

        _time.Advance(TimeSpan.FromSeconds(3600));
        var (status, body) = await GetAsync(Jira("rest/api/3/myself"), token);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("""{"code":401,"message":"Unauthorized"}""", body);
    }

    [Fact]
    public async Task Api_ExpireAccessTokens_ExpiresCurrentTokensOnly()
    {
        var first = await ConsentAndExchangeAsync();
        _fake.ExpireAccessTokens();

        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(Jira("rest/api/3/myself"), (string)first["access_token"]!)).Status);
        var (_, refreshed) = await RefreshAsync((string)first["refresh_token"]!);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(Jira("rest/api/3/myself"), (string)refreshed["access_token"]!)).Status);
    }

    [Fact]
    public async Task Api_TokenWithoutRouteScope_Answers401ScopeDoesNotMatch()
    {
        var token = (string)(await ConsentAndExchangeAsync("read:jira-user"))["access_token"]!;

        var (myselfStatus, _) = await GetAsync(Jira("rest/api/3/myself"), token);
        var (status, body) = await GetAsync(Jira("rest/api/3/issue/SCOUT-1"), token);

        Assert.Equal(HttpStatusCode.OK, myselfStatus);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("""{"code":401,"message":"Unauthorized; scope does not match"}""", body);
    }

    [Fact]
    public async Task Api_UnknownCloudId_Answers401()
    {
        var token = (string)(await ConsentAndExchangeAsync())["access_token"]!;

        var (status, _) = await GetAsync(new Uri(_fake.JiraBaseUrl("00000000-dead"), "rest/api/3/myself"), token);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Fact]
    public async Task AccessibleResources_ListsConfiguredSites_ZeroOneOrSeveral()
    {
        var token = (string)(await ConsentAndExchangeAsync())["access_token"]!;

        var one = JsonNode.Parse((await GetAsync(_fake.AccessibleResourcesEndpoint, token)).Body)!.AsArray();
        Assert.Single(one);
        Assert.Equal(CloudId, (string?)one[0]!["id"]);
        Assert.Equal("https://scoutflo-test.atlassian.net", (string?)one[0]!["url"]);
        Assert.Contains("read:jira-work", one[0]!["scopes"]!.AsArray().Select(s => (string?)s));
        Assert.DoesNotContain("offline_access", one[0]!["scopes"]!.AsArray().Select(s => (string?)s));
        Assert.NotNull(one[0]!["avatarUrl"]);

        _fake.SetSites(
            new AtlassianFakeSite("c-1", "one", new Uri("https://one.atlassian.net")),
            new AtlassianFakeSite("c-2", "two", new Uri("https://two.atlassian.net")));
        Assert.Equal(2, JsonNode.Parse((await GetAsync(_fake.AccessibleResourcesEndpoint, token)).Body)!.AsArray().Count);

        _fake.SetSites();
        Assert.Empty(JsonNode.Parse((await GetAsync(_fake.AccessibleResourcesEndpoint, token)).Body)!.AsArray());
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(_fake.AccessibleResourcesEndpoint, "bogus")).Status);
    }

    [Fact]
    public async Task JiraIssue_SelfLinkNamesTheSiteHost()
    {
        var token = (string)(await ConsentAndExchangeAsync())["access_token"]!;

        var issue = JsonNode.Parse((await GetAsync(Jira("rest/api/3/issue/SCOUT-1"), token)).Body)!;

        Assert.Equal("SCOUT-1", (string?)issue["key"]);
        Assert.Equal($"https://scoutflo-test.atlassian.net/rest/api/3/issue/{(string?)issue["id"]}", (string?)issue["self"]);
        Assert.Equal("Seeded issue 1", (string?)issue["fields"]!["summary"]);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(Jira("rest/api/3/issue/NOPE-9"), token)).Status);
    }

    [Fact]
    public async Task JiraCreateIssue_PostedBodyArrivesIntact()
    {
        var token = (string)(await ConsentAndExchangeAsync())["access_token"]!;
        const string Body = """{"fields":{"project":{"key":"OPS"},"summary":"Ünïcode ✓ \"quoted\"","labels":["a","b"]}}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, Jira("rest/api/3/issue"))
        {
            Content = new StringContent(Body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using var response = await _http.SendAsync(request);
        var created = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("OPS-1", (string?)created["key"]);
        Assert.Equal(Body, _fake.LastApiRequest!.Body);
        Assert.Equal($"Bearer {token}", _fake.LastApiRequest.Headers["Authorization"]);
        var fetched = JsonNode.Parse((await GetAsync(Jira("rest/api/3/issue/OPS-1"), token)).Body)!;
        Assert.Equal("Ünïcode ✓ \"quoted\"", (string?)fetched["fields"]!["summary"]);
        Assert.Equal(2, fetched["fields"]!["labels"]!.AsArray().Count);
    }

    [Fact]
    public async Task JiraSearch_PagesWithNextPageToken()
    {
        var token = (string)(await ConsentAndExchangeAsync())["access_token"]!;
        _fake.AddIssue(CloudId, "SCOUT", "fourth");
        _fake.AddIssue(CloudId, "OTHER", "not in project");
        async Task<JsonNode> SearchAsync(object body)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, Jira("rest/api/3/search/jql")) { Content = JsonContent.Create(body) };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await _http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        }

        var page1 = await SearchAsync(new { jql = "project = SCOUT ORDER BY id", fields = new[] { "summary" }, maxResults = 3 });
        var page2 = await SearchAsync(new { jql = "project = SCOUT ORDER BY id", fields = new[] { "summary" }, maxResults = 3, nextPageToken = (string?)page1["nextPageToken"] });

        Assert.Equal(3, page1["issues"]!.AsArray().Count);
        Assert.False((bool)page1["isLast"]!);
        Assert.Single(page2["issues"]!.AsArray());
        Assert.Equal("fourth", (string?)page2["issues"]![0]!["fields"]!["summary"]);
        Assert.True((bool)page2["isLast"]!);
        Assert.Null(page2["nextPageToken"]);
    }

    [Fact]
    public async Task JsmAndConfluence_ServeTheirRoutes()
    {
        var token = (string)(await ConsentAndExchangeAsync("read:servicedesk-request read:space:confluence read:page:confluence"))["access_token"]!;

        var desks = await GetAsync(Jira("rest/servicedeskapi/servicedesk"), token);
        var spaces = await GetAsync(new Uri(_fake.ConfluenceBaseUrl(CloudId), "wiki/api/v2/spaces"), token);
        var page = await GetAsync(new Uri(_fake.ConfluenceBaseUrl(CloudId), "wiki/api/v2/pages/98305"), token);
        var missing = await GetAsync(new Uri(_fake.ConfluenceBaseUrl(CloudId), "wiki/api/v2/pages/1"), token);

        Assert.Equal(HttpStatusCode.OK, desks.Status);
        Assert.Contains("\"projectKey\":\"SUP\"", desks.Body, StringComparison.Ordinal);
        Assert.Contains("\"key\":\"ENG\"", spaces.Body, StringComparison.Ordinal);
        Assert.Contains("\"title\":\"Runbook\"", page.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
    }

    [Fact]
    public async Task FailNextTokenRequests_AnswersFailureThenRecovers()
    {
        var first = await ConsentAndExchangeAsync();
        _fake.FailNextTokenRequests(1, 503);

        using var failed = await _http.PostAsJsonAsync(_fake.TokenEndpoint, new
        {
            grant_type = "refresh_token",
            client_id = _fake.ClientId,
            client_secret = _fake.ClientSecret,
            refresh_token = (string)first["refresh_token"]!,
        });
        var (status, _) = await RefreshAsync((string)first["refresh_token"]!);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, _fake.RefreshCalls);
    }

    [Fact]
    public async Task HeldTokenRequest_ClientGivesUp_ButTokenIsRotatedAnyway()
    {
        var first = await ConsentAndExchangeAsync();
        var hold = _fake.HoldNextTokenRequest();
        using var giveUp = new CancellationTokenSource();

        var refresh = _http.PostAsJsonAsync(_fake.TokenEndpoint, new
        {
            grant_type = "refresh_token",
            client_id = _fake.ClientId,
            client_secret = _fake.ClientSecret,
            refresh_token = (string)first["refresh_token"]!,
        }, giveUp.Token);
        await hold.Reached;
        await giveUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => refresh);
        hold.Release();
        await hold.Answered;

        // Like the real provider: a client that stopped waiting does not undo the rotation.
        Assert.NotEqual((string?)first["refresh_token"], _fake.CurrentRefreshToken(Alice));
    }

    [Fact]
    public async Task FailNextApiRequests_SendsRetryAfter()
    {
        var token = (string)(await ConsentAndExchangeAsync())["access_token"]!;
        _fake.FailNextApiRequests(1, 429, TimeSpan.FromSeconds(7));

        using var request = new HttpRequestMessage(HttpMethod.Get, Jira("rest/api/3/myself"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), response.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(Jira("rest/api/3/myself"), token)).Status);
        Assert.Equal(2, _fake.ApiCalls);
    }

    internal static Dictionary<string, string> ParseQuery(Uri uri) =>
        uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0]), p => Uri.UnescapeDataString(p.Length > 1 ? p[1] : string.Empty));
}
