using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Scoutflo.Http.Integrations.Fakes.OAuth2;

namespace Scoutflo.Http.Integrations.Fakes.Tests.OAuth2;

public sealed class GitHubAppFakeTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));
    private readonly GitHubAppFake _fake;
    private readonly OAuth2FakeClient _client;

    public GitHubAppFakeTests()
    {
        _fake = new GitHubAppFake(_time);
        _client = new OAuth2FakeClient(_fake);
    }

    public void Dispose()
    {
        _client.Dispose();
        _fake.Dispose();
    }

    [Fact]
    public async Task Exchange_GivesAnEightHourGhuTokenAndASixMonthGhrRefreshToken_WithAnEmptyScope()
    {
        var (status, body) = await _client.ExchangeAsync(await _client.CodeAsync(string.Empty));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("ghu_", (string)body["access_token"]!, StringComparison.Ordinal);
        Assert.StartsWith("ghr_", (string)body["refresh_token"]!, StringComparison.Ordinal);
        Assert.Equal(28800, (int)body["expires_in"]!);
        Assert.Equal(15897600, (int)body["refresh_token_expires_in"]!);
        Assert.Equal(string.Empty, (string)body["scope"]!);
        Assert.Equal("bearer", (string)body["token_type"]!);
    }

    [Fact]
    public async Task Errors_AreAnsweredWithHttp200()
    {
        var (status, body) = await _client.RefreshAsync("ghr_unknown");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("bad_refresh_verification_code", (string)body["error"]!);
        Assert.Null(body["access_token"]);

        var (codeStatus, codeBody) = await _client.ExchangeAsync("not-a-code");
        Assert.Equal(HttpStatusCode.OK, codeStatus);
        Assert.Equal("bad_verification_code", (string)codeBody["error"]!);
    }

    [Fact]
    public async Task WrongClientSecret_IsIncorrectClientCredentialsWithHttp200()
    {
        var (status, _, body) = await _client.PostAsync([new("grant_type", "refresh_token"), new("refresh_token", "ghr_x"), new("client_id", _fake.ClientId), new("client_secret", "wrong")]);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("incorrect_client_credentials", (string)JsonNode.Parse(body)!["error"]!);
    }

    [Fact]
    public async Task WithoutAcceptJson_TheAnswerIsFormEncoded()
    {
        var code = await _client.CodeAsync(string.Empty);

        var (status, contentType, body) = await _client.PostAsync(
            [new("grant_type", "authorization_code"), new("code", code), new("redirect_uri", OAuth2FakeClient.Redirect), new("client_id", _fake.ClientId), new("client_secret", _fake.ClientSecret)],
            json: false);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("application/x-www-form-urlencoded", contentType);
        Assert.StartsWith("access_token=ghu_", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refresh_RotatesAndBurnsTheOldRefreshAndAccessTokens()
    {
        var (_, first) = await _client.ExchangeAsync(await _client.CodeAsync(string.Empty));

        var (_, second) = await _client.RefreshAsync((string)first["refresh_token"]!);
        var (_, replay) = await _client.RefreshAsync((string)first["refresh_token"]!);

        Assert.NotEqual((string)first["refresh_token"]!, (string)second["refresh_token"]!);
        Assert.Equal("bad_refresh_verification_code", (string)replay["error"]!);
        Assert.Equal(HttpStatusCode.Unauthorized, await _client.MeAsync((string)first["access_token"]!));
        Assert.Equal(HttpStatusCode.OK, await _client.MeAsync((string)second["access_token"]!));
    }

    [Fact]
    public async Task AccessToken_StopsWorkingAfterEightHours()
    {
        var (_, body) = await _client.ExchangeAsync(await _client.CodeAsync(string.Empty));
        Assert.Equal(HttpStatusCode.OK, await _client.MeAsync((string)body["access_token"]!));

        _time.Advance(TimeSpan.FromHours(8));

        Assert.Equal(HttpStatusCode.Unauthorized, await _client.MeAsync((string)body["access_token"]!));
    }

    [Fact]
    public async Task Pkce_TheVerifierMustMatchTheChallenge()
    {
        const string Verifier = "a-verifier-of-at-least-forty-three-characters-long-xyz";
        var code = await _client.CodeAsync($"code_challenge={OAuth2FakeClient.Challenge(Verifier)}&code_challenge_method=S256");
        var (_, wrong) = await _client.ExchangeAsync(code, Verifier + "x");
        Assert.Equal("invalid_grant", (string)wrong["error"]!);

        var again = await _client.CodeAsync($"code_challenge={OAuth2FakeClient.Challenge(Verifier)}&code_challenge_method=S256");
        var (_, right) = await _client.ExchangeAsync(again, Verifier);
        Assert.NotNull(right["access_token"]);
    }
}
