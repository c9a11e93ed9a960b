using System.Net;
using Microsoft.Extensions.Time.Testing;
using Scoutflo.Http.Integrations.Fakes.OAuth2;

namespace Scoutflo.Http.Integrations.Fakes.Tests.OAuth2;

public sealed class GoogleFakeTests : IDisposable
{
    private const string Offline = "scope=openid%20email&access_type=offline&prompt=consent";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));
    private readonly GoogleFake _fake;
    private readonly OAuth2FakeClient _client;

    public GoogleFakeTests()
    {
        _fake = new GoogleFake(_time);
        _client = new OAuth2FakeClient(_fake);
    }

    public void Dispose()
    {
        _client.Dispose();
        _fake.Dispose();
    }

    [Fact]
    public async Task Exchange_OfflineWithConsent_GivesARefreshTokenAndSpaceSeparatedScopes()
    {
        var (status, body) = await _client.ExchangeAsync(await _client.CodeAsync(Offline));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("ya29.", (string)body["access_token"]!, StringComparison.Ordinal);
        Assert.StartsWith("1//", (string)body["refresh_token"]!, StringComparison.Ordinal);
        Assert.Equal(3599, (int)body["expires_in"]!);
        Assert.Equal("openid email", (string)body["scope"]!);
        Assert.Equal("Bearer", (string)body["token_type"]!);
    }

    [Theory]
    [InlineData("scope=openid")]
    [InlineData("scope=openid&access_type=offline")]
    [InlineData("scope=openid&prompt=consent")]
    public async Task Exchange_WithoutOfflineAccessAndConsent_GivesNoRefreshToken(string query)
    {
        var (_, body) = await _client.ExchangeAsync(await _client.CodeAsync(query));

        Assert.NotNull(body["access_token"]);
        Assert.Null(body["refresh_token"]);
    }

    [Fact]
    public async Task Authorize_WithoutScope_RedirectsWithInvalidScope()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => _client.CodeAsync("access_type=offline"));

        Assert.Contains("invalid_scope", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refresh_DoesNotRotate_TheRefreshTokenKeepsWorking()
    {
        var (_, first) = await _client.ExchangeAsync(await _client.CodeAsync(Offline));
        var refreshToken = (string)first["refresh_token"]!;

        var (_, second) = await _client.RefreshAsync(refreshToken);
        var (status, third) = await _client.RefreshAsync(refreshToken);

        Assert.Null(second["refresh_token"]);
        Assert.NotNull(second["access_token"]);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.NotNull(third["access_token"]);
        Assert.Equal(HttpStatusCode.OK, await _client.MeAsync((string)first["access_token"]!));
    }

    [Fact]
    public async Task Refresh_Revoked_IsHttp400InvalidGrant()
    {
        var (_, first) = await _client.ExchangeAsync(await _client.CodeAsync(Offline));
        _fake.Revoke("user-1");

        var (status, body) = await _client.RefreshAsync((string)first["refresh_token"]!);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_grant", (string)body["error"]!);
        Assert.Equal(HttpStatusCode.Unauthorized, await _client.MeAsync((string)first["access_token"]!));
    }

    [Fact]
    public async Task Token_WrongSecret_IsHttp401InvalidClient_AndBasicCredentialsAreAccepted()
    {
        var code = await _client.CodeAsync(Offline);
        var (status, _, _) = await _client.PostAsync([new("grant_type", "authorization_code"), new("code", code), new("redirect_uri", OAuth2FakeClient.Redirect), new("client_id", _fake.ClientId), new("client_secret", "nope")]);
        Assert.Equal(HttpStatusCode.Unauthorized, status);

        var again = await _client.CodeAsync(Offline);
        var (basicStatus, _, body) = await _client.PostAsync([new("grant_type", "authorization_code"), new("code", again), new("redirect_uri", OAuth2FakeClient.Redirect)], basic: true);
        Assert.Equal(HttpStatusCode.OK, basicStatus);
        Assert.Contains("ya29.", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Code_IsSingleUse()
    {
        var code = await _client.CodeAsync(Offline);
        await _client.ExchangeAsync(code);

        var (status, body) = await _client.ExchangeAsync(code);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_grant", (string)body["error"]!);
    }

    [Fact]
    public async Task FaultsFromTheCommonBase_FailTheNextTokenRequestThenItAnswers()
    {
        var (_, first) = await _client.ExchangeAsync(await _client.CodeAsync(Offline));
        _fake.FailNextTokenRequests(1, 503);

        var (failed, _, _) = await _client.PostAsync([new("grant_type", "refresh_token"), new("refresh_token", (string)first["refresh_token"]!), new("client_id", _fake.ClientId), new("client_secret", _fake.ClientSecret)]);
        var (status, _) = await _client.RefreshAsync((string)first["refresh_token"]!);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(3, _fake.TokenEndpointCalls);
        Assert.Equal(2, _fake.RefreshCalls);
    }
}
