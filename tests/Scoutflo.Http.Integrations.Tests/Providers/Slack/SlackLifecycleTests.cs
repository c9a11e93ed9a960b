using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Scoutflo.Http.Integrations.Tests.TestSupport;

namespace Scoutflo.Http.Integrations.Tests.Providers.Slack;

public class SlackLifecycleTests
{
    private const string UserClient = "slack-user";

    private static SlackHarness UserClientHarness(Action<Fakes.Slack.SlackFakeOptions>? fake = null) =>
        new(fake, services: s => s.AddHttpClient(UserClient).AddIntegrationAuth(o => o.SlackTokenKind = SlackTokenKind.User));

    private static async Task<JsonElement> AuthTestAsync(HttpClient client, string integrationId, SlackTokenKind? kind = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "auth.test").SetIntegrationId(integrationId);
        if (kind is { } k)
        {
            request.SetSlackTokenKind(k);
        }

        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task InstallThenCall_BotAndUserScopes_KeepsBothTokensAndCallsWithTheBotToken()
    {
        await using var harness = UserClientHarness();

        var (url, callback) = await harness.ConsentAsync();
        var query = System.Web.HttpUtility.ParseQueryString(url.Query);
        Assert.Equal(SlackHarness.BotScopes, query["scope"]);
        Assert.Equal(SlackHarness.UserScopes, query["user_scope"]);
        Assert.Equal(SlackHarness.CallbackUri.AbsoluteUri, query["redirect_uri"]);
        Assert.False(string.IsNullOrEmpty(query["state"]));
        var integration = await harness.Install.HandleCallbackAndSaveAsync(IntegrationProviders.Slack, callback);

        Assert.Equal(IntegrationAuthTypes.OAuth2, integration.AuthType);
        Assert.Equal(harness.Fake.Team.Id, integration.GetMetadata(IntegrationMetadataKeys.TeamId));
        Assert.Equal(harness.Fake.Team.Name, integration.GetMetadata(IntegrationMetadataKeys.TeamName));
        Assert.Equal("U0FAKEBOT1", integration.GetMetadata(IntegrationMetadataKeys.BotUserId));
        Assert.Equal("A0FAKEAPP1", integration.GetMetadata(IntegrationMetadataKeys.AppId));
        Assert.Equal(harness.Fake.InstallingUserId, integration.GetMetadata(IntegrationMetadataKeys.AuthedUserId));
        Assert.Null(integration.GetMetadata(IntegrationMetadataKeys.EnterpriseId));
        Assert.Equal(harness.Fake.CurrentBotToken, integration.GetCredential(IntegrationCredentialKeys.AccessToken));
        Assert.Equal(harness.Fake.CurrentBotRefreshToken, integration.GetCredential(IntegrationCredentialKeys.RefreshToken));
        Assert.Equal(harness.Fake.CurrentUserToken(), integration.GetCredential(IntegrationCredentialKeys.UserAccessToken));
        Assert.Equal(harness.Fake.CurrentUserRefreshToken(), integration.GetCredential(IntegrationCredentialKeys.UserRefreshToken));
        Assert.Equal(harness.Time.GetUtcNow().AddHours(12), StoredExpiry(integration, IntegrationCredentialKeys.ExpiresAt));
        Assert.Equal(harness.Time.GetUtcNow().AddHours(12), StoredExpiry(integration, IntegrationCredentialKeys.UserExpiresAt));
        Assert.Contains("files:read", integration.Scopes);

        var bot = await harness.Slack(integration.Id).AuthTestAsync();
        var user = await AuthTestAsync(harness.Services.GetRequiredService<IHttpClientFactory>().CreateClient(UserClient), integration.Id);
        var perRequest = await AuthTestAsync(harness.Slack(integration.Id).HttpClient, integration.Id, SlackTokenKind.User);

        Assert.Equal("U0FAKEBOT1", bot.GetProperty("user_id").GetString());
        Assert.Equal(harness.Fake.InstallingUserId, user.GetProperty("user_id").GetString());
        Assert.Equal(harness.Fake.InstallingUserId, perRequest.GetProperty("user_id").GetString());
        Assert.Equal("Bearer " + harness.Fake.CurrentBotToken, harness.Fake.ApiRequests[0].Headers["Authorization"]);
        Assert.Equal(1, harness.Fake.CodeExchangeCalls);
        Assert.Equal(0, harness.Fake.RefreshCalls);
    }

    [Fact]
    public async Task Install_TokenExchange_SendsTheClientCredentialsAsBasicInAForm()
    {
        await using var harness = new SlackHarness(fake: o => o.ClientSecret = "only-basic-knows");
        var (_, callback) = await harness.ConsentAsync();

        // The fake accepts the secret from Basic or the form; a wrong one in either fails the install.
        var integration = await harness.Install.HandleCallbackAndSaveAsync(IntegrationProviders.Slack, callback);

        Assert.NotNull(integration.GetCredential(IntegrationCredentialKeys.AccessToken));
    }

    [Fact]
    public async Task Reinstall_SameWorkspace_UpdatesTheSameIntegration()
    {
        await using var harness = new SlackHarness();
        var first = await harness.InstallAsync();

        var second = await harness.InstallAsync();

        Assert.Equal(first.Id, second.Id);
        Assert.Single(await harness.Connections.ListConnectionsAsync("acct-1"));
        Assert.Equal(harness.Fake.CurrentBotToken, second.GetCredential(IntegrationCredentialKeys.AccessToken));
    }

    [Fact]
    public async Task Callback_Denied_IsAnAuthorizationDeniedError()
    {
        await using var harness = new SlackHarness();
        harness.Fake.DenyConsent = true;
        var (_, callback) = await harness.ConsentAsync();

        var error = await Assert.ThrowsAsync<IntegrationException>(() => harness.Install.HandleCallbackAsync(IntegrationProviders.Slack, callback));

        Assert.Equal(IntegrationErrorCodes.AuthorizationDenied, error.ErrorCode);
    }

    [Fact]
    public async Task Callback_CodeAlreadyUsed_TokenEndpoint200OkFalse_IsATokenRequestFailure()
    {
        await using var harness = new SlackHarness();
        var (_, callback) = await harness.ConsentAsync();
        await harness.Install.HandleCallbackAsync(IntegrationProviders.Slack, callback);

        // A second state for the same (spent) code: Slack says invalid_code with HTTP 200.
        var replay = new OAuthCallback
        {
            Code = callback.Code,
            State = System.Web.HttpUtility.ParseQueryString((await harness.Fake.AuthorizeAsync(
                await harness.Install.BuildInstallUrlAsync(new InstallRequest { Provider = IntegrationProviders.Slack, AccountId = "acct-1" }))).Query)["state"],
        };
        var error = await Assert.ThrowsAsync<OAuthTokenRequestException>(() => harness.Install.HandleCallbackAsync(IntegrationProviders.Slack, replay));

        Assert.Equal(IntegrationErrorCodes.TokenRequestFailed, error.ErrorCode);
        Assert.Equal("invalid_code", error.ProviderError);
        Assert.DoesNotContain(callback.Code!, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddSlackClient_UserTokenKind_ConfiguresItsOwnClientWithTheUserToken()
    {
        var services = new ServiceCollection();
        services.AddSlackClient("64b7f0c2a1b2c3d4e5f60718");
        services.AddSlackClient("64b7f0c2a1b2c3d4e5f60718", SlackTokenKind.User);
        using var provider = services.BuildServiceProvider();
        var handlerOptions = provider.GetRequiredService<IOptionsMonitor<IntegrationAuthHandlerOptions>>();

        Assert.Equal(SlackTokenKind.Bot, handlerOptions.Get("SlackClient:64b7f0c2a1b2c3d4e5f60718").SlackTokenKind);
        var user = handlerOptions.Get("SlackClient:64b7f0c2a1b2c3d4e5f60718:User");
        Assert.Equal(SlackTokenKind.User, user.SlackTokenKind);
        Assert.Equal("64b7f0c2a1b2c3d4e5f60718", user.IntegrationId);
    }

    [Fact]
    public async Task UserToken_NotGranted_IsAClearCredentialsMissingError()
    {
        await using var harness = new SlackHarness(slack: o => o.UserScopes = []);
        var integration = await harness.InstallAsync();
        Assert.Null(integration.GetCredential(IntegrationCredentialKeys.UserAccessToken));

        var error = await Assert.ThrowsAsync<IntegrationException>(() => AuthTestAsync(harness.Slack(integration.Id).HttpClient, integration.Id, SlackTokenKind.User));

        Assert.Equal(IntegrationErrorCodes.CredentialsMissing, error.ErrorCode);
        Assert.Equal(0, harness.Fake.ApiCalls);
    }

    [Fact]
    public async Task AddSlack_MissingClientSecretAndNoBotScopes_FailsValidationNamingThem()
    {
        var services = new ServiceCollection();
        services.AddScoutfloIntegrations().AddSlack(o =>
        {
            o.ClientId = "id";
            o.RedirectUri = SlackHarness.CallbackUri;
            o.BotScopes = [];
        });
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<SlackOptions>>().Value);

        Assert.Contains(error.Failures, f => f.Contains(nameof(SlackOptions.ClientSecret), StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains(nameof(SlackOptions.BotScopes), StringComparison.Ordinal));
    }

    private static DateTimeOffset? StoredExpiry(Integration integration, string field) =>
        integration.GetCredential(field) is { } text ? DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : null;
}
