using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Scoutflo.Http.Integrations.OAuth.Internal;
using Scoutflo.Http.Integrations.Telemetry;
using Scoutflo.Http.Integrations.Tests.TestSupport;

namespace Scoutflo.Http.Integrations.Tests.OAuth;

/// <summary>
/// Text a provider sends back (error, error_description, detail) is hostile input: a secret of
/// the request echoed in it never reaches an exception, a log line or a span.
/// </summary>
public sealed class ProviderTextScrubbingTests
{
    [Fact]
    public async Task AtlassianCodeExchange_ProviderEchoesTheCode_NoExceptionLogOrSpanCarriesIt()
    {
        using var spans = new SpanCollector();
        await using var harness = new AtlassianHarness(services: Logging);
        harness.Fake.EchoRefusedGrant = true;
        var callback = await harness.ConsentAsync();
        var forged = new OAuthCallback { Code = "atl_code_forged_" + Guid.NewGuid().ToString("N"), State = callback.State };

        var error = await Assert.ThrowsAsync<OAuthTokenRequestException>(() => harness.Install.HandleCallbackAsync(IntegrationProviders.Jira, forged));

        Assert.Equal(IntegrationErrorCodes.TokenRequestFailed, error.ErrorCode);
        Assert.Contains("Invalid authorization code", error.Message, StringComparison.Ordinal); // the useful part stays
        Assert.Contains(ProviderText.Redacted, error.Message, StringComparison.Ordinal);
        AssertNowhere(forged.Code, error, harness, spans);
        AssertNowhere(harness.Fake.ClientSecret, error, harness, spans);
    }

    [Fact]
    public async Task AtlassianRefresh_ProviderEchoesTheRefreshToken_NoExceptionLogOrSpanCarriesIt()
    {
        using var spans = new SpanCollector();
        await using var harness = new AtlassianHarness(services: Logging);
        var (integration, jira) = await harness.InstallAndCallOnceAsync();
        var refreshToken = (await harness.Store.GetAsync(integration.Id))!.GetCredential(IntegrationCredentialKeys.RefreshToken)!;
        harness.Fake.EchoRefusedGrant = true;
        harness.Fake.RevokeGrant(harness.Fake.ConsentingAccountId);

        var error = await Assert.ThrowsAsync<ReauthorizationRequiredException>(() => jira.GetMyselfAsync());

        AssertNowhere(refreshToken, error, harness, spans);
    }

    [Fact]
    public async Task SentryCodeExchange_ProviderEchoesTheCodeInDetail_NoExceptionLogOrSpanCarriesIt()
    {
        using var spans = new SpanCollector();
        await using var harness = new SentryHarness(services: Logging);
        harness.Fake.EchoRefusedGrant = true;
        var (_, callback, _) = await harness.ConsentAsync();
        var forged = new OAuthCallback
        {
            Code = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()),
            State = callback.State,
            InstallationId = callback.InstallationId,
            OrganizationSlug = callback.OrganizationSlug,
        };

        var error = await Assert.ThrowsAsync<OAuthTokenRequestException>(() => harness.Install.HandleCallbackAsync(IntegrationProviders.Sentry, forged));

        Assert.Contains("Could not find grant", error.Message, StringComparison.Ordinal);
        AssertNowhere(forged.Code, error, harness, spans);
    }

    [Fact]
    public async Task SlackRefresh_ProviderEchoesTheRefreshTokenInItsErrorCode_NoExceptionLogOrSpanCarriesIt()
    {
        using var spans = new SpanCollector();
        await using var harness = new SlackHarness(services: Logging);
        var integration = await harness.InstallAsync();
        var slack = harness.Slack(integration.Id);
        await slack.AuthTestAsync();
        var refreshToken = (await harness.Store.GetAsync(integration.Id))!.GetCredential(IntegrationCredentialKeys.RefreshToken)!;
        harness.Fake.ExpireBotTokens();
        harness.Fake.EditNextTokenResponses(1, body =>
        {
            body.Clear();
            body["ok"] = false;
            body["error"] = "invalid_refresh_token:" + refreshToken;
        });

        var error = await Assert.ThrowsAnyAsync<IntegrationException>(() => slack.AuthTestAsync());

        AssertNowhere(refreshToken, error, harness, spans);
        AssertNowhere(harness.Fake.ClientSecret, error, harness, spans);
    }

    [Fact]
    public async Task HandleCallback_ErrorDescriptionEchoesTheState_IsScrubbedAndCapped()
    {
        await using var harness = new AtlassianHarness();
        var callback = await harness.ConsentAsync();
        var denied = new OAuthCallback
        {
            State = callback.State,
            Error = "access_denied",
            ErrorDescription = $"The user said no to {callback.State}\r\nInjected: log line" + new string('x', 5000),
        };

        var error = await Assert.ThrowsAsync<IntegrationException>(() => harness.Install.HandleCallbackAsync(IntegrationProviders.Jira, denied));

        Assert.Equal(IntegrationErrorCodes.AuthorizationDenied, error.ErrorCode);
        Assert.Contains("The user said no to", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(callback.State!, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(error.Message, c => char.IsControl(c));
        Assert.True(error.Message.Length < 400, $"{error.Message.Length} characters");
    }

    [Fact]
    public void Clean_SecretsInEveryForm_AreReplacedAndTheTextIsCapped()
    {
        const string secret = "rt/secret+value=with spaces&more-0123456789";
        var request = new TokenRequest("jira", new Uri("https://auth.example/token"),
        [
            new("grant_type", "refresh_token"),
            new("client_id", "app-id"),
            new("refresh_token", secret),
        ], TokenRequestFormat.Form, ("app-id", "client-secret-value-0123"));

        var raw = ProviderText.Clean($"bad token {secret}!", request);
        var escaped = ProviderText.Clean($"bad token {Uri.EscapeDataString(secret)}", request);
        var form = ProviderText.Clean($"bad token {System.Net.WebUtility.UrlEncode(secret)}", request);
        var basic = ProviderText.Clean("client " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("app-id:client-secret-value-0123")) + " refused", request);
        var truncated = ProviderText.Clean($"token {secret[..20]}… refused; secret client-secret-va", request);
        var controls = ProviderText.Clean("line one\r\nline two\u0000\u001b[31m", request);
        var longText = ProviderText.Clean(new string('x', 5000), request);

        Assert.Equal($"bad token {ProviderText.Redacted}!", raw);
        Assert.DoesNotContain(Uri.EscapeDataString(secret), escaped, StringComparison.Ordinal);
        Assert.DoesNotContain(System.Net.WebUtility.UrlEncode(secret), form, StringComparison.Ordinal);
        Assert.DoesNotContain("client-secret-value", basic, StringComparison.Ordinal);
        Assert.DoesNotContain("YXBwLWlk", basic, StringComparison.Ordinal);
        Assert.DoesNotContain(secret[..20], truncated, StringComparison.Ordinal);
        Assert.DoesNotContain("client-secret-va", truncated, StringComparison.Ordinal);
        Assert.DoesNotContain(controls!, c => char.IsControl(c));
        Assert.True(longText!.Length <= ProviderText.MaxLength + 1, $"{longText.Length} characters");
        Assert.Null(ProviderText.Clean(null, request));
        Assert.Equal("invalid_grant", ProviderText.Clean("invalid_grant", request));
    }

    private static void Logging(IServiceCollection services) => services
        .AddFakeLogging(o => o.CollectRecordsForDisabledLogLevels = true)
        .AddLogging(b => b.SetMinimumLevel(LogLevel.Trace));

    private static void AssertNowhere(string secret, Exception error, LibraryHarness harness, SpanCollector spans)
    {
        Assert.DoesNotContain(secret, error.ToString(), StringComparison.Ordinal);
        if (error is OAuthTokenRequestException { ProviderError: { } providerError })
        {
            Assert.DoesNotContain(secret, providerError, StringComparison.Ordinal);
        }

        foreach (var record in harness.Services.GetFakeLogCollector().GetSnapshot())
        {
            var text = string.Join("\n", [
                record.Message,
                .. record.StructuredState?.Select(kv => kv.Key + "=" + kv.Value) ?? [],
                record.Exception?.ToString() ?? string.Empty]);
            Assert.False(text.Contains(secret, StringComparison.Ordinal), $"log {record.Id}: {text.Replace(secret, "<<SECRET>>", StringComparison.Ordinal)}");
        }

        foreach (var activity in spans.Stopped)
        {
            var text = string.Join("\n", [
                activity.StatusDescription ?? string.Empty,
                .. activity.TagObjects.Select(t => t.Key + "=" + t.Value),
                .. activity.Events.SelectMany(e => e.Tags.Select(t => t.Key + "=" + t.Value))]);
            Assert.False(text.Contains(secret, StringComparison.Ordinal), $"span {activity.OperationName}: {text}");
        }
    }

    /// <summary>Every span of the library's source (other tests' too: more to check, never fewer).</summary>
    private sealed class SpanCollector : IDisposable
    {
        private readonly ActivityListener _listener;

        public SpanCollector()
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == IntegrationsActivities.SourceName,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = Stopped.Enqueue,
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public ConcurrentQueue<Activity> Stopped { get; } = new();

        public void Dispose() => _listener.Dispose();
    }
}
