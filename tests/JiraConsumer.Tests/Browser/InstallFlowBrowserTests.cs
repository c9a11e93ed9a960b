using System.Text.Json;
using JiraConsumer.Sandbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenQA.Selenium;
using Scoutflo.Http.Integrations.Fakes.Atlassian;
using Scoutflo.Http.Integrations.TestSupport;

namespace JiraConsumer.Tests.Browser;

/// <summary>
/// The sample's install flow in a real headless browser: connect, the sandbox's consent page,
/// the callback, the site-choice form. A fresh sample service per test; one browser per class.
/// </summary>
public sealed class InstallFlowBrowserTests(HeadlessChromium chromium) : IClassFixture<HeadlessChromium>, IAsyncLifetime
{
    private WebApplication _app = null!;
    private string _url = null!;

    private IWebDriver Browser => chromium.Driver;

    private AtlassianFake Sandbox => _app.Services.GetRequiredService<AtlassianSandbox>().Fake;

    public async Task InitializeAsync()
    {
        _url = $"http://127.0.0.1:{LoopbackPorts.Unused()}";
        _app = ConsumerApp.Build([], _url);
        await _app.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public void Connect_UserConsents_EndsConnectedToTheSite()
    {
        Browser.Navigate().GoToUrl($"{_url}/integrations/connect/jira");

        var connection = WaitForJson("the connected integration");
        var landed = new Uri(Browser.Url);
        Assert.Equal(new Uri(_url).Authority, landed.Authority);
        Assert.Equal("/integrations/callback", landed.AbsolutePath);
        Assert.Contains("code=", landed.Query, StringComparison.Ordinal);
        Assert.Equal("active", connection.GetProperty("status").GetString());
        Assert.Equal("acme", connection.GetProperty("accountId").GetString());
        Assert.Equal("https://scoutflo-test.atlassian.net", connection.GetProperty("site").GetString());
        Assert.Matches("^[0-9a-f]{24}$", connection.GetProperty("integrationId").GetString());
        Assert.Equal(1, Sandbox.CodeExchangeCalls);
    }

    [Fact]
    public void Connect_TwoSites_TheChoicePagePostsThePickedSiteAndJiraCallsGoToIt()
    {
        var first = new AtlassianFakeSite("7a1c3a5e-0000-4000-8000-00000000000a", "north-office", new Uri("https://north-office.atlassian.net"));
        var second = new AtlassianFakeSite("7a1c3a5e-0000-4000-8000-00000000000b", "south-office", new Uri("https://south-office.atlassian.net"));
        Sandbox.SetSites(first, second);

        Browser.Navigate().GoToUrl($"{_url}/integrations/connect/jira");
        chromium.WaitFor(d => d.FindElement(By.TagName("h1")).Text == "Which Atlassian site?", "the site-choice page");
        var choices = Browser.FindElements(By.CssSelector("input[type=radio][name=cloudId]"));
        Assert.Equal([first.Id, second.Id], choices.Select(c => c.GetDomProperty("value")));
        Assert.Contains("south-office (south-office.atlassian.net)", Browser.FindElement(By.TagName("form")).Text, StringComparison.Ordinal);

        choices.Single(c => c.GetDomProperty("value") == second.Id).Click();
        Browser.FindElement(By.CssSelector("button[type=submit]")).Click();

        chromium.WaitFor(d => new Uri(d.Url).AbsolutePath == "/integrations/select-site", "the answer to the site choice");
        var connection = WaitForJson("the connected integration after the choice");
        Assert.Equal(second.Url.AbsoluteUri.TrimEnd('/'), connection.GetProperty("site").GetString());
        Assert.Equal(second.Name, connection.GetProperty("siteName").GetString());

        var id = connection.GetProperty("integrationId").GetString();
        Sandbox.ResetCounters();
        Browser.Navigate().GoToUrl($"{_url}/integrations/{id}/jira/myself");
        var me = WaitForJson("Jira's answer");
        Assert.Equal("Alice Example", me.GetProperty("displayName").GetString());
        var call = Assert.Single(Sandbox.ApiRequests);
        Assert.Equal($"/ex/jira/{second.Id}/rest/api/3/myself", call.Path);
    }

    [Fact]
    public void Connect_UserDeclines_ShowsAReadableErrorPage()
    {
        Sandbox.DenyConsent = true;

        Browser.Navigate().GoToUrl($"{_url}/integrations/connect/jira");

        var code = chromium.WaitFor(d => d.FindElement(By.Id("problem-code")).Text, "the error page");
        Assert.Equal("oauth_authorization_denied", code);
        Assert.Equal("/integrations/callback", new Uri(Browser.Url).AbsolutePath);
        Assert.Equal("The connection could not be completed", Browser.FindElement(By.Id("problem-title")).Text);
        Assert.Contains("You declined access", Browser.FindElement(By.Id("problem-advice")).Text, StringComparison.Ordinal);
        Assert.Contains("(403 ", Browser.FindElement(By.TagName("body")).Text, StringComparison.Ordinal);
        AssertNoStackTrace();
        Assert.Equal(0, Sandbox.CodeExchangeCalls);
    }

    [Fact]
    public void Callback_OpenedAgain_ShowsAReadableErrorPageAndConnectsNothingMore()
    {
        Browser.Navigate().GoToUrl($"{_url}/integrations/connect/jira");
        var first = WaitForJson("the connected integration");
        var callback = Browser.Url;

        // A second visit to the same callback URL (the back button, a bookmark, a copied link).
        Browser.Navigate().GoToUrl($"{_url}/integrations/");
        Assert.Equal(JsonValueKind.Array, WaitForJson("the list of connections").ValueKind);
        Browser.Navigate().GoToUrl(callback);

        var code = chromium.WaitFor(d => d.FindElement(By.Id("problem-code")).Text, "the error page");
        Assert.Equal("oauth_state_replayed", code);
        Assert.Contains("already used", Browser.FindElement(By.Id("problem-advice")).Text, StringComparison.Ordinal);
        Assert.Contains("(409 ", Browser.FindElement(By.TagName("body")).Text, StringComparison.Ordinal);
        AssertNoStackTrace();
        Assert.Equal(1, Sandbox.CodeExchangeCalls);

        Browser.Navigate().GoToUrl($"{_url}/integrations/");
        var connections = WaitForJson("the list of connections");
        Assert.Equal(first.GetProperty("integrationId").GetString(), Assert.Single(connections.EnumerateArray()).GetProperty("integrationId").GetString());
    }

    /// <summary>The JSON document the browser shows: Chromium puts a JSON response's text in a pre element.</summary>
    private JsonElement WaitForJson(string what)
    {
        var text = chromium.WaitFor<string?>(d => d.FindElements(By.TagName("pre")).FirstOrDefault()?.GetDomProperty("textContent") is { Length: > 0 } t ? t : null, what)!;
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    private void AssertNoStackTrace()
    {
        var page = Browser.PageSource;
        Assert.DoesNotContain("Exception", page, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", page, StringComparison.Ordinal);
        Assert.DoesNotContain(".cs:line", page, StringComparison.Ordinal);
    }
}
