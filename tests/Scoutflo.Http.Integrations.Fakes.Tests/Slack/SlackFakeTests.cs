using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Scoutflo.Http.Integrations.Fakes.Slack;
using Scoutflo.Http.Integrations.Fakes.Tests.Atlassian;

namespace Scoutflo.Http.Integrations.Fakes.Tests.Slack;

public sealed class SlackFakeTests : IDisposable
{
    private static readonly Uri Callback = new("https://app.example.com/slack/callback");
    private const string BotScopes = "chat:write,channels:read,files:read";
    private const string UserScopes = "search:read,chat:write";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));
    private readonly SlackFake _fake;
    private readonly HttpClient _http = new();

    public SlackFakeTests()
    {
        _fake = new SlackFake(new SlackFakeOptions { TimeProvider = _time, DownloadSizeBytes = 2 * 1024 * 1024 });
    }

    public void Dispose()
    {
        _http.Dispose();
        _fake.Dispose();
    }

    private async Task<(HttpStatusCode Status, JsonObject Body)> TokenAsync(Dictionary<string, string> form, bool basic = true)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _fake.TokenEndpoint) { Content = new FormUrlEncodedContent(form) };
        if (basic)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue(
                "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_fake.ClientId}:{_fake.ClientSecret}")));
        }

        using var response = await _http.SendAsync(request);
        return (response.StatusCode, (JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    private async Task<JsonObject> InstallAsync(string botScope = BotScopes, string userScope = UserScopes)
    {
        var (status, body) = await TokenAsync(new()
        {
            ["code"] = _fake.CreateAuthorizationCode(Callback, botScope, userScope),
            ["redirect_uri"] = Callback.AbsoluteUri,
        });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True((bool)body["ok"]!);
        return body;
    }

    private Task<(HttpStatusCode Status, JsonObject Body)> RefreshAsync(string refreshToken) =>
        TokenAsync(new() { ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken });

    private async Task<(HttpStatusCode Status, JsonObject Body, HttpResponseMessage Response)> CallAsync(
        string method, string? token, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(content is null ? HttpMethod.Get : HttpMethod.Post, new Uri(_fake.ApiBaseUrl, method)) { Content = content };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        var response = await _http.SendAsync(request);
        var body = (JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return (response.StatusCode, body, response);
    }

    private async Task<string?> ErrorOfAsync(string method, string? token)
    {
        var (status, body, response) = await CallAsync(method, token);
        response.Dispose();
        Assert.Equal(HttpStatusCode.OK, status);
        return (bool)body["ok"]! ? null : (string?)body["error"];
    }

    [Fact]
    public async Task Authorize_RedirectsWithCodeAndState_ThenCodeExchanges()
    {
        var url = new Uri($"{_fake.AuthorizeEndpoint}?client_id={_fake.ClientId}&scope={Uri.EscapeDataString(BotScopes)}" +
            $"&user_scope={Uri.EscapeDataString(UserScopes)}&redirect_uri={Uri.EscapeDataString(Callback.AbsoluteUri)}&state=abc");

        var query = AtlassianFakeTests.ParseQuery(await _fake.AuthorizeAsync(url));
        var (_, body) = await TokenAsync(new() { ["code"] = query["code"], ["redirect_uri"] = Callback.AbsoluteUri });

        Assert.Equal("abc", query["state"]);
        Assert.True((bool)body["ok"]!);
        Assert.Equal(BotScopes, (string?)body["scope"]);
    }

    [Fact]
    public async Task Authorize_Denied_RedirectsWithAccessDenied()
    {
        _fake.DenyConsent = true;
        var url = new Uri($"{_fake.AuthorizeEndpoint}?client_id={_fake.ClientId}&scope=chat:write&redirect_uri={Uri.EscapeDataString(Callback.AbsoluteUri)}&state=s1");

        var query = AtlassianFakeTests.ParseQuery(await _fake.AuthorizeAsync(url));

        Assert.Equal("access_denied", query["error"]);
        Assert.Equal("s1", query["state"]);
    }

    [Fact]
    public async Task CodeExchange_WithRotation_ReturnsBotAndUserTokensEachWithOwnRefreshAndExpiry()
    {
        var body = await InstallAsync();

        Assert.StartsWith("xoxe.xoxb-", (string?)body["access_token"], StringComparison.Ordinal);
        Assert.Equal("bot", (string?)body["token_type"]);
        Assert.Equal(43200, (int)body["expires_in"]!);
        Assert.Equal("U0FAKEBOT1", (string?)body["bot_user_id"]);
        Assert.Equal("A0FAKEAPP1", (string?)body["app_id"]);
        Assert.Equal("T0FAKETEAM", (string?)body["team"]!["id"]);
        Assert.True(body.ContainsKey("enterprise"));
        Assert.Null(body["enterprise"]);
        var user = body["authed_user"]!;
        Assert.Equal("U0FAKEUSER", (string?)user["id"]);
        Assert.Equal("user", (string?)user["token_type"]);
        Assert.StartsWith("xoxe.xoxp-", (string?)user["access_token"], StringComparison.Ordinal);
        Assert.Equal(UserScopes, (string?)user["scope"]);
        Assert.Equal(43200, (int)user["expires_in"]!);
        Assert.NotEqual((string?)body["refresh_token"], (string?)user["refresh_token"]);
        Assert.Equal((string?)body["refresh_token"], _fake.CurrentBotRefreshToken);
        Assert.Equal((string?)user["refresh_token"], _fake.CurrentUserRefreshToken());
    }

    [Fact]
    public async Task CodeExchange_RotationOff_ReturnsLongLivedTokensWithoutRefresh()
    {
        using var fake = new SlackFake(new SlackFakeOptions { TimeProvider = _time, TokenRotation = false });
        using var request = new HttpRequestMessage(HttpMethod.Post, fake.TokenEndpoint)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["client_id"] = fake.ClientId,
                ["client_secret"] = fake.ClientSecret,
                ["code"] = fake.CreateAuthorizationCode(Callback, "chat:write", "search:read"),
            }),
        };
        using var response = await _http.SendAsync(request);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        _time.Advance(TimeSpan.FromDays(30));

        Assert.StartsWith("xoxb-", (string?)body["access_token"], StringComparison.Ordinal);
        Assert.StartsWith("xoxp-", (string?)body["authed_user"]!["access_token"], StringComparison.Ordinal);
        Assert.False(body.ContainsKey("refresh_token"));
        Assert.False(body.ContainsKey("expires_in"));
        Assert.False(body["authed_user"]!.AsObject().ContainsKey("refresh_token"));
        using var authTest = new HttpRequestMessage(HttpMethod.Post, new Uri(fake.ApiBaseUrl, "auth.test"));
        authTest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", (string)body["access_token"]!);
        using var authResponse = await _http.SendAsync(authTest);
        Assert.Contains("\"ok\":true", await authResponse.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_BadSecret_IsHttp200OkFalse()
    {
        var (status, body) = await TokenAsync(new()
        {
            ["client_id"] = _fake.ClientId,
            ["client_secret"] = "nope",
            ["code"] = _fake.CreateAuthorizationCode(Callback, "chat:write"),
        }, basic: false);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False((bool)body["ok"]!);
        Assert.Equal("bad_client_secret", (string?)body["error"]);
    }

    [Fact]
    public async Task Refresh_BotToken_RotatesOnlyTheBotFamily_AndRevokesOldRefreshToken()
    {
        var install = await InstallAsync();
        var oldBotRefresh = (string)install["refresh_token"]!;
        var userRefresh = (string)install["authed_user"]!["refresh_token"]!;

        var (status, refreshed) = await RefreshAsync(oldBotRefresh);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("bot", (string?)refreshed["token_type"]);
        Assert.NotEqual(oldBotRefresh, (string?)refreshed["refresh_token"]);
        Assert.Equal(userRefresh, _fake.CurrentUserRefreshToken());
        var (reuseStatus, reuse) = await RefreshAsync(oldBotRefresh);
        Assert.Equal(HttpStatusCode.OK, reuseStatus);
        Assert.Equal("""{"ok":false,"error":"invalid_refresh_token"}""", reuse.ToJsonString());
        Assert.Equal(2, _fake.RefreshCalls);
    }

    [Fact]
    public async Task Refresh_UserToken_ReturnsUserTokenAtTopLevel()
    {
        var install = await InstallAsync();

        var (_, refreshed) = await RefreshAsync((string)install["authed_user"]!["refresh_token"]!);

        Assert.Equal("user", (string?)refreshed["token_type"]);
        Assert.StartsWith("xoxe.xoxp-", (string?)refreshed["access_token"], StringComparison.Ordinal);
        Assert.Equal((string?)refreshed["access_token"], _fake.CurrentUserToken());
        Assert.Equal((string?)install["access_token"], _fake.CurrentBotToken);
    }

    [Fact]
    public async Task Api_ExpiredToken_IsHttp200TokenExpired_UntilRefreshed()
    {
        var install = await InstallAsync();
        var bot = (string)install["access_token"]!;
        Assert.Null(await ErrorOfAsync("auth.test", bot));

        _time.Advance(TimeSpan.FromHours(12));

        Assert.Equal("token_expired", await ErrorOfAsync("auth.test", bot));
        var (_, refreshed) = await RefreshAsync((string)install["refresh_token"]!);
        Assert.Null(await ErrorOfAsync("auth.test", (string)refreshed["access_token"]!));
    }

    [Fact]
    public async Task ExpireBotTokens_LeavesUserTokensAlone()
    {
        var install = await InstallAsync();

        _fake.ExpireBotTokens();

        Assert.Equal("token_expired", await ErrorOfAsync("auth.test", (string)install["access_token"]!));
        Assert.Null(await ErrorOfAsync("auth.test", (string)install["authed_user"]!["access_token"]!));
        _fake.ExpireUserTokens();
        Assert.Equal("token_expired", await ErrorOfAsync("auth.test", (string)install["authed_user"]!["access_token"]!));
    }

    [Fact]
    public async Task Api_AuthErrors_AreDistinctHttp200Bodies()
    {
        var install = await InstallAsync();
        var bot = (string)install["access_token"]!;
        var user = (string)install["authed_user"]!["access_token"]!;

        Assert.Equal("not_authed", await ErrorOfAsync("auth.test", null));
        Assert.Equal("invalid_auth", await ErrorOfAsync("auth.test", "xoxb-unknown"));
        _fake.RevokeToken(user);
        Assert.Equal("token_revoked", await ErrorOfAsync("auth.test", user));
        _fake.SetAccountInactive(bot);
        Assert.Equal("account_inactive", await ErrorOfAsync("auth.test", bot));
    }

    [Fact]
    public async Task TeamInactive_MakesEveryTokenAccountInactive()
    {
        var install = await InstallAsync();

        _fake.TeamInactive = true;

        Assert.Equal("account_inactive", await ErrorOfAsync("auth.test", (string)install["authed_user"]!["access_token"]!));
        Assert.Equal("account_inactive", await ErrorOfAsync("conversations.list", (string)install["access_token"]!));
    }

    [Fact]
    public async Task Api_MissingScope_NamesNeededScope()
    {
        var install = await InstallAsync(botScope: "channels:read", userScope: "");

        var (_, body, response) = await CallAsync("chat.postMessage", (string)install["access_token"]!,
            new FormUrlEncodedContent(new Dictionary<string, string> { ["channel"] = "C0GENERAL", ["text"] = "hi" }));
        response.Dispose();

        Assert.Equal("missing_scope", (string?)body["error"]);
        Assert.Equal("chat:write", (string?)body["needed"]);
        Assert.Empty(_fake.PostedMessages);
    }

    [Fact]
    public async Task PostMessage_JsonBody_IsRecordedIntact()
    {
        var install = await InstallAsync();
        const string Json = """{"channel":"C0GENERAL","text":"Déploiement ✓"}""";

        var (_, body, response) = await CallAsync("chat.postMessage", (string)install["access_token"]!,
            new StringContent(Json, Encoding.UTF8, "application/json"));
        response.Dispose();

        Assert.True((bool)body["ok"]!);
        Assert.Equal("C0GENERAL", (string?)body["channel"]);
        var posted = Assert.Single(_fake.PostedMessages);
        Assert.Equal("Déploiement ✓", posted.Text);
        Assert.Equal("bot", posted.TokenType);
        Assert.Equal(Json, posted.RawBody);
        Assert.Equal((string?)body["ts"], posted.Ts);
    }

    [Fact]
    public async Task ConversationsList_PagesWithCursor()
    {
        var token = (string)(await InstallAsync())["access_token"]!;

        var (_, first, r1) = await CallAsync("conversations.list?limit=1", token);
        var cursor = (string)first["response_metadata"]!["next_cursor"]!;
        var (_, second, r2) = await CallAsync($"conversations.list?limit=1&cursor={Uri.EscapeDataString(cursor)}", token);
        r1.Dispose();
        r2.Dispose();

        Assert.Equal("general", (string?)first["channels"]![0]!["name"]);
        Assert.NotEmpty(cursor);
        Assert.Equal("random", (string?)second["channels"]![0]!["name"]);
        Assert.Equal(string.Empty, (string?)second["response_metadata"]!["next_cursor"]);
    }

    [Fact]
    public async Task RateLimit_Answers429WithRetryAfter_ThenServes()
    {
        var token = (string)(await InstallAsync())["access_token"]!;
        _fake.RateLimitNextRequests(1, TimeSpan.FromSeconds(30));

        var (status, body, response) = await CallAsync("auth.test", token);
        var retryAfter = response.Headers.RetryAfter?.Delta;
        response.Dispose();

        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Equal("ratelimited", (string?)body["error"]);
        Assert.Equal(TimeSpan.FromSeconds(30), retryAfter);
        Assert.Null(await ErrorOfAsync("auth.test", token));
    }

    [Fact]
    public async Task Download_ServesMegabytesOfBinary_AndRefusesExpiredToken()
    {
        var token = (string)(await InstallAsync())["access_token"]!;
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_fake.BaseUrl, "files/download/F0123"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using var response = await _http.SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(2 * 1024 * 1024, bytes.Length);
        Assert.Equal(SHA256.HashData(_fake.FileContent("F0123")), SHA256.HashData(bytes));

        _fake.ExpireBotTokens();
        using var expired = new HttpRequestMessage(HttpMethod.Get, new Uri(_fake.BaseUrl, "files/download/F0123"));
        expired.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var refused = await _http.SendAsync(expired);
        Assert.Contains("token_expired", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(2, _fake.DownloadCalls);
    }
}
