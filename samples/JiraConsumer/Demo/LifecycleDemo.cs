using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace JiraConsumer.Demo;

/// <summary>
/// Walks the whole lifecycle against the running service, the way a user's browser and the
/// service's own callers would: connect, consent, callback, call Jira, token expiry with
/// the refresh and the retry, disconnect. Every step is printed.
/// </summary>
internal static class LifecycleDemo
{
    public static async Task<bool> RunAsync(WebApplication app, TextWriter output)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(address) };
        var step = 0;
        void Say(string text) => output.WriteLine($"{++step,2}. {text}");

        try
        {
            output.WriteLine($"JiraConsumer is running at {address}, against the embedded Atlassian sandbox.");
            output.WriteLine();

            // Signed in as dana (the demo sign-in's header); her account, acme, comes from the identity resolver.
            using var connectRequest = new HttpRequestMessage(HttpMethod.Get, "/integrations/connect/jira");
            connectRequest.Headers.Add(DemoIdentity.UserHeader, "dana");
            using var connect = await browser.SendAsync(connectRequest);
            var consent = Expect(connect, HttpStatusCode.Redirect).Headers.Location!;
            Say($"GET /integrations/connect/jira -> 302 to the consent page {consent.GetLeftPart(UriPartial.Path)} (signed, single-use state)");

            using var consentResponse = await browser.GetAsync(consent);
            var callback = Expect(consentResponse, HttpStatusCode.Redirect).Headers.Location!;
            Say($"The user consents at the sandbox -> 302 back to {callback.GetLeftPart(UriPartial.Path)} with a code");

            using var callbackResponse = await browser.GetAsync(callback);
            var connection = await Json(Expect(callbackResponse, HttpStatusCode.OK));
            var id = connection.GetProperty("integrationId").GetString()!;
            Say($"GET /integrations/callback -> code exchanged, site {connection.GetProperty("site").GetString()} found, integration {id} stored for account {connection.GetProperty("accountId").GetString()}");

            using var replay = await browser.GetAsync(callback);
            var replayError = await Json(Expect(replay, HttpStatusCode.Conflict));
            Say($"The same callback again -> refused: {replayError.GetProperty("errorCode").GetString()}");

            var me = await Json(Expect(await browser.GetAsync($"/integrations/{id}/jira/myself"), HttpStatusCode.OK));
            Say($"GET /integrations/{id}/jira/myself -> Jira says: {me.GetProperty("displayName").GetString()} ({me.GetProperty("accountId").GetString()})");

            var search = await Json(Expect(await browser.GetAsync($"/integrations/{id}/jira/search?jql={Uri.EscapeDataString("project = SCOUT ORDER BY key")}"), HttpStatusCode.OK));
            var keys = search.GetProperty("issues").EnumerateArray().Select(i => i.GetProperty("key").GetString()).ToList();
            Say($"JQL search 'project = SCOUT' -> {keys.Count} issues: {string.Join(", ", keys)}");

            Expect(await browser.PostAsync("/sandbox/expire-access-tokens", null), HttpStatusCode.NoContent);
            Say("The sandbox expires every access token (as an hour passing would)");

            var before = await Json(await browser.GetAsync("/sandbox/stats"));
            var again = await Json(Expect(await browser.GetAsync($"/integrations/{id}/jira/myself"), HttpStatusCode.OK));
            var after = await Json(await browser.GetAsync("/sandbox/stats"));
            var refreshes = after.GetProperty("refreshCalls").GetInt32() - before.GetProperty("refreshCalls").GetInt32();
            var apiCalls = after.GetProperty("apiCalls").GetInt32() - before.GetProperty("apiCalls").GetInt32();
            Say($"GET myself again -> 401 from Jira, {refreshes} refresh (rotated refresh token stored first), {apiCalls} API calls in all, and the caller got {again.GetProperty("displayName").GetString()}");

            Expect(await browser.DeleteAsync($"/integrations/{id}"), HttpStatusCode.NoContent);
            var gone = await Json(Expect(await browser.GetAsync($"/integrations/{id}/jira/myself"), HttpStatusCode.NotFound));
            Say($"DELETE /integrations/{id} -> disconnected; calling it now: {gone.GetProperty("errorCode").GetString()}");

            output.WriteLine();
            output.WriteLine(refreshes == 1 ? "The whole lifecycle worked." : $"Expected exactly one refresh, saw {refreshes}.");
            return refreshes == 1;
        }
        catch (Exception ex) when (ex is DemoStepFailed or HttpRequestException)
        {
            output.WriteLine($"The demo stopped: {ex.Message}");
            return false;
        }
    }

    private static HttpResponseMessage Expect(HttpResponseMessage response, HttpStatusCode status) =>
        response.StatusCode == status
            ? response
            : throw new DemoStepFailed($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.AbsolutePath} answered {(int)response.StatusCode}, expected {(int)status}.");

    private static async Task<JsonElement> Json(HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();

    private sealed class DemoStepFailed(string message) : Exception(message);
}
