using System.Net;
using Microsoft.Extensions.DependencyInjection;
using RichardSzalay.MockHttp;
using Scoutflo.Http.Integrations.Tests.TestSupport;

namespace Scoutflo.Http.Integrations.Tests.Providers.Slack;

/// <summary>SlackClient with a bot token (no rotation): Web API methods under the default API base.</summary>
public sealed class SlackClientTests : IDisposable
{
    private const string Id = "66ff000000000000000000a1";
    private const string BotToken = "xoxb-SECRET-1234-5678";

    private readonly MockHttpMessageHandler _slack = new();

    public void Dispose() => _slack.Dispose();

    [Fact]
    public async Task PostMessageAsync_BotToken_PostsJsonToChatPostMessageAndReturnsSlacksBody()
    {
        _slack.Expect(HttpMethod.Post, "https://slack.com/api/chat.postMessage")
            .WithHeaders("Authorization", "Bearer " + BotToken)
            .WithJsonContent(new { channel = "C024BE91L", text = "Deploy finished" })
            .Respond("application/json", """{"ok":true,"channel":"C024BE91L","ts":"1503435956.000247","message":{"text":"Deploy finished"}}""");
        await using var services = await BuildAsync();

        var body = await services.GetRequiredService<SlackClient>().PostMessageAsync("C024BE91L", "Deploy finished");

        Assert.True(body.GetProperty("ok").GetBoolean());
        Assert.Equal("1503435956.000247", body.GetProperty("ts").GetString());
        _slack.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task AuthTestAsync_SlackErrorInA200_ReturnsTheBodyForTheCaller()
    {
        _slack.Expect(HttpMethod.Post, "https://slack.com/api/auth.test")
            .WithHeaders("Authorization", "Bearer " + BotToken)
            .Respond(HttpStatusCode.OK, "application/json", """{"ok":false,"error":"invalid_auth"}""");
        await using var services = await BuildAsync();

        var body = await services.GetRequiredService<SlackClient>().AuthTestAsync();

        Assert.False(body.GetProperty("ok").GetBoolean());
        Assert.Equal("invalid_auth", body.GetProperty("error").GetString());
        _slack.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task AddSlackClient_BotAndUserInOneContainer_EachKeyedClientSendsItsOwnTokenAndThePlainOneIsTheBot()
    {
        const string userToken = "xoxp-SECRET-user-9999";
        var bot = _slack.When(HttpMethod.Post, "https://slack.com/api/auth.test").WithHeaders("Authorization", "Bearer " + BotToken)
            .Respond("application/json", """{"ok":true,"user_id":"UBOT"}""");
        var user = _slack.When(HttpMethod.Post, "https://slack.com/api/auth.test").WithHeaders("Authorization", "Bearer " + userToken)
            .Respond("application/json", """{"ok":true,"user_id":"UHUMAN"}""");
        var services = new ServiceCollection();
        services.AddScoutfloIntegrations();
        services.AddSlackClient(Id).ConfigurePrimaryHttpMessageHandler(() => _slack);
        services.AddSlackClient(Id, SlackTokenKind.User).ConfigurePrimaryHttpMessageHandler(() => _slack);
        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<IConnectionManager>().CreateConnectionAsync(new Integration
        {
            Id = Id,
            Provider = IntegrationProviders.Slack,
            AccountId = Records.AccountId,
            AuthType = IntegrationAuthTypes.OAuth2,
            Credentials = new Dictionary<string, string>
            {
                [IntegrationCredentialKeys.AccessToken] = BotToken,
                [IntegrationCredentialKeys.UserAccessToken] = userToken,
            },
            Metadata = new Dictionary<string, string> { [IntegrationMetadataKeys.TeamId] = "T12345" },
        });

        var plain = await provider.GetRequiredService<SlackClient>().AuthTestAsync();
        var keyedBot = await provider.GetRequiredKeyedService<SlackClient>(SlackTokenKind.Bot).AuthTestAsync();
        var keyedUser = await provider.GetRequiredKeyedService<SlackClient>(SlackTokenKind.User).AuthTestAsync();

        Assert.Equal("UBOT", plain.GetProperty("user_id").GetString());
        Assert.Equal("UBOT", keyedBot.GetProperty("user_id").GetString());
        Assert.Equal("UHUMAN", keyedUser.GetProperty("user_id").GetString());
        Assert.Equal(2, _slack.GetMatchCount(bot));
        Assert.Equal(1, _slack.GetMatchCount(user));
    }

    private async Task<ServiceProvider> BuildAsync()
    {
        var services = new ServiceCollection();
        services.AddScoutfloIntegrations();
        services.AddSlackClient(Id).ConfigurePrimaryHttpMessageHandler(() => _slack);
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<IConnectionManager>().CreateConnectionAsync(new Integration
        {
            Id = Id,
            Provider = IntegrationProviders.Slack,
            AccountId = Records.AccountId,
            AuthType = IntegrationAuthTypes.Bearer,
            Credentials = new Dictionary<string, string> { [IntegrationCredentialKeys.Token] = BotToken },
            Metadata = new Dictionary<string, string> { [IntegrationMetadataKeys.TeamId] = "T12345" },
        });
        return provider;
    }
}
