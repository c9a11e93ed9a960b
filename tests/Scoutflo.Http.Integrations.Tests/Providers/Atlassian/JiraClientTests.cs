using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Scoutflo.Http.Integrations.Tests.TestSupport;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Scoutflo.Http.Integrations.Tests.Providers.Atlassian;

/// <summary>
/// Contract tests: the typed JiraClient from DI against a WireMock server that answers like Jira
/// Cloud (Basic auth: account email + API token, requests on the site itself). Mappings match
/// the exact path and Authorization header; anything else gets WireMock's 404.
/// </summary>
[Collection(WireMockCollection.Name)]
public sealed class JiraClientTests : IAsyncDisposable
{
    private const string Id = "66bb000000000000000000a1";
    private const string Authorization = "Basic " + Records.BasicParameter;

    private readonly WireMockFixture _wireMock;
    private readonly WireMockServer _server;
    private readonly ServiceProvider _services;

    public JiraClientTests(WireMockFixture wireMock)
    {
        _wireMock = wireMock;
        _server = wireMock.Reset();
        var services = new ServiceCollection();
        services.AddScoutfloIntegrations();
        AllowTheFakeSite(services);
        services.AddJiraClient(Id);
        _services = services.BuildServiceProvider();
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();

    private string SelfUrl(string path) => _wireMock.Url + path;

    [Fact]
    public async Task GetMyselfAsync_BasicAuthRecord_ReturnsTheParsedUser()
    {
        await CreateConnectionAsync();
        _server.Given(Get("/rest/api/3/myself")).RespondWith(Json($$"""
            {
              "self": "{{SelfUrl("/rest/api/3/user?accountId=5b10a2844c20165700ede21g")}}",
              "accountId": "5b10a2844c20165700ede21g",
              "accountType": "atlassian",
              "emailAddress": "jane@example.test",
              "avatarUrls": { "48x48": "https://avatar-management.example.test/48" },
              "displayName": "Jane Doe",
              "active": true,
              "timeZone": "Europe/Berlin",
              "locale": "en_US"
            }
            """));

        var me = await Jira().GetMyselfAsync();

        Assert.Equal(new JiraUser("5b10a2844c20165700ede21g", "Jane Doe", "jane@example.test", true), me);
    }

    [Fact]
    public async Task GetIssueAsync_Key_ReturnsTheParsedIssue()
    {
        await CreateConnectionAsync();
        _server.Given(Get("/rest/api/3/issue/PROJ-1")).RespondWith(Json($$"""
            {
              "expand": "renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations",
              "id": "10001",
              "self": "{{SelfUrl("/rest/api/3/issue/10001")}}",
              "key": "PROJ-1",
              "fields": { "summary": "Login fails on Safari", "status": { "name": "To Do", "id": "10000" } }
            }
            """));

        var issue = await Jira().GetIssueAsync("PROJ-1");

        Assert.Equal("10001", issue.Id);
        Assert.Equal("PROJ-1", issue.Key);
        Assert.Equal(new Uri(SelfUrl("/rest/api/3/issue/10001")), issue.Self);
        Assert.Equal("Login fails on Safari", issue.Fields.GetProperty("summary").GetString());
        Assert.Equal("To Do", issue.Fields.GetProperty("status").GetProperty("name").GetString());
    }

    [Fact]
    public async Task GetIssueAsync_SelfLinkFollowed_SendsTheCredentialToTheSite()
    {
        await CreateConnectionAsync();
        _server.Given(Get("/rest/api/3/issue/10001")).RespondWith(Json("""{ "id": "10001", "key": "PROJ-1", "fields": {} }"""));

        using var response = await Jira().HttpClient.GetAsync(new Uri(SelfUrl("/rest/api/3/issue/10001")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task SearchAsync_JqlFieldsAndPageSize_PostsTheExactBodyAndParsesThePage()
    {
        await CreateConnectionAsync();
        _server
            .Given(Request.Create()
                .WithPath(new ExactMatcher("/rest/api/3/search/jql"))
                .UsingPost()
                .WithHeader("Authorization", new ExactMatcher(Authorization))
                .WithBody(new JsonMatcher(new { jql = "project = PROJ ORDER BY created DESC", fields = new[] { "summary", "status" }, maxResults = 2 })))
            .RespondWith(Json($$"""
                {
                  "issues": [
                    { "expand": "", "id": "10002", "self": "{{SelfUrl("/rest/api/3/issue/10002")}}", "key": "PROJ-2", "fields": { "summary": "Second" } },
                    { "expand": "", "id": "10001", "self": "{{SelfUrl("/rest/api/3/issue/10001")}}", "key": "PROJ-1", "fields": { "summary": "First" } }
                  ],
                  "nextPageToken": "CAEaAggD",
                  "isLast": false
                }
                """));

        var page = await Jira().SearchAsync("project = PROJ ORDER BY created DESC", ["summary", "status"], maxResults: 2);

        Assert.Equal(["PROJ-2", "PROJ-1"], page.Issues.Select(i => i.Key));
        Assert.Equal("Second", page.Issues[0].Fields.GetProperty("summary").GetString());
        Assert.Equal("CAEaAggD", page.NextPageToken);
        Assert.False(page.IsLast);
    }

    [Fact]
    public async Task SearchAsync_NextPageToken_SendsItAndReadsTheLastPage()
    {
        await CreateConnectionAsync();
        _server
            .Given(Request.Create()
                .WithPath(new ExactMatcher("/rest/api/3/search/jql"))
                .UsingPost()
                .WithHeader("Authorization", new ExactMatcher(Authorization))
                .WithBody(new JsonMatcher(new { jql = "project = PROJ", nextPageToken = "CAEaAggD" })))
            .RespondWith(Json("""{ "issues": [ { "id": "10003" } ], "isLast": true }"""));

        var page = await Jira().SearchAsync("project = PROJ", nextPageToken: "CAEaAggD");

        Assert.Equal("10003", Assert.Single(page.Issues).Id);
        Assert.Null(page.Issues[0].Key);
        Assert.Null(page.NextPageToken);
        Assert.True(page.IsLast);
    }

    [Fact]
    public async Task GetMyselfAsync_JiraRefusesTheCredential_Surfaces401AfterOneRequest()
    {
        await CreateConnectionAsync();
        _server.Given(Request.Create().WithPath("/rest/api/3/myself").UsingGet())
            .RespondWith(Response.Create()
                .WithStatusCode(401)
                .WithHeader("Content-Type", "application/json;charset=UTF-8")
                .WithHeader("WWW-Authenticate", "OAuth realm=\"https%3A%2F%2Facme.atlassian.net\"")
                .WithBody("""{"errorMessages":["You are not authenticated. Authentication required to perform this operation."],"errors":{}}"""));

        var error = await Assert.ThrowsAsync<IntegrationApiException>(() => Jira().GetMyselfAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.Equal(IntegrationErrorCodes.ProviderRequestFailed, error.ErrorCode);
        Assert.Equal("You are not authenticated. Authentication required to perform this operation.", Assert.Single(error.ErrorMessages));
        Assert.Single(_server.LogEntries);
    }

    [Fact]
    public async Task SearchAsync_JiraRefusesTheQuery_KeepsJirasErrorMessagesAndFieldErrors()
    {
        await CreateConnectionAsync();
        _server.Given(Request.Create().WithPath("/rest/api/3/search/jql").UsingPost())
            .RespondWith(Response.Create()
                .WithStatusCode(400)
                .WithHeader("Content-Type", "application/json;charset=UTF-8")
                .WithBody("""{"errorMessages":["Error in the JQL Query: Expecting operator but got 'SCOUT'."],"errors":{"jql":"The value 'x' does not exist for the field 'project'."}}"""));

        var error = await Assert.ThrowsAsync<IntegrationApiException>(() => Jira().SearchAsync("project SCOUT"));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal(IntegrationProviders.Jira, error.Provider);
        Assert.Equal("Error in the JQL Query: Expecting operator but got 'SCOUT'.", Assert.Single(error.ErrorMessages));
        Assert.Equal("The value 'x' does not exist for the field 'project'.", error.FieldErrors["jql"]);
        Assert.Contains("Expecting operator", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Records.BasicParameter, error.ToString(), StringComparison.Ordinal);
        var problem = error.ToProblemDetails();
        Assert.Equal(424, problem.Status);
        Assert.Equal(400, problem.Extensions["providerStatus"]);
    }

    [Fact]
    public async Task GetIssueAsync_HtmlErrorPage_StillThrowsWithTheStatus()
    {
        await CreateConnectionAsync();
        _server.Given(Request.Create().WithPath("/rest/api/3/issue/PROJ-9").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(502).WithHeader("Content-Type", "text/html").WithBody("<html><body>Bad gateway</body></html>"));

        var error = await Assert.ThrowsAsync<IntegrationApiException>(() => Jira().GetIssueAsync("PROJ-9"));

        Assert.Equal(HttpStatusCode.BadGateway, error.StatusCode);
        Assert.Empty(error.ErrorMessages);
    }

    [Fact]
    public async Task AddStandardResilienceHandler_ChainedOnAddJiraClient_RetriesA503WithTheCredential()
    {
        var services = new ServiceCollection();
        services.AddScoutfloIntegrations();
        AllowTheFakeSite(services);
        services.AddJiraClient(Id).AddStandardResilienceHandler(o =>
        {
            o.Retry.Delay = TimeSpan.Zero;
            o.Retry.UseJitter = false;
        });
        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<IConnectionManager>().CreateConnectionAsync(Records.JiraBasic(_wireMock.Url) with { Id = Id });
        _server.Given(Get("/rest/api/3/myself")).InScenario("flaky").WillSetStateTo("recovered")
            .RespondWith(Response.Create().WithStatusCode(503).WithBody("Service Unavailable"));
        _server.Given(Get("/rest/api/3/myself")).InScenario("flaky").WhenStateIs("recovered")
            .RespondWith(Json("""{ "accountId": "5b10a2844c20165700ede21g", "displayName": "Jane Doe", "active": true }"""));

        var me = await provider.GetRequiredService<JiraClient>().GetMyselfAsync();

        Assert.Equal("5b10a2844c20165700ede21g", me.AccountId);
        Assert.Null(me.EmailAddress);
        Assert.Equal(2, _server.LogEntries.Count());
    }

    // The fake Jira site runs on loopback http: site URLs off *.atlassian.net must be allowed explicitly.
    private void AllowTheFakeSite(IServiceCollection services) =>
        services.Configure<AtlassianOptions>(o => o.AdditionalSiteUrls.Add(new Uri(_wireMock.Url)));

    private JiraClient Jira() => _services.GetRequiredService<JiraClient>();

    private Task<Integration> CreateConnectionAsync() =>
        _services.GetRequiredService<IConnectionManager>().CreateConnectionAsync(Records.JiraBasic(_wireMock.Url) with { Id = Id });

    private static IRequestBuilder Get(string path) =>
        Request.Create().WithPath(new ExactMatcher(path)).UsingGet().WithHeader("Authorization", new ExactMatcher(Authorization));

    private static IResponseBuilder Json(string body) =>
        Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json;charset=UTF-8").WithBody(body);
}
