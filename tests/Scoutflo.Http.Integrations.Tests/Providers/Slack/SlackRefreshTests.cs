using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Scoutflo.Http.Integrations.OAuth.Internal;
using Scoutflo.Http.Integrations.Tests.TestSupport;

namespace Scoutflo.Http.Integrations.Tests.Providers.Slack;

public class SlackRefreshTests
{
    private static async Task<JsonElement> UserAuthTestAsync(SlackHarness harness, string integrationId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "auth.test").SetSlackTokenKind(SlackTokenKind.User);
        using var response = await harness.Slack(integrationId).HttpClient.SendAsync(request);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task Send_TokenExpiredInA200Body_RefreshesOnceRetriesAndTheCallerReadsTheRetriedBody()
    {
        await using var harness = new SlackHarness();
        var integration = await harness.InstallAsync();
        var slack = harness.Slack(integration.Id);
        await slack.AuthTestAsync();
        harness.Fake.ExpireBotTokens();
        harness.Fake.ResetCounters();

        using var response = await slack.HttpClient.PostAsJsonAsync("chat.postMessage", new { channel = "C0GENERAL", text = "hello" });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.True(body.GetProperty("ok").GetBoolean());
        Assert.Equal("C0GENERAL", body.GetProperty("channel").GetString());
        Assert.Equal(1, harness.Fake.RefreshCalls);
        Assert.Equal(2, harness.Fake.ApiCalls); // the refused call, then its one resend
        var message = Assert.Single(harness.Fake.PostedMessages);
        Assert.Equal("hello", message.Text);
        var stored = (await harness.Store.GetAsync(integration.Id))!;
        Assert.Equal(harness.Fake.CurrentBotToken, stored.GetCredential(IntegrationCredentialKeys.AccessToken));
        Assert.Equal(harness.Fake.CurrentBotRefreshToken, stored.GetCredential(IntegrationCredentialKeys.RefreshToken));
    }

    [Fact]
    public async Task Send_TokenExpiredByTheClock_RefreshesBeforeSending()
    {
        await using var harness = new SlackHarness();
        var integration = await harness.InstallAsync();
        harness.Time.Advance(TimeSpan.FromHours(12));

        var result = await harness.Slack(integration.Id).AuthTestAsync();

        Assert.True(result.GetProperty("ok").GetBoolean());
        Assert.Equal(1, harness.Fake.RefreshCalls);
        Assert.Equal(1, harness.Fake.ApiCalls);
    }

    [Theory]
    [InlineData("invalid_auth")]
    [InlineData("token_revoked")]
    [InlineData("account_inactive")]
    public async Task Send_GrantGoneInA200Body_MarksReauthorizationRequiredAndReturnsTheReadableResponse(string slackError)
    {
        await using var harness = new SlackHarness();
        var integration = await harness.InstallAsync();
        var slack = harness.Slack(integration.Id);
        await slack.AuthTestAsync();
        switch (slackError)
        {
            case "invalid_auth":
                // A token Slack does not know: written where the library reads it first.
                await harness.Cache.SetAsync(TokenKeys.AccessToken(IntegrationProviders.Slack, integration.Id, "acct-1"), "xoxb-unknown", TimeSpan.FromHours(1));
                harness.Connections.Invalidate(integration.Id);
                slack = harness.Slack(integration.Id);
                break;
            case "token_revoked":
                harness.Fake.RevokeToken(harness.Fake.CurrentBotToken!);
                break;
            default:
                harness.Fake.SetAccountInactive(harness.Fake.CurrentBotToken!);
                break;
        }

        harness.Fake.ResetCounters();

        var body = await slack.AuthTestAsync();

        Assert.False(body.GetProperty("ok").GetBoolean());
        Assert.Equal(slackError, body.GetProperty("error").GetString());
        Assert.Equal(0, harness.Fake.TokenEndpointCalls);
        Assert.Equal(1, harness.Fake.ApiCalls);
        Assert.Equal(IntegrationStatus.ReauthorizationRequired, (await harness.Store.GetAsync(integration.Id))!.Status);
        var next = await Assert.ThrowsAsync<ReauthorizationRequiredException>(() => harness.Slack(integration.Id).AuthTestAsync());
        Assert.Equal(IntegrationErrorCodes.ReauthorizationRequired, next.ErrorCode);
        Assert.Equal(1, harness.Fake.ApiCalls);
    }

    [Fact]
    public async Task Send_MissingScopeInA200Body_IsReturnedWithoutRefreshOrStatusChange()
    {
        await using var harness = new SlackHarness(slack: o => o.BotScopes = ["channels:read"]);
        var integration = await harness.InstallAsync();

        using var response = await harness.Slack(integration.Id).HttpClient.PostAsJsonAsync("chat.postMessage", new { channel = "C0GENERAL", text = "x" });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal("missing_scope", body.GetProperty("error").GetString());
        Assert.Equal(0, harness.Fake.RefreshCalls);
        Assert.Equal(IntegrationStatus.Active, (await harness.Store.GetAsync(integration.Id))!.Status);
    }

    [Fact]
    public async Task Send_Ratelimited429_IsReturnedAsIsWithoutARefresh()
    {
        await using var harness = new SlackHarness();
        var integration = await harness.InstallAsync();
        var slack = harness.Slack(integration.Id);
        await slack.AuthTestAsync();
        harness.Fake.RateLimitNextRequests(1, TimeSpan.FromSeconds(30));
        harness.Fake.ResetCounters();

        using var response = await slack.HttpClient.PostAsync("auth.test", content: null);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(30), response.Headers.RetryAfter?.Delta);
        Assert.Equal("ratelimited", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        Assert.Equal(0, harness.Fake.TokenEndpointCalls);
        Assert.Equal(1, harness.Fake.ApiCalls);
    }

    [Fact]
    public async Task Send_50ConcurrentCallsOnAnExpiredToken_RefreshExactlyOnce()
    {
        await using var harness = new SlackHarness();
        var integration = await harness.InstallAsync();
        var slack = harness.Slack(integration.Id);
        await slack.AuthTestAsync();
        harness.Fake.ExpireBotTokens();
        harness.Fake.ResetCounters();

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => slack.AuthTestAsync()));

        Assert.All(results, r => Assert.True(r.GetProperty("ok").GetBoolean()));
        Assert.Equal(1, harness.Fake.RefreshCalls);
        Assert.Equal(IntegrationStatus.Active, (await harness.Store.GetAsync(integration.Id))!.Status);
        Assert.Equal(harness.Fake.CurrentBotRefreshToken, (await harness.Store.GetAsync(integration.Id))!.GetCredential(IntegrationCredentialKeys.RefreshToken));
    }

    [Fact]
    public async Task Refresh_UserAndBotTokens_RotateIndependently()
    {
        await using var harness = new SlackHarness();
        var integration = await harness.InstallAsync();
        var botRefresh = harness.Fake.CurrentBotRefreshToken;
        var botAccess = harness.Fake.CurrentBotToken;
        var userRefresh = harness.Fake.CurrentUserRefreshToken();
        harness.Fake.ExpireUserTokens();

        var user = await UserAuthTestAsync(harness, integration.Id);

        Assert.Equal(harness.Fake.InstallingUserId, user.GetProperty("user_id").GetString());
        Assert.Equal(1, harness.Fake.RefreshCalls);
        var afterUser = (await harness.Store.GetAsync(integration.Id))!;
        Assert.NotEqual(userRefresh, afterUser.GetCredential(IntegrationCredentialKeys.UserRefreshToken));
        Assert.Equal(harness.Fake.CurrentUserRefreshToken(), afterUser.GetCredential(IntegrationCredentialKeys.UserRefreshToken));
        Assert.Equal(harness.Fake.CurrentUserToken(), afterUser.GetCredential(IntegrationCredentialKeys.UserAccessToken));
        Assert.Equal(botRefresh, afterUser.GetCredential(IntegrationCredentialKeys.RefreshToken));
        Assert.Equal(botAccess, afterUser.GetCredential(IntegrationCredentialKeys.AccessToken));
        var userKey = $"integration:slack:{integration.Id}:app_user:acct-1:user_access_token";
        Assert.Equal(harness.Fake.CurrentUserToken(), (await harness.Cache.GetAsync(userKey))?.Token);

        // The bot token never expired: it is used as is, and its refresh token was not spent.
        var bot = await harness.Slack(integration.Id).AuthTestAsync();
        Assert.Equal("U0FAKEBOT1", bot.GetProperty("user_id").GetString());
        Assert.Equal(1, harness.Fake.RefreshCalls);

        harness.Fake.ExpireBotTokens();
        await harness.Slack(integration.Id).AuthTestAsync();

        Assert.Equal(2, harness.Fake.RefreshCalls);
        var afterBot = (await harness.Store.GetAsync(integration.Id))!;
        Assert.Equal(harness.Fake.CurrentBotRefreshToken, afterBot.GetCredential(IntegrationCredentialKeys.RefreshToken));
        Assert.NotEqual(botRefresh, afterBot.GetCredential(IntegrationCredentialKeys.RefreshToken));
        Assert.Equal(afterUser.GetCredential(IntegrationCredentialKeys.UserRefreshToken), afterBot.GetCredential(IntegrationCredentialKeys.UserRefreshToken));
        var user2 = await UserAuthTestAsync(harness, integration.Id);
        Assert.True(user2.GetProperty("ok").GetBoolean());
        Assert.Equal(2, harness.Fake.RefreshCalls);
    }

    [Fact]
    public async Task Send_RotationOff_UsesTheLongLivedTokensAndNeverRefreshes()
    {
        await using var harness = new SlackHarness(fake: o => o.TokenRotation = false);
        var integration = await harness.InstallAsync();
        Assert.Null(integration.GetCredential(IntegrationCredentialKeys.RefreshToken));
        Assert.Null(integration.GetCredential(IntegrationCredentialKeys.ExpiresAt));
        Assert.Null(integration.GetCredential(IntegrationCredentialKeys.UserRefreshToken));
        Assert.StartsWith("xoxb-", integration.GetCredential(IntegrationCredentialKeys.AccessToken), StringComparison.Ordinal);

        for (var day = 0; day < 3; day++)
        {
            harness.Time.Advance(TimeSpan.FromDays(1));
            Assert.True((await harness.Slack(integration.Id).AuthTestAsync()).GetProperty("ok").GetBoolean());
            Assert.True((await UserAuthTestAsync(harness, integration.Id)).GetProperty("ok").GetBoolean());
        }

        Assert.Equal(1, harness.Fake.TokenEndpointCalls); // the install's code exchange only
        Assert.Equal(6, harness.Fake.ApiCalls);
        Assert.Equal(IntegrationStatus.Active, (await harness.Store.GetAsync(integration.Id))!.Status);
    }

    [Fact]
    public async Task Refresh_InvalidRefreshTokenInA200Body_MarksReauthorizationRequired()
    {
        await using var harness = new SlackHarness();
        var integration = await harness.InstallAsync();
        var stored = (await harness.Store.GetAsync(integration.Id))!;
        var credentials = new Dictionary<string, string>(stored.Credentials) { [IntegrationCredentialKeys.RefreshToken] = "xoxe-1-unknown" };
        await harness.Store.UpdateAsync(stored with { Credentials = credentials }, stored.Version);
        harness.Fake.ExpireBotTokens();

        var error = await Assert.ThrowsAsync<ReauthorizationRequiredException>(() => harness.Slack(integration.Id).AuthTestAsync());

        Assert.Equal("invalid_refresh_token", error.Reason);
        Assert.Equal(1, harness.Fake.RefreshCalls);
        Assert.Equal(IntegrationStatus.ReauthorizationRequired, (await harness.Store.GetAsync(integration.Id))!.Status);
        Assert.DoesNotContain("xoxe-1-unknown", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refresh_TokenEndpoint503ThenOk_RetriesAndSucceeds()
    {
        await using var harness = new SlackHarness();
        var integration = await harness.InstallAsync();
        harness.Fake.ExpireBotTokens();
        harness.Fake.FailNextTokenRequests(1, 503);

        var result = await harness.Slack(integration.Id).AuthTestAsync();

        Assert.True(result.GetProperty("ok").GetBoolean());
        Assert.Equal(2, harness.Fake.RefreshCalls);
        Assert.Equal(IntegrationStatus.Active, (await harness.Store.GetAsync(integration.Id))!.Status);
    }
}
