using System.Globalization;
using System.Text.Json.Nodes;
using Scoutflo.Http.Integrations.OAuth.Internal;
using Scoutflo.Http.Integrations.Tests.TestSupport;

namespace Scoutflo.Http.Integrations.Tests.OAuth;

/// <summary>
/// A token response is hostile input: a token type the library cannot send as Bearer, or a
/// lifetime that is missing, odd or absurd, has a documented outcome, never a raw exception and
/// never a token sent the wrong way.
/// </summary>
public sealed class TokenResponseValidationTests
{
    [Theory]
    [InlineData("mac")]
    [InlineData("Basic")]
    [InlineData("bearer2")]
    [InlineData("")]
    [InlineData("bot")] // Slack's word, not Atlassian's
    public async Task AtlassianRefresh_TokenTypeNotBearer_IsInvalidAndTheTokenIsNeverSent(string tokenType)
    {
        await using var harness = new AtlassianHarness();
        var (integration, jira) = await harness.InstallAndCallOnceAsync();
        string? issued = null;
        harness.Fake.EditNextTokenResponses(1, body =>
        {
            body["token_type"] = tokenType;
            issued = body["access_token"]!.GetValue<string>();
        });

        var error = await Assert.ThrowsAsync<OAuthTokenRequestException>(() => jira.GetMyselfAsync());

        Assert.Equal(IntegrationErrorCodes.TokenResponseInvalid, error.ErrorCode);
        Assert.NotNull(issued);
        Assert.DoesNotContain(harness.Fake.ApiRequests, r => r.Headers.TryGetValue("Authorization", out var value) && value.Contains(issued, StringComparison.Ordinal));
        Assert.NotEqual(issued, (await harness.Store.GetAsync(integration.Id))!.GetCredential(IntegrationCredentialKeys.AccessToken));
    }

    [Theory]
    [InlineData("bearer")]
    [InlineData("BEARER")]
    [InlineData("Bearer")]
    [InlineData(null)] // absent: taken as bearer
    public async Task AtlassianRefresh_TokenTypeBearerInAnyCaseOrAbsent_IsUsed(string? tokenType)
    {
        await using var harness = new AtlassianHarness();
        var (_, jira) = await harness.InstallAndCallOnceAsync();
        harness.Fake.EditNextTokenResponses(1, body =>
        {
            if (tokenType is null)
            {
                body.Remove("token_type");
            }
            else
            {
                body["token_type"] = tokenType;
            }
        });

        await jira.GetMyselfAsync();

        Assert.Equal(1, harness.Fake.RefreshCalls);
    }

    [Fact]
    public async Task AtlassianCodeExchange_TokenTypeNotBearer_IsInvalid()
    {
        await using var harness = new AtlassianHarness();
        var callback = await harness.ConsentAsync();
        harness.Fake.EditNextTokenResponses(1, body => body["token_type"] = "mac");

        var error = await Assert.ThrowsAsync<OAuthTokenRequestException>(() => harness.Install.HandleCallbackAsync(IntegrationProviders.Jira, callback));

        Assert.Equal(IntegrationErrorCodes.TokenResponseInvalid, error.ErrorCode);
        Assert.Equal(0, harness.Fake.AccessibleResourcesCalls); // the token was not used for anything
    }

    [Theory]
    [InlineData("top")]
    [InlineData("authed_user")]
    public async Task SlackCodeExchange_TokenTypeNeitherBotNorUserNorBearer_IsInvalid(string where)
    {
        await using var harness = new SlackHarness();
        var (_, callback) = await harness.ConsentAsync();
        harness.Fake.EditNextTokenResponses(1, body => (where == "top" ? body : body["authed_user"]!.AsObject())["token_type"] = "mac");

        var error = await Assert.ThrowsAsync<OAuthTokenRequestException>(() => harness.Install.HandleCallbackAsync(IntegrationProviders.Slack, callback));

        Assert.Equal(IntegrationErrorCodes.TokenResponseInvalid, error.ErrorCode);
    }

    [Theory]
    [InlineData("mac", false)]
    [InlineData("BOT", true)]
    [InlineData("bearer", true)]
    public async Task SlackRefresh_TokenType_OnlySlacksOwnWordsOrBearerAreUsed(string tokenType, bool accepted)
    {
        await using var harness = new SlackHarness();
        var integration = await harness.InstallAsync();
        var slack = harness.Slack(integration.Id);
        await slack.AuthTestAsync();
        harness.Fake.ExpireBotTokens();
        harness.Fake.EditNextTokenResponses(1, body => body["token_type"] = tokenType);

        if (accepted)
        {
            await slack.AuthTestAsync();
        }
        else
        {
            var error = await Assert.ThrowsAsync<OAuthTokenRequestException>(() => slack.AuthTestAsync());
            Assert.Equal(IntegrationErrorCodes.TokenResponseInvalid, error.ErrorCode);
        }
    }

    [Theory]
    [InlineData("token_type", "mac", false)]
    [InlineData("tokenType", "mac", false)]
    [InlineData("tokenType", "bearer", true)]
    public async Task SentryRefresh_TokenTypeWhenPresent_MustBeBearer(string field, string tokenType, bool accepted)
    {
        await using var harness = new SentryHarness();
        var integration = await harness.InstallAsync();
        await harness.Sentry(integration.Id).GetOrganizationsAsync();
        harness.Fake.ExpireTokens();
        harness.Fake.EditNextTokenResponses(1, body => body[field] = tokenType);

        if (accepted)
        {
            await harness.Sentry(integration.Id).GetOrganizationsAsync();
        }
        else
        {
            var error = await Assert.ThrowsAsync<OAuthTokenRequestException>(() => harness.Sentry(integration.Id).GetOrganizationsAsync());
            Assert.Equal(IntegrationErrorCodes.TokenResponseInvalid, error.ErrorCode);
        }
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("\"3600\"")]
    [InlineData("true")]
    [InlineData("{}")]
    [InlineData("0.4")] // less than a second
    public async Task AtlassianRefresh_ExpiresInUnusable_IsInvalid(string json)
    {
        await using var harness = new AtlassianHarness();
        var (_, jira) = await harness.InstallAndCallOnceAsync();
        harness.Fake.EditNextTokenResponses(1, body => body["expires_in"] = JsonNode.Parse(json));

        var error = await Assert.ThrowsAsync<OAuthTokenRequestException>(() => jira.GetMyselfAsync());

        Assert.Equal(IntegrationErrorCodes.TokenResponseInvalid, error.ErrorCode);
    }

    [Theory]
    [InlineData("3599.7", 3599)] // a fraction is cut to whole seconds
    [InlineData("1e14", -1)] // absurd: capped
    [InlineData("1e400", -1)] // beyond a double: capped
    [InlineData("9223372036854775807", -1)]
    [InlineData("null", 0)] // as if absent
    [InlineData(null, 0)] // absent: the stored record keeps no expiry; the token is trusted for an hour
    public async Task AtlassianRefresh_ExpiresInOddButUsable_GivesABoundedLifetime(string? json, long expectedSeconds)
    {
        await using var harness = new AtlassianHarness();
        var (integration, jira) = await harness.InstallAndCallOnceAsync();
        harness.Fake.EditNextTokenResponses(1, body =>
        {
            if (json is null)
            {
                body.Remove("expires_in");
            }
            else
            {
                body["expires_in"] = JsonNode.Parse(json);
            }
        });
        var now = harness.Time.GetUtcNow();

        await jira.GetMyselfAsync();

        var stored = (await harness.Store.GetAsync(integration.Id))!.GetCredential(IntegrationCredentialKeys.ExpiresAt);
        var expected = expectedSeconds switch
        {
            -1 => now + OAuthJson.MaxTokenLifetime,
            0 => (DateTimeOffset?)null,
            _ => now.AddSeconds(expectedSeconds),
        };
        Assert.Equal(expected, stored is null ? (DateTimeOffset?)null : DateTimeOffset.Parse(stored, CultureInfo.InvariantCulture));
        Assert.Equal(1, harness.Fake.RefreshCalls);
    }

    [Fact]
    public async Task SlackRefresh_ExpiresInAbsurd_IsCapped()
    {
        await using var harness = new SlackHarness();
        var integration = await harness.InstallAsync();
        var slack = harness.Slack(integration.Id);
        await slack.AuthTestAsync();
        harness.Fake.ExpireBotTokens();
        harness.Fake.EditNextTokenResponses(1, body => body["expires_in"] = JsonNode.Parse("1e14"));
        var now = harness.Time.GetUtcNow();

        await slack.AuthTestAsync();

        var stored = (await harness.Store.GetAsync(integration.Id))!.GetCredential(IntegrationCredentialKeys.ExpiresAt);
        Assert.Equal(now + OAuthJson.MaxTokenLifetime, DateTimeOffset.Parse(stored!, CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("unparseable", false)]
    [InlineData("past", false)]
    [InlineData("now", false)]
    [InlineData("number", false)]
    [InlineData("far", true)]
    [InlineData("absent", true)]
    public async Task SentryRefresh_ExpiresAt_HasADocumentedOutcome(string kind, bool accepted)
    {
        await using var harness = new SentryHarness();
        var integration = await harness.InstallAsync();
        await harness.Sentry(integration.Id).GetOrganizationsAsync();
        harness.Fake.ExpireTokens();
        var now = harness.Time.GetUtcNow();
        harness.Fake.EditNextTokenResponses(1, body =>
        {
            switch (kind)
            {
                case "unparseable": body["expiresAt"] = "next tuesday"; break;
                case "past": body["expiresAt"] = now.AddHours(-1).ToString("O", CultureInfo.InvariantCulture); break;
                case "now": body["expiresAt"] = now.ToString("O", CultureInfo.InvariantCulture); break;
                case "number": body["expiresAt"] = 1_800_000_000; break;
                case "far": body["expiresAt"] = "9999-12-31T23:59:59Z"; break;
                default: body.Remove("expiresAt"); break;
            }
        });

        if (!accepted)
        {
            var error = await Assert.ThrowsAsync<OAuthTokenRequestException>(() => harness.Sentry(integration.Id).GetOrganizationsAsync());
            Assert.Equal(IntegrationErrorCodes.TokenResponseInvalid, error.ErrorCode);
            return;
        }

        await harness.Sentry(integration.Id).GetOrganizationsAsync();
        var stored = (await harness.Store.GetAsync(integration.Id))!.GetCredential(IntegrationCredentialKeys.ExpiresAt);
        DateTimeOffset? expected = kind == "far" ? now + OAuthJson.MaxTokenLifetime : null;
        Assert.Equal(expected, stored is null ? null : DateTimeOffset.Parse(stored, CultureInfo.InvariantCulture));
    }
}
