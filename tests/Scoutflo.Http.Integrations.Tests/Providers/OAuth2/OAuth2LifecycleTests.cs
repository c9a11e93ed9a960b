using System.Globalization;
using System.Net;
using System.Web;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Scoutflo.Http.Integrations.Fakes;

namespace Scoutflo.Http.Integrations.Tests.Providers.OAuth2;

/// <summary>
/// The generic OAuth 2.0 provider through the public API only, against a GitHub-App-like fake
/// (expiring tokens, rotating refresh tokens, errors as HTTP 200) and a Google-like one
/// (space-separated scopes, offline access asked for, refresh tokens that do not rotate).
/// </summary>
public class OAuth2LifecycleTests
{
    [Theory]
    [InlineData(OAuth2Harness.GitHub)]
    [InlineData(OAuth2Harness.Google)]
    public async Task InstallUrl_CarriesAnS256ChallengeAndTheSignedState_NeverTheVerifier(string provider)
    {
        await using var harness = new OAuth2Harness();

        var url = await harness.InstallUrlAsync(provider);

        var query = HttpUtility.ParseQueryString(url.Query);
        Assert.Equal(harness.FakeOf(provider).AuthorizeUrl.GetLeftPart(UriPartial.Path), url.GetLeftPart(UriPartial.Path));
        Assert.Equal("code", query["response_type"]);
        Assert.Equal(harness.FakeOf(provider).ClientId, query["client_id"]);
        Assert.Equal(OAuth2Harness.RedirectUri.AbsoluteUri, query["redirect_uri"]);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.Equal(43, query["code_challenge"]!.Length);
        Assert.False(string.IsNullOrEmpty(query["state"]));
        Assert.Null(query["code_verifier"]);
        Assert.DoesNotContain(harness.FakeOf(provider).ClientSecret, url.AbsoluteUri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GitHub_InstallCallRefreshRetry_RotatesTheRefreshTokenWithTheLock()
    {
        await using var harness = new OAuth2Harness();
        var fake = harness.GitHubFake;

        var integration = await harness.InstallAsync(OAuth2Harness.GitHub);

        Assert.Equal(OAuth2Harness.GitHub, integration.Provider);
        Assert.Equal(IntegrationAuthTypes.OAuth2, integration.AuthType);
        var firstRefresh = integration.GetCredential(IntegrationCredentialKeys.RefreshToken);
        Assert.StartsWith("ghr_", firstRefresh, StringComparison.Ordinal);
        Assert.Equal(harness.Time.GetUtcNow().AddHours(8), DateTimeOffset.Parse(integration.GetCredential(IntegrationCredentialKeys.ExpiresAt)!, CultureInfo.InvariantCulture));
        Assert.Equal("user-1", await harness.MeAsync(integration.Id));
        Assert.Equal(0, fake.RefreshCalls);

        // The token is refused before its known expiry (a 401): one refresh, then the same request again.
        fake.ExpireAccessTokens();
        Assert.Equal("user-1", await harness.MeAsync(integration.Id));
        Assert.Equal(1, fake.RefreshCalls);
        Assert.Equal(3, fake.ApiCalls);

        // The known expiry passes: refreshed before sending, no 401 on the way.
        harness.Time.Advance(TimeSpan.FromHours(8));
        Assert.Equal("user-1", await harness.MeAsync(integration.Id));
        Assert.Equal(2, fake.RefreshCalls);
        Assert.Equal(4, fake.ApiCalls);

        var stored = (await harness.Store.GetAsync(integration.Id))!;
        var live = Assert.Single(fake.LiveRefreshTokens("user-1"));
        Assert.Equal(live, stored.GetCredential(IntegrationCredentialKeys.RefreshToken));
        Assert.NotEqual(firstRefresh, live);
    }

    [Fact]
    public async Task Google_InstallCallRefresh_AsksForOfflineConsentWithSpaceSeparatedScopesAndKeepsTheRefreshToken()
    {
        await using var harness = new OAuth2Harness();
        var fake = harness.GoogleFake;

        var url = HttpUtility.ParseQueryString((await harness.InstallUrlAsync(OAuth2Harness.Google)).Query);
        Assert.Equal("openid https://www.googleapis.com/auth/drive.readonly", url["scope"]);
        Assert.Equal("offline", url["access_type"]);
        Assert.Equal("consent", url["prompt"]);

        var integration = await harness.InstallAsync(OAuth2Harness.Google);
        var refreshToken = integration.GetCredential(IntegrationCredentialKeys.RefreshToken);
        Assert.StartsWith("1//", refreshToken, StringComparison.Ordinal);
        Assert.Equal(["openid", "https://www.googleapis.com/auth/drive.readonly"], integration.Scopes);
        Assert.Equal("user-1", await harness.MeAsync(integration.Id));

        harness.Time.Advance(TimeSpan.FromSeconds(3599));
        Assert.Equal("user-1", await harness.MeAsync(integration.Id));

        Assert.Equal(1, fake.RefreshCalls);
        var stored = (await harness.Store.GetAsync(integration.Id))!;
        Assert.Equal(refreshToken, stored.GetCredential(IntegrationCredentialKeys.RefreshToken));
        Assert.Equal(fake.CurrentAccessToken("user-1"), stored.GetCredential(IntegrationCredentialKeys.AccessToken));
    }

    [Fact]
    public async Task Google_WithoutOfflineAccess_GetsNoRefreshToken()
    {
        await using var harness = new OAuth2Harness(google: o => o.ExtraAuthorizeParameters.Clear());

        var integration = await harness.InstallAsync(OAuth2Harness.Google);

        Assert.Null(integration.GetCredential(IntegrationCredentialKeys.RefreshToken));
        Assert.NotNull(integration.GetCredential(IntegrationCredentialKeys.AccessToken));
    }

    [Fact]
    public async Task Google_BasicClientAuthentication_ExchangesAndRefreshes()
    {
        await using var harness = new OAuth2Harness(google: o => o.ClientAuthentication = OAuth2ClientAuthentication.BasicHeader);
        var integration = await harness.InstallAsync(OAuth2Harness.Google);

        harness.GoogleFake.ExpireAccessTokens();
        Assert.Equal("user-1", await harness.MeAsync(integration.Id));

        Assert.Equal(1, harness.GoogleFake.RefreshCalls);
    }

    [Theory]
    [InlineData(OAuth2Harness.GitHub)]
    [InlineData(OAuth2Harness.Google)]
    public async Task Refresh_RevokedGrant_MarksReauthorizationRequired(string provider)
    {
        await using var harness = new OAuth2Harness();
        var integration = await harness.InstallAsync(provider);
        harness.FakeOf(provider).Revoke("user-1");

        await Assert.ThrowsAsync<ReauthorizationRequiredException>(() => harness.MeAsync(integration.Id));

        Assert.Equal(1, harness.FakeOf(provider).RefreshCalls);
        Assert.Equal(IntegrationStatus.ReauthorizationRequired, (await harness.Store.GetAsync(integration.Id))!.Status);
    }

    [Fact]
    public async Task GitHub_ErrorAnsweredWithHttp200_IsARefusalNamingTheProviderError()
    {
        // Without bad_refresh_verification_code among the dead-grant errors, the refusal is still one (never a token).
        await using var harness = new OAuth2Harness(github: o => o.TokenResponse.DeadGrantErrors = ["invalid_grant"]);
        var integration = await harness.InstallAsync(OAuth2Harness.GitHub);
        harness.GitHubFake.Revoke("user-1");

        var error = await Assert.ThrowsAsync<OAuthTokenRequestException>(() => harness.MeAsync(integration.Id));

        Assert.Equal(IntegrationErrorCodes.TokenRequestFailed, error.ErrorCode);
        Assert.Equal(HttpStatusCode.OK, error.StatusCode);
        Assert.Equal("bad_refresh_verification_code", error.ProviderError);
        Assert.Equal(IntegrationStatus.Active, (await harness.Store.GetAsync(integration.Id))!.Status);
    }

    [Fact]
    public async Task Google_RotationPromisedButNotGiven_IsAnInvalidResponseAndTheStoredTokenStays()
    {
        await using var harness = new OAuth2Harness(google: o => o.RefreshTokensRotate = true);
        var integration = await harness.InstallAsync(OAuth2Harness.Google);
        harness.GoogleFake.ExpireAccessTokens();

        var error = await Assert.ThrowsAsync<OAuthTokenRequestException>(() => harness.MeAsync(integration.Id));

        Assert.Equal(IntegrationErrorCodes.TokenResponseInvalid, error.ErrorCode);
        Assert.Equal(integration.GetCredential(IntegrationCredentialKeys.RefreshToken),
            (await harness.Store.GetAsync(integration.Id))!.GetCredential(IntegrationCredentialKeys.RefreshToken));
    }

    [Theory]
    [InlineData(OAuth2Harness.GitHub)]
    [InlineData(OAuth2Harness.Google)]
    public async Task Callback_Replayed_IsRefusedWithoutASecondExchange(string provider)
    {
        await using var harness = new OAuth2Harness();
        var callback = await harness.ConsentAsync(provider);
        await harness.Install.HandleCallbackAndSaveAsync(provider, callback);

        var error = await Assert.ThrowsAsync<OAuthStateException>(() => harness.Install.HandleCallbackAsync(provider, callback));

        Assert.Equal(IntegrationErrorCodes.StateReplayed, error.ErrorCode);
        Assert.Equal(1, harness.FakeOf(provider).CodeExchangeCalls);
    }

    [Theory]
    [InlineData(OAuth2Harness.GitHub)]
    [InlineData(OAuth2Harness.Google)]
    public async Task Callback_CodeOfAnotherInstall_FailsTheFakesPkceCheck(string provider)
    {
        await using var harness = new OAuth2Harness();
        var mine = await harness.ConsentAsync(provider);
        var stolen = await harness.ConsentAsync(provider, "user-2");

        // The other install's code with my (valid, unused) state: the verifier belongs to my state only.
        var error = await Assert.ThrowsAsync<OAuthTokenRequestException>(() =>
            harness.Install.HandleCallbackAsync(provider, new OAuthCallback { Code = stolen.Code, State = mine.State }));

        Assert.Equal("invalid_grant", error.ProviderError);
        Assert.DoesNotContain(stolen.Code!, error.Message, StringComparison.Ordinal);
        Assert.Equal(1, harness.FakeOf(provider).CodeExchangeCalls);
    }

    [Fact]
    public async Task Install_PkceOff_SendsNoChallengeAndNoVerifier()
    {
        await using var harness = new OAuth2Harness(google: o => o.UsePkce = false);

        var url = await harness.InstallUrlAsync(OAuth2Harness.Google);
        var integration = await harness.Install.HandleCallbackAndSaveAsync(OAuth2Harness.Google,
            OAuthCallback.FromQueryString((await harness.GoogleFake.ConsentAsync(url)).Query));

        Assert.Null(HttpUtility.ParseQueryString(url.Query)["code_challenge"]);
        Assert.Equal("user-1", await harness.MeAsync(integration.Id));
    }

    [Fact]
    public async Task Request_ToAnotherHost_IsRefusedAndCarriesNoToken()
    {
        await using var harness = new OAuth2Harness();
        using var elsewhere = new RecordingServer();
        var integration = await harness.InstallAsync(OAuth2Harness.GitHub);
        var client = harness.Services.GetRequiredService<IIntegrationClientFactory>().CreateClient(integration.Id);

        await Assert.ThrowsAsync<IntegrationHostNotAllowedException>(() => client.GetAsync(elsewhere.Url("api/me")));

        Assert.Empty(elsewhere.Requests);
        Assert.Equal(0, harness.GitHubFake.ApiCalls);
    }

    [Fact]
    public async Task Refresh_TokenEndpointRedirectsElsewhere_TheSecretAndRefreshTokenAreNotSentThere()
    {
        await using var harness = new OAuth2Harness();
        using var elsewhere = new RecordingServer();
        var integration = await harness.InstallAsync(OAuth2Harness.Google);
        harness.GoogleFake.ExpireAccessTokens();
        harness.GoogleFake.RedirectNextTokenRequests(1, 307, elsewhere.Url("token"));

        var error = await Assert.ThrowsAsync<OAuthTokenRequestException>(() => harness.MeAsync(integration.Id));

        Assert.Equal(IntegrationErrorCodes.TokenEndpointRedirected, error.ErrorCode);
        Assert.Empty(elsewhere.Requests);
        Assert.Equal(integration.GetCredential(IntegrationCredentialKeys.RefreshToken),
            (await harness.Store.GetAsync(integration.Id))!.GetCredential(IntegrationCredentialKeys.RefreshToken));
    }

    [Fact]
    public async Task Record_NamingAHostOutsideTheAllowedBases_IsRefused()
    {
        await using var harness = new OAuth2Harness();
        using var elsewhere = new RecordingServer();

        var error = await Assert.ThrowsAsync<IntegrationException>(() => harness.Connections.CreateConnectionAsync(new Integration
        {
            Provider = OAuth2Harness.Google,
            AccountId = "acct-1",
            AuthType = IntegrationAuthTypes.OAuth2,
            Credentials = new Dictionary<string, string> { [IntegrationCredentialKeys.RefreshToken] = "1//x" },
            Metadata = new Dictionary<string, string> { [IntegrationMetadataKeys.BaseUrl] = elsewhere.BaseUrl.AbsoluteUri },
        }));

        Assert.Equal(IntegrationErrorCodes.BaseUrlNotAllowed, error.ErrorCode);
    }

    [Fact]
    public async Task NamedClient_WithAddIntegrationAuth_CallsTheApiOfItsIntegration()
    {
        await using var harness = new OAuth2Harness();
        var integration = await harness.InstallAsync(OAuth2Harness.Google, "user-7");
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(harness.Time);
        services.AddSingleton(harness.Store);
        services.AddScoutfloIntegrations(o => o.StateSigningKey = TestSupport.LibraryHarness.SigningKey)
            .AddOAuth2Provider(OAuth2Harness.Google, o =>
            {
                o.ClientId = harness.GoogleFake.ClientId;
                o.ClientSecret = harness.GoogleFake.ClientSecret;
                o.AuthorizeUrl = harness.GoogleFake.AuthorizeUrl;
                o.TokenUrl = harness.GoogleFake.TokenUrl;
                o.ApiBaseUrl = harness.GoogleFake.ApiBaseUrl;
            });
        services.AddHttpClient("drive").AddIntegrationAuth(integration.Id);
        await using var provider = services.BuildServiceProvider();

        var response = await provider.GetRequiredService<IHttpClientFactory>().CreateClient("drive").GetStringAsync(new Uri("me", UriKind.Relative));

        Assert.Contains("user-7", response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Configuration_MissingTokenUrl_FailsAtStartNamingTheKey()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Integrations:Acme:ClientId"] = "id",
            ["Integrations:Acme:ClientSecret"] = "secret",
            ["Integrations:Acme:AuthorizeUrl"] = "https://acme.example/authorize",
            ["Integrations:Acme:ApiBaseUrl"] = "https://api.acme.example",
            ["Integrations:Acme:ScopeSeparator"] = ",",
        }).Build();
        var services = new ServiceCollection();
        services.AddScoutfloIntegrations().AddOAuth2Provider("acme", configuration.GetSection("Integrations:Acme"));
        await using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Integrations:Acme:TokenUrl", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Configuration_Bound_ReadsEverySetting()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ClientId"] = "id",
            ["ClientSecret"] = "secret",
            ["AuthorizeUrl"] = "https://acme.example/authorize",
            ["TokenUrl"] = "https://acme.example/token",
            ["ApiBaseUrl"] = "https://api.acme.example",
            ["ScopeSeparator"] = ",",
            ["ClientAuthentication"] = "BasicHeader",
            ["DefaultScopes:0"] = "read",
            ["ExtraAuthorizeParameters:audience"] = "api",
            ["UsePkce"] = "false",
            ["RefreshTokensRotate"] = "true",
            ["TokenResponse:AccessTokenField"] = "token",
        }).Build();
        var services = new ServiceCollection();
        services.AddScoutfloIntegrations().AddOAuth2Provider("acme", configuration);
        await using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IStartupValidator>().Validate();
        var options = provider.GetRequiredService<IOptionsMonitor<OAuth2ProviderOptions>>().Get("acme");

        Assert.Equal(OAuth2ClientAuthentication.BasicHeader, options.ClientAuthentication);
        Assert.Equal(",", options.ScopeSeparator);
        Assert.Equal(["read"], options.DefaultScopes);
        Assert.Equal("api", options.ExtraAuthorizeParameters["audience"]);
        Assert.False(options.UsePkce);
        Assert.True(options.RefreshTokensRotate);
        Assert.Equal("token", options.TokenResponse.AccessTokenField);
    }

    [Theory]
    [InlineData("slack")]
    [InlineData("Has Space")]
    [InlineData("")]
    public void AddOAuth2Provider_BuiltInOrMalformedName_IsRefused(string name)
    {
        var builder = new ServiceCollection().AddScoutfloIntegrations();

        Assert.ThrowsAny<ArgumentException>(() => builder.AddOAuth2Provider(name, _ => { }));
    }

    [Fact]
    public async Task DeadGrant_RaisesOneReauthorizationEventNamingTheProvider_AndTheExchangeIsTraced()
    {
        var events = new RecordingEvents();
        await using var harness = new OAuth2Harness(builder: b => b.AddEvents(events));
        var exchanges = new List<(string Provider, string? GrantType)>();
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = source => source.Name == IntegrationsTelemetry.ActivitySourceName,
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                if (a.OperationName == "scoutflo.integrations.token.exchange")
                {
                    lock (exchanges)
                    {
                        exchanges.Add(((string)a.GetTagItem(IntegrationsTelemetry.ProviderAttribute)!, a.GetTagItem("scoutflo.integration.grant_type") as string));
                    }
                }
            },
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);
        var integration = await harness.InstallAsync(OAuth2Harness.Google);
        harness.GoogleFake.Revoke("user-1");

        await Assert.ThrowsAsync<ReauthorizationRequiredException>(() => harness.MeAsync(integration.Id));
        await Assert.ThrowsAsync<ReauthorizationRequiredException>(() => harness.MeAsync(integration.Id));

        var raised = Assert.Single(events.Reauthorizations);
        Assert.Equal((integration.Id, OAuth2Harness.Google), (raised.IntegrationId, raised.Provider));
        lock (exchanges)
        {
            Assert.Contains((OAuth2Harness.Google, "authorization_code"), exchanges);
            Assert.Contains((OAuth2Harness.Google, "refresh_token"), exchanges);
        }
    }

    private sealed class RecordingEvents : IIntegrationEvents
    {
        public List<IntegrationEventContext> Reauthorizations { get; } = [];

        public ValueTask OnReauthorizationRequiredAsync(IntegrationEventContext context, CancellationToken cancellationToken)
        {
            lock (Reauthorizations)
            {
                Reauthorizations.Add(context);
            }

            return ValueTask.CompletedTask;
        }
    }
}
