using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Scoutflo.Http.Integrations.Tests.TestSupport;

namespace Scoutflo.Http.Integrations.Tests.OAuth;

/// <summary>The refresh path against the Atlassian fake (rotating refresh tokens, leeway 0).</summary>
public class OAuthRefreshTests
{
    [Fact]
    public async Task Send_AccessTokenRefusedBy401_RefreshesOnceAndRetriesWithTheBodyIntact()
    {
        await using var harness = new AtlassianHarness();
        var (integration, jira) = await harness.InstallAndCallOnceAsync();

        var body = new { fields = new { project = new { key = "SCOUT" }, summary = "Created after a refresh", issuetype = new { name = "Task" } } };
        using var response = await jira.HttpClient.PostAsJsonAsync("rest/api/3/issue", body);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(1, harness.Fake.RefreshCalls);
        var posts = harness.Fake.ApiRequests.Where(r => r.Method == "POST").ToList();
        Assert.Equal(2, posts.Count); // the refused one, then the retry
        Assert.All(posts, p => Assert.Equal(JsonSerializer.Serialize(body, JsonSerializerOptions.Web), p.Body));
        Assert.NotEqual(posts[0].Headers["Authorization"], posts[1].Headers["Authorization"]);
    }

    [Fact]
    public async Task Send_TokenExpiredByTheClock_RefreshesBeforeSendingWithoutA401()
    {
        await using var harness = new AtlassianHarness();
        var (integration, jira) = await harness.InstallAndCallOnceAsync(refuseToken: false);

        harness.Time.Advance(TimeSpan.FromMinutes(59.5)); // inside the 60 s skew of the 1 h token
        await jira.GetMyselfAsync();

        Assert.Equal(1, harness.Fake.RefreshCalls);
        Assert.Equal(1, harness.Fake.ApiCalls);
    }

    [Fact]
    public async Task Send_ValidCachedToken_CallsNothingButTheApi()
    {
        await using var harness = new AtlassianHarness();
        var integration = await harness.InstallAsync();
        var jira = harness.Jira(integration.Id);
        harness.Fake.ResetCounters();

        for (var i = 0; i < 5; i++)
        {
            await jira.GetMyselfAsync();
        }

        Assert.Equal(0, harness.Fake.TokenEndpointCalls);
        Assert.Equal(5, harness.Fake.ApiCalls);
    }

    [Fact]
    public async Task Send_200ConcurrentCallsOnARefusedToken_CallTheTokenEndpointOnce()
    {
        await using var harness = new AtlassianHarness();
        var (integration, jira) = await harness.InstallAndCallOnceAsync();

        var calls = Enumerable.Range(0, 200).Select(_ => jira.GetMyselfAsync()).ToList();
        var users = await Task.WhenAll(calls);

        Assert.All(users, u => Assert.Equal(harness.Fake.ConsentingAccountId, u.AccountId));
        Assert.Equal(1, harness.Fake.TokenEndpointCalls);
        Assert.False(harness.Fake.IsGrantRevoked(harness.Fake.ConsentingAccountId));
    }

    [Fact]
    public async Task Send_ScopeDoesNotMatch401_IsReturnedAsIsWithoutARefresh()
    {
        await using var harness = new AtlassianHarness();
        var (integration, jira) = await harness.InstallAndCallOnceAsync(refuseToken: false);

        // The default Jira scopes do not include the service-desk scope this route requires.
        using var response = await jira.HttpClient.GetAsync("rest/servicedeskapi/servicedesk");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("scope does not match", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, harness.Fake.TokenEndpointCalls);
        Assert.Equal(1, harness.Fake.ApiCalls);
    }

    [Fact]
    public async Task Send_Second401AfterTheRefresh_IsReturnedAfterExactlyOneRefresh()
    {
        await using var harness = new AtlassianHarness();
        var (integration, jira) = await harness.InstallAndCallOnceAsync(refuseToken: false);
        harness.Fake.FailNextApiRequests(5, 401);

        using var response = await jira.HttpClient.GetAsync("rest/api/3/myself");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(1, harness.Fake.RefreshCalls);
        Assert.Equal(2, harness.Fake.ApiRequests.Count);
    }

    [Fact]
    public async Task Send_RefreshOnUnauthorizedOff_Returns401WithoutRefreshing()
    {
        await using var harness = new AtlassianHarness(services: s => s.AddHttpClient("no-retry").AddIntegrationAuth(o => o.RefreshOnUnauthorized = false));
        var integration = await harness.InstallAsync();
        harness.Fake.ExpireAccessTokens();
        harness.Fake.ResetCounters();
        var client = harness.Services.GetRequiredService<IHttpClientFactory>().CreateClient("no-retry");

        using var request = new HttpRequestMessage(HttpMethod.Get, "rest/api/3/myself").SetIntegrationId(integration.Id);
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, harness.Fake.TokenEndpointCalls);
    }

    [Fact]
    public async Task Send_UnbufferableStreamBody_Returns401AsIsButRefreshesForTheNextCall()
    {
        await using var harness = new AtlassianHarness();
        var (integration, jira) = await harness.InstallAndCallOnceAsync();

        // A stream whose length is unknown cannot be buffered safely, so it cannot be replayed.
        var payload = """{"fields":{"project":{"key":"SCOUT"},"summary":"streamed","issuetype":{"name":"Task"}}}"""u8.ToArray();
        using var content = new StreamContent(new NonSeekableStream(payload));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var response = await jira.HttpClient.PostAsync("rest/api/3/issue", content);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(1, harness.Fake.RefreshCalls);
        await jira.GetMyselfAsync();
        Assert.Equal(1, harness.Fake.RefreshCalls);
    }

    [Fact]
    public async Task Send_SmallStreamBodyWithKnownLength_IsBufferedAndReplayed()
    {
        await using var harness = new AtlassianHarness();
        var (integration, jira) = await harness.InstallAndCallOnceAsync();

        var payload = """{"fields":{"project":{"key":"SCOUT"},"summary":"buffered","issuetype":{"name":"Task"}}}"""u8.ToArray();
        using var content = new StreamContent(new MemoryStream(payload));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var response = await jira.HttpClient.PostAsync("rest/api/3/issue", content);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(System.Text.Encoding.UTF8.GetString(payload), harness.Fake.ApiRequests.Last().Body);
    }

    [Fact]
    public async Task Refresh_InvalidGrant_MarksReauthorizationRequiredAndFailsFastAfterwards()
    {
        await using var harness = new AtlassianHarness();
        var integration = await harness.InstallAsync();
        var jira = harness.Jira(integration.Id);
        await jira.GetMyselfAsync();
        harness.Fake.RevokeGrant(harness.Fake.ConsentingAccountId);
        harness.Fake.ResetCounters();

        var first = await Assert.ThrowsAsync<ReauthorizationRequiredException>(() => jira.GetMyselfAsync());
        Assert.Equal("integration_reauthorization_required", first.ErrorCode);
        Assert.Equal("invalid_grant", first.Reason);
        Assert.Equal(1, harness.Fake.TokenEndpointCalls);
        Assert.Equal(IntegrationStatus.ReauthorizationRequired, (await harness.Store.GetAsync(integration.Id))!.Status);

        for (var i = 0; i < 3; i++)
        {
            var again = await Assert.ThrowsAsync<ReauthorizationRequiredException>(() => harness.Jira(integration.Id).GetMyselfAsync());
            Assert.Equal("integration_reauthorization_required", again.ErrorCode);
        }

        Assert.Equal(1, harness.Fake.TokenEndpointCalls);
        Assert.Equal(1, harness.Fake.ApiCalls);
    }

    [Fact]
    public async Task Reinstall_AfterReauthorizationRequired_ReactivatesTheSameIntegration()
    {
        await using var harness = new AtlassianHarness();
        var integration = await harness.InstallAsync();
        harness.Fake.RevokeGrant(harness.Fake.ConsentingAccountId);
        harness.Fake.ExpireAccessTokens();
        await Assert.ThrowsAsync<ReauthorizationRequiredException>(() => harness.Jira(integration.Id).GetMyselfAsync());

        var reinstalled = await harness.InstallAsync();

        Assert.Equal(integration.Id, reinstalled.Id);
        Assert.Equal(IntegrationStatus.Active, reinstalled.Status);
        var me = await harness.Jira(integration.Id).GetMyselfAsync();
        Assert.Equal(harness.Fake.ConsentingAccountId, me.AccountId);
    }

    [Fact]
    public async Task Refresh_TokenEndpoint503ThenOk_RetriesAndSucceeds()
    {
        await using var harness = new AtlassianHarness();
        var integration = await harness.InstallAsync();
        harness.Fake.ExpireAccessTokens();
        harness.Fake.ResetCounters();
        harness.Fake.FailNextTokenRequests(2, 503);

        await harness.Jira(integration.Id).GetMyselfAsync();

        Assert.Equal(3, harness.Fake.TokenEndpointCalls);
        Assert.Equal(IntegrationStatus.Active, (await harness.Store.GetAsync(integration.Id))!.Status);
    }

    [Fact]
    public async Task Refresh_TokenEndpointKeepsFailing_ThrowsAClearErrorAndCachesNothing()
    {
        await using var harness = new AtlassianHarness();
        var integration = await harness.InstallAsync();
        harness.Fake.ExpireAccessTokens();
        harness.Fake.ResetCounters();
        harness.Fake.FailNextTokenRequests(3, 500);

        var error = await Assert.ThrowsAsync<OAuthTokenRequestException>(() => harness.Jira(integration.Id).GetMyselfAsync());

        Assert.Equal("oauth_token_endpoint_unavailable", error.ErrorCode);
        Assert.Equal(3, harness.Fake.TokenEndpointCalls); // 1 + TokenRequestRetries (2)
        Assert.Equal(IntegrationStatus.Active, (await harness.Store.GetAsync(integration.Id))!.Status);

        // The failure was not cached: the next call refreshes (the endpoint works again) and succeeds.
        await harness.Jira(integration.Id).GetMyselfAsync();
        Assert.Equal(4, harness.Fake.TokenEndpointCalls);
    }

    [Fact]
    public async Task Refresh_PersistsTheRotatedRefreshTokenBeforeUse()
    {
        await using var harness = new AtlassianHarness();
        var integration = await harness.InstallAsync();
        var before = integration.GetCredential(IntegrationCredentialKeys.RefreshToken);
        harness.Fake.ExpireAccessTokens();

        await harness.Jira(integration.Id).GetMyselfAsync();

        var stored = await harness.Store.GetAsync(integration.Id);
        var after = stored!.GetCredential(IntegrationCredentialKeys.RefreshToken);
        Assert.NotEqual(before, after);
        Assert.Equal(harness.Fake.CurrentRefreshToken(harness.Fake.ConsentingAccountId), after);
        Assert.True(stored.Version > integration.Version);
    }

    private sealed class NonSeekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
