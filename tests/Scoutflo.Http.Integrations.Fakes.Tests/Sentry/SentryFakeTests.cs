using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Scoutflo.Http.Integrations.Fakes.Sentry;

namespace Scoutflo.Http.Integrations.Fakes.Tests.Sentry;

public sealed class SentryFakeTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));
    private readonly SentryFake _fake;
    private readonly HttpClient _http = new();

    public SentryFakeTests()
    {
        var options = new SentryFakeOptions { TimeProvider = _time };
        options.StaticTokens.Add("sntrys_static_token");
        options.Organizations.Add(new SentryFakeOrganization("1002", "other-org", "Other"));
        _fake = new SentryFake(options);
    }

    public void Dispose()
    {
        _http.Dispose();
        _fake.Dispose();
    }

    private async Task<(HttpStatusCode Status, JsonObject Body)> AuthorizeAsync(string installationId, object body)
    {
        using var response = await _http.PostAsJsonAsync(_fake.AuthorizationsEndpoint(installationId), body);
        return (response.StatusCode, (JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    private Task<(HttpStatusCode Status, JsonObject Body)> ExchangeAsync(SentryFakeInstallation install) =>
        AuthorizeAsync(install.InstallationId, new
        {
            grant_type = "authorization_code",
            code = install.Code,
            client_id = _fake.ClientId,
            client_secret = _fake.ClientSecret,
        });

    private Task<(HttpStatusCode Status, JsonObject Body)> RefreshAsync(string installationId, string refreshToken) =>
        AuthorizeAsync(installationId, new
        {
            grant_type = "refresh_token",
            refresh_token = refreshToken,
            client_id = _fake.ClientId,
            client_secret = _fake.ClientSecret,
        });

    private async Task<HttpResponseMessage> GetAsync(string path, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_fake.ApiBaseUrl, path));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await _http.SendAsync(request);
    }

    [Fact]
    public async Task ExchangeCode_ReturnsCamelCaseTokenExpiringInEightHours()
    {
        var install = _fake.SimulateInstall();

        var (status, body) = await ExchangeAsync(install);

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("scoutflo", install.OrganizationSlug);
        Assert.Equal(64, ((string)body["token"]!).Length);
        Assert.False(string.IsNullOrEmpty((string?)body["refreshToken"]));
        var created = DateTimeOffset.Parse((string)body["dateCreated"]!, CultureInfo.InvariantCulture);
        var expires = DateTimeOffset.Parse((string)body["expiresAt"]!, CultureInfo.InvariantCulture);
        Assert.Equal(_time.GetUtcNow(), created);
        Assert.Equal(TimeSpan.FromHours(8), expires - created);
        Assert.True(body.ContainsKey("state"));
        Assert.Contains("org:read", body["scopes"]!.AsArray().Select(s => (string?)s));
        Assert.Equal((string?)body["token"], _fake.CurrentToken(install.InstallationId));
    }

    [Fact]
    public async Task ExchangeCode_Reused_Answers401Detail()
    {
        var install = _fake.SimulateInstall();
        await ExchangeAsync(install);

        var (status, body) = await ExchangeAsync(install);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.False(string.IsNullOrEmpty((string?)body["detail"]));
    }

    [Fact]
    public async Task Token_WrongSecret_Answers401Detail()
    {
        var install = _fake.SimulateInstall();

        var (status, body) = await AuthorizeAsync(install.InstallationId, new
        {
            grant_type = "authorization_code",
            code = install.Code,
            client_id = _fake.ClientId,
            client_secret = "wrong",
        });

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("Invalid Client ID / Secret pair", (string?)body["detail"]);
        Assert.Equal(1, _fake.CodeExchangeCalls);
    }

    [Fact]
    public async Task Refresh_Rotates_AndKillsOldAccessAndRefreshToken()
    {
        var install = _fake.SimulateInstall();
        var (_, first) = await ExchangeAsync(install);

        var (status, second) = await RefreshAsync(install.InstallationId, (string)first["refreshToken"]!);

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.NotEqual((string?)first["refreshToken"], (string?)second["refreshToken"]);
        Assert.Equal((string?)second["refreshToken"], _fake.CurrentRefreshToken(install.InstallationId));
        using var oldAccess = await GetAsync("organizations/", (string)first["token"]!);
        Assert.Equal(HttpStatusCode.Unauthorized, oldAccess.StatusCode);
        var (reuseStatus, reuse) = await RefreshAsync(install.InstallationId, (string)first["refreshToken"]!);
        Assert.Equal(HttpStatusCode.Unauthorized, reuseStatus);
        Assert.NotNull(reuse["detail"]);
        Assert.Equal(2, _fake.RefreshCalls);
    }

    [Fact]
    public async Task Api_EveryResponseCarriesRateLimitHeaders()
    {
        var (_, token) = await ExchangeAsync(_fake.SimulateInstall());

        using var ok = await GetAsync("organizations/", (string)token["token"]!);
        using var unauthorized = await GetAsync("organizations/", "nope");
        using var tokenEndpoint = await _http.PostAsJsonAsync(_fake.AuthorizationsEndpoint("missing"), new { grant_type = "refresh_token" });

        foreach (var response in new[] { ok, unauthorized, tokenEndpoint })
        {
            Assert.Equal("40", response.Headers.GetValues("X-Sentry-Rate-Limit-Limit").Single());
            Assert.True(int.Parse(response.Headers.GetValues("X-Sentry-Rate-Limit-Remaining").Single(), CultureInfo.InvariantCulture) < 40);
            Assert.Equal(
                (_time.GetUtcNow() + TimeSpan.FromSeconds(1)).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
                response.Headers.GetValues("X-Sentry-Rate-Limit-Reset").Single());
        }

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("""{"detail":"Invalid token"}""", await unauthorized.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Api_OverTheLimit_Answers429_UntilTheWindowResets()
    {
        using var fake = new SentryFake(new SentryFakeOptions { TimeProvider = _time, RateLimit = 2, StaticTokens = { "t" } });
        async Task<HttpResponseMessage> Get()
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(fake.ApiBaseUrl, "organizations/"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "t");
            return await _http.SendAsync(request);
        }

        (await Get()).Dispose();
        using var last = await Get();
        using var limited = await Get();
        _time.Advance(TimeSpan.FromSeconds(1));
        using var again = await Get();

        Assert.Equal("0", last.Headers.GetValues("X-Sentry-Rate-Limit-Remaining").Single());
        Assert.Equal(HttpStatusCode.OK, last.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task Api_ExpiredToken_Answers401_AndRefreshRecovers()
    {
        var install = _fake.SimulateInstall();
        var (_, first) = await ExchangeAsync(install);
        _time.Advance(TimeSpan.FromHours(8));

        using var expired = await GetAsync("organizations/", (string)first["token"]!);
        var (_, second) = await RefreshAsync(install.InstallationId, (string)first["refreshToken"]!);
        using var fresh = await GetAsync("organizations/", (string)second["token"]!);

        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        Assert.Contains("\"detail\"", await expired.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
    }

    [Fact]
    public async Task ExpireTokens_ExpiresCurrentAccessTokens()
    {
        var (_, token) = await ExchangeAsync(_fake.SimulateInstall());

        _fake.ExpireTokens();
        using var response = await GetAsync("organizations/", (string)token["token"]!);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task InstallationToken_SeesOnlyItsOrganization_StaticTokenSeesAll()
    {
        var (_, token) = await ExchangeAsync(_fake.SimulateInstall("scoutflo"));

        using var installOrgs = await GetAsync("organizations/", (string)token["token"]!);
        using var staticOrgs = await GetAsync("organizations/", "sntrys_static_token");
        using var projects = await GetAsync("organizations/scoutflo/projects/", (string)token["token"]!);
        using var foreign = await GetAsync("organizations/other-org/projects/", (string)token["token"]!);

        Assert.Single(JsonNode.Parse(await installOrgs.Content.ReadAsStringAsync())!.AsArray());
        Assert.Equal(2, JsonNode.Parse(await staticOrgs.Content.ReadAsStringAsync())!.AsArray().Count);
        var projectList = JsonNode.Parse(await projects.Content.ReadAsStringAsync())!.AsArray();
        Assert.Equal(["backend", "frontend"], projectList.Select(p => (string?)p!["slug"]));
        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
    }

    [Fact]
    public async Task Api_WithoutTrailingSlash_RedirectsLikeDjango()
    {
        using var noRedirect = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_fake.ApiBaseUrl, "organizations"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "sntrys_static_token");

        using var response = await noRedirect.SendAsync(request);

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.EndsWith("/api/0/organizations/", response.Headers.Location!.AbsolutePath, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SeveralHosts_AreIndependent()
    {
        using var regional = new SentryFake(new SentryFakeOptions { TimeProvider = _time });
        var (_, token) = await ExchangeAsync(_fake.SimulateInstall());

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(regional.ApiBaseUrl, "organizations/"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", (string)token["token"]!);
        using var response = await _http.SendAsync(request);

        Assert.NotEqual(_fake.BaseUrl, regional.BaseUrl);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
