using System.Net;
using Microsoft.Extensions.DependencyInjection;
using RichardSzalay.MockHttp;
using Scoutflo.Http.Integrations.OAuth.Internal;
using Scoutflo.Http.Integrations.Tests.TestSupport;

namespace Scoutflo.Http.Integrations.Tests.OAuth;

/// <summary>
/// An OAuth access token becomes an Authorization header wherever it comes from: the record, the
/// shared cache (which the TypeScript SDK writes too) or the token endpoint. One holding a control
/// character is never attached: the request fails with a code and nothing reaches the API.
/// </summary>
public sealed class AccessTokenInjectionTests : IAsyncDisposable
{
    private const string CloudId = "7a1c3a5e-0000-4000-8000-000000000001";
    private const string Injected = "at-SECRET-inj\r\nX-Injected: 1";
    private const string TokenEndpoint = "https://auth.atlassian.com/oauth/token";

    private readonly TestHost _host = TestHost.Create(services => services.AddScoutfloIntegrations().AddAtlassian(o =>
    {
        o.ClientId = "client-1";
        o.ClientSecret = "client-SECRET-1";
        o.RedirectUri = new Uri("https://app.example.test/callback");
    }));

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task SendAsync_SharedCacheHoldsATokenWithAControlCharacter_FailsAndSendsNothing()
    {
        var stored = await _host.Connections.CreateConnectionAsync(JiraOAuth(refreshToken: "rt-1"));
        var cache = _host.Services.GetRequiredService<ITokenCache>();
        var key = TokenKeys.AccessToken(stored.Provider, stored.Id, stored.AccountId);
        await cache.SetAsync(key, Injected, TimeSpan.FromMinutes(30));
        using var client = _host.CreateHandlerClient(stored.Id);

        var error = await Assert.ThrowsAsync<IntegrationException>(() => client.GetAsync("rest/api/3/myself"));

        Assert.Equal("integration_credentials_invalid", error.ErrorCode);
        Assert.DoesNotContain("SECRET-inj", error.ToString(), StringComparison.Ordinal);
        _host.Network.AssertNothingSent();
        Assert.Null(await cache.GetAsync(key));
    }

    [Fact]
    public async Task SendAsync_TokenEndpointAnswersATokenWithAControlCharacter_FailsStoresNothingAndSendsNothing()
    {
        var stored = await _host.Connections.CreateConnectionAsync(JiraOAuth(refreshToken: "rt-1"));
        var tokenCall = _host.Network.Handler.Expect(HttpMethod.Post, TokenEndpoint).Respond(HttpStatusCode.OK, "application/json",
            """{"access_token":"at-SECRET-inj\r\nX-Injected: 1","refresh_token":"rt-2","expires_in":3600,"token_type":"Bearer","scope":"read:jira-work offline_access"}""");
        using var client = _host.CreateHandlerClient(stored.Id);

        var error = await Assert.ThrowsAsync<OAuthTokenRequestException>(() => client.GetAsync("rest/api/3/myself"));

        Assert.Equal("oauth_token_response_invalid", error.ErrorCode);
        Assert.DoesNotContain("SECRET-inj", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, _host.Network.Handler.GetMatchCount(tokenCall));
        _host.Network.AssertNothingSent();
        var after = await _host.Connections.GetConnectionAsync(stored.Id);
        Assert.Null(after!.GetCredential(IntegrationCredentialKeys.AccessToken));
        Assert.Null(await _host.Services.GetRequiredService<ITokenCache>().GetAsync(TokenKeys.AccessToken(stored.Provider, stored.Id, stored.AccountId)));
    }

    [Fact]
    public async Task SendAsync_RecordHoldsATokenWithAControlCharacter_FailsAndSendsNothing()
    {
        var store = _host.Services.GetRequiredService<IIntegrationStore>();
        var stored = await store.InsertAsync(JiraOAuth(refreshToken: null) with
        {
            Credentials = new Dictionary<string, string>
            {
                [IntegrationCredentialKeys.AccessToken] = Injected,
                [IntegrationCredentialKeys.ExpiresAt] = TestHost.Start.AddHours(1).ToString("O"),
            },
        });
        using var client = _host.CreateHandlerClient(stored.Id);

        var error = await Assert.ThrowsAsync<IntegrationException>(() => client.GetAsync("rest/api/3/myself"));

        Assert.Equal("integration_credentials_invalid", error.ErrorCode);
        _host.Network.AssertNothingSent();
    }

    [Fact]
    public async Task SendAsync_RecordChangedToABadTokenAfterResolution_RefreshPathRefusesIt()
    {
        // Resolved (and cached) while good; then another process writes a bad token and the
        // cached one is refused: the refresh re-reads the record and must not use what it finds.
        var stored = await _host.Connections.CreateConnectionAsync(JiraOAuth(refreshToken: "rt-1") with
        {
            Credentials = new Dictionary<string, string>
            {
                [IntegrationCredentialKeys.AccessToken] = "at-good-1",
                [IntegrationCredentialKeys.RefreshToken] = "rt-1",
                [IntegrationCredentialKeys.ExpiresAt] = TestHost.Start.AddHours(1).ToString("O"),
            },
        });
        using var client = _host.CreateHandlerClient(stored.Id);
        (await client.GetAsync("rest/api/3/myself")).EnsureSuccessStatusCode();
        var store = _host.Services.GetRequiredService<IIntegrationStore>();
        var current = (await store.GetAsync(stored.Id))!;
        await store.UpdateAsync(current with
        {
            Credentials = new Dictionary<string, string>(current.Credentials) { [IntegrationCredentialKeys.AccessToken] = Injected },
        }, current.Version);
        _host.Time.Advance(TimeSpan.FromMinutes(59));

        var error = await Assert.ThrowsAsync<IntegrationException>(() => client.GetAsync("rest/api/3/myself"));

        Assert.Contains(error.ErrorCode, new[] { "integration_credentials_invalid", "oauth_token_response_invalid" });
        Assert.Equal(1, _host.Network.MatchCount);
    }

    private static Integration JiraOAuth(string? refreshToken) => new()
    {
        Provider = IntegrationProviders.Jira,
        AccountId = Records.AccountId,
        AuthType = IntegrationAuthTypes.OAuth2,
        Credentials = refreshToken is null
            ? new Dictionary<string, string>()
            : new Dictionary<string, string> { [IntegrationCredentialKeys.RefreshToken] = refreshToken },
        Metadata = new Dictionary<string, string>
        {
            [IntegrationMetadataKeys.CloudId] = CloudId,
            [IntegrationMetadataKeys.SiteUrl] = "https://acme.atlassian.net",
        },
    };
}
