using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using JiraConsumer;
using JiraConsumer.Demo;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Options;
using Scoutflo.Http.Integrations.TestSupport;

namespace JiraConsumer.Tests;

/// <summary>The sample service on a loopback port, driven over HTTP the way a browser drives it.</summary>
public sealed partial class SampleEndToEndTests : IAsyncLifetime
{
    private WebApplication _app = null!;
    private HttpClient _browser = null!;

    public async Task InitializeAsync()
    {
        var url = $"http://127.0.0.1:{LoopbackPorts.Unused()}";
        _app = ConsumerApp.Build([], url);
        await _app.StartAsync();
        _browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(url) };
    }

    public async Task DisposeAsync()
    {
        _browser.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task Demo_WalksTheWholeLifecycle()
    {
        using var output = new StringWriter();

        var succeeded = await LifecycleDemo.RunAsync(_app, output);

        Assert.True(succeeded, output.ToString());
        var text = output.ToString();
        Assert.Contains("oauth_state_replayed", text, StringComparison.Ordinal);
        Assert.Contains("1 refresh", text, StringComparison.Ordinal);
        Assert.Contains("integration_not_found", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_WithSeveralSites_ShowsTheChoiceAndConnectsThePickedSite()
    {
        Assert.Equal(HttpStatusCode.NoContent, (await _browser.PostAsync("/sandbox/sites?count=2", null)).StatusCode);

        var consent = await FollowAsync("/integrations/connect/jira", user: "hank");
        var callback = await FollowAsync(consent.AbsoluteUri);
        using var page = await _browser.GetAsync(callback);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        var handle = HandleField().Match(html).Groups[1].Value;
        var cloudIds = CloudIdField().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(2, cloudIds.Count);
        Assert.Contains("sandbox-site-2", html, StringComparison.Ordinal);

        using var form = new FormUrlEncodedContent([new("handle", handle), new("cloudId", cloudIds[1])]);
        using var picked = await _browser.PostAsync("/integrations/select-site", form);
        Assert.Equal(HttpStatusCode.OK, picked.StatusCode);
        var connection = await picked.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("https://sandbox-site-2.atlassian.net", connection.GetProperty("site").GetString());
        Assert.False(connection.TryGetProperty("credentials", out _));

        var id = connection.GetProperty("integrationId").GetString();
        var me = await _browser.GetFromJsonAsync<JsonElement>($"/integrations/{id}/jira/myself");
        Assert.Equal("Alice Example", me.GetProperty("displayName").GetString());

        using var again = new FormUrlEncodedContent([new("handle", handle), new("cloudId", cloudIds[1])]);
        using var reused = await _browser.PostAsync("/integrations/select-site", again);
        Assert.Equal(HttpStatusCode.BadRequest, reused.StatusCode);
        Assert.Equal("atlassian_site_selection_invalid", (await reused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errorCode").GetString());
    }

    [Fact]
    public async Task Callback_WithATamperedState_IsRefusedWithItsErrorCode()
    {
        var consent = await FollowAsync("/integrations/connect/jira");
        var callback = await FollowAsync(consent.AbsoluteUri);

        using var response = await _browser.GetAsync(callback.AbsolutePath + callback.Query.Replace("state=", "state=x", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("oauth_state_invalid", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errorCode").GetString());
    }

    [Fact]
    public async Task Connect_AccountInTheQueryString_IsIgnoredAndTheSignedInUsersAccountOwnsTheConnection()
    {
        // hank belongs to globex; a caller naming acme in the query string cannot change that.
        var consent = await FollowAsync("/integrations/connect/jira?account=acme&user=dana", user: "hank");
        var callback = await FollowAsync(consent.AbsoluteUri);
        using var response = await _browser.GetAsync(callback);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var connection = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("globex", connection.GetProperty("accountId").GetString());

        using var list = new HttpRequestMessage(HttpMethod.Get, "/integrations/?account=acme");
        list.Headers.Add(DemoIdentity.UserHeader, "dana");
        using var listed = await _browser.SendAsync(list);
        var danas = await listed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.DoesNotContain(danas.EnumerateArray(), c => c.GetProperty("integrationId").GetString() == connection.GetProperty("integrationId").GetString());
    }

    [Fact]
    public async Task Callback_DeniedConsent_Is403ProblemDetailsWithTheErrorCode()
    {
        Assert.Equal(HttpStatusCode.NoContent, (await _browser.PostAsync("/sandbox/deny-consent?deny=true", null)).StatusCode);
        var consent = await FollowAsync("/integrations/connect/jira");
        var callback = await FollowAsync(consent.AbsoluteUri);

        using var response = await _browser.GetAsync(callback);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("oauth_authorization_denied", problem.GetProperty("errorCode").GetString());
        Assert.Equal(403, problem.GetProperty("status").GetInt32());
    }

    [Theory]
    [InlineData("66aa00000000000000000404", HttpStatusCode.NotFound, "integration_not_found")]
    [InlineData("not-an-id", HttpStatusCode.BadRequest, "integration_id_invalid")]
    public async Task JiraCall_UnknownOrMalformedId_IsProblemDetailsWithItsOwnStatus(string id, HttpStatusCode status, string errorCode)
    {
        using var response = await _browser.GetAsync($"/integrations/{id}/jira/myself");

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(errorCode, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errorCode").GetString());
    }

    [Fact]
    public async Task Connect_UnknownProvider_Is400ListingTheInstallableProviders()
    {
        using var response = await _browser.GetAsync("/integrations/connect/Jira");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("oauth_provider_not_configured", problem.GetProperty("errorCode").GetString());
        Assert.Contains("'jira'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RealMode_MissingRedirectUri_FailsAtStartNamingTheSetting()
    {
        await using var app = ConsumerApp.Build(["--Atlassian:ClientId=real-client", "--Atlassian:ClientSecret=s3cret"], $"http://127.0.0.1:{LoopbackPorts.Unused()}");

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("RedirectUri", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", error.Message, StringComparison.Ordinal);
    }

    private async Task<Uri> FollowAsync(string url, string? user = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (user is not null)
        {
            request.Headers.Add(DemoIdentity.UserHeader, user);
        }

        using var response = await _browser.SendAsync(request);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location!;
    }

    [GeneratedRegex("name=\"handle\" value=\"([^\"]+)\"")]
    private static partial Regex HandleField();

    [GeneratedRegex("name=\"cloudId\" value=\"([^\"]+)\"")]
    private static partial Regex CloudIdField();
}
