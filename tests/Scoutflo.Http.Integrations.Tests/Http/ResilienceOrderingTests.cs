using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Scoutflo.Http.Integrations.Http.Internal;
using Scoutflo.Http.Integrations.Tests.TestSupport;

namespace Scoutflo.Http.Integrations.Tests.Http;

/// <summary>
/// A resilience handler added after the auth handler (<c>AddJiraClient(id).AddStandardResilienceHandler()</c>)
/// sits inside it and sends the same request again: each attempt must carry the current token.
/// </summary>
public sealed class ResilienceOrderingTests
{
    [Fact]
    public async Task RetriedAttempt_TokenRotatedByAnotherCallerBetweenAttempts_CarriesTheCurrentToken()
    {
        AtlassianHarness? current = null;
        string? integrationId = null;
        await using var harness = current = new AtlassianHarness(services: s => s
            .AddHttpClient("resilient")
            .AddIntegrationAuth()
            .AddResilienceHandler("retry", pipeline => pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = 1,
                Delay = TimeSpan.Zero,
                OnRetry = async _ =>
                {
                    // Between the attempts another caller finds the token refused and refreshes it.
                    current!.Fake.ExpireAccessTokens();
                    await current.Jira(integrationId!).GetMyselfAsync();
                },
            })));
        var (integration, _) = await harness.InstallAndCallOnceAsync(refuseToken: false);
        integrationId = integration.Id;
        harness.Fake.FailNextApiRequests(1, 503);
        var client = harness.Services.GetRequiredService<IHttpClientFactory>().CreateClient("resilient");

        using var request = new HttpRequestMessage(HttpMethod.Get, "rest/api/3/myself").SetIntegrationId(integration.Id);
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = harness.Fake.ApiRequests.Select(r => r.Headers["Authorization"]).ToList();
        Assert.Equal(4, sent.Count); // 503 (old token); the other caller's 401 and its retry; our retry
        var rotated = "Bearer " + (await harness.Store.GetAsync(integration.Id))!.GetCredential(IntegrationCredentialKeys.AccessToken);
        Assert.NotEqual(rotated, sent[0]);
        Assert.Equal(rotated, sent[3]);
        Assert.Equal(1, harness.Fake.RefreshCalls); // the retry did not meet a 401 and refresh again
    }

    [Fact]
    public async Task Pipeline_OnlyAClientWithHandlersInsideTheAuthHandler_GetsTheReattachStep()
    {
        await using var harness = new AtlassianHarness(services: s =>
        {
            s.AddHttpClient("plain").AddIntegrationAuth();
            s.AddHttpClient("resilient").AddIntegrationAuth().AddStandardResilienceHandler();
        });
        var (integration, _) = await harness.InstallAndCallOnceAsync(refuseToken: false);
        var factory = harness.Services.GetRequiredService<IHttpClientFactory>();

        using var plain = new HttpRequestMessage(HttpMethod.Get, "rest/api/3/myself").SetIntegrationId(integration.Id);
        using var resilient = new HttpRequestMessage(HttpMethod.Get, "rest/api/3/myself").SetIntegrationId(integration.Id);
        (await factory.CreateClient("plain").SendAsync(plain)).EnsureSuccessStatusCode();
        (await factory.CreateClient("resilient").SendAsync(resilient)).EnsureSuccessStatusCode();

        // The default pipeline pays nothing for it: the auth handler is innermost there.
        Assert.False(plain.Options.TryGetValue(CredentialReapplyHandler.CredentialsKey, out _));
        Assert.True(resilient.Options.TryGetValue(CredentialReapplyHandler.CredentialsKey, out _));
    }

    [Fact]
    public async Task StandardResilienceHandler_InsideTheAuthHandler_Retries503WithoutRefreshing()
    {
        await using var harness = new AtlassianHarness(services: s => s
            .AddHttpClient("standard")
            .AddIntegrationAuth()
            .AddStandardResilienceHandler(o => o.Retry.Delay = TimeSpan.Zero));
        var (integration, _) = await harness.InstallAndCallOnceAsync(refuseToken: false);
        harness.Fake.FailNextApiRequests(2, 503);
        var client = harness.Services.GetRequiredService<IHttpClientFactory>().CreateClient("standard");

        using var request = new HttpRequestMessage(HttpMethod.Get, "rest/api/3/myself").SetIntegrationId(integration.Id);
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, harness.Fake.ApiCalls);
        Assert.Single(harness.Fake.ApiRequests.Select(r => r.Headers["Authorization"]).Distinct());
        Assert.Equal(0, harness.Fake.TokenEndpointCalls);
    }

    [Fact]
    public async Task StandardResilienceHandler_OutsideTheAuthHandler_EachAttemptPassesTheAuthHandler()
    {
        await using var harness = new AtlassianHarness(services: s => s
            .AddHttpClient("outer")
            .AddStandardResilienceHandler(o => o.Retry.Delay = TimeSpan.Zero)
            .Services.AddHttpClient("outer")
            .AddIntegrationAuth());
        var (integration, _) = await harness.InstallAndCallOnceAsync(refuseToken: false);
        harness.Fake.FailNextApiRequests(1, 503);
        var client = harness.Services.GetRequiredService<IHttpClientFactory>().CreateClient("outer");

        using var request = new HttpRequestMessage(HttpMethod.Get, "rest/api/3/myself").SetIntegrationId(integration.Id);
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, harness.Fake.ApiCalls);
        Assert.All(harness.Fake.ApiRequests, r => Assert.StartsWith($"/ex/jira/{harness.Fake.Sites[0].Id}/", r.Path, StringComparison.Ordinal));
    }
}
