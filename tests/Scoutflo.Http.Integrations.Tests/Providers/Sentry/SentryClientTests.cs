using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Scoutflo.Http.Integrations.Tests.TestSupport;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Scoutflo.Http.Integrations.Tests.Providers.Sentry;

/// <summary>
/// Contract tests: the typed SentryClient from DI against a WireMock server that answers like
/// Sentry (bearer auth token, base URL from the connection, rate-limit headers on every response).
/// </summary>
[Collection(WireMockCollection.Name)]
public sealed class SentryClientTests : IAsyncDisposable
{
    private const string Id = "66cc000000000000000000a1";
    private const string Authorization = "Bearer " + Records.BearerToken;

    private const string Organizations = """
        [
          {
            "id": "1081365",
            "slug": "acme",
            "status": { "id": "active", "name": "active" },
            "name": "Acme",
            "dateCreated": "2024-05-03T10:12:54.106349Z",
            "isEarlyAdopter": false,
            "require2FA": false,
            "avatar": { "avatarType": "letter_avatar", "avatarUuid": null },
            "features": ["performance-view", "session-replay"],
            "links": { "organizationUrl": "https://acme.sentry.io", "regionUrl": "https://us.sentry.io" }
          }
        ]
        """;

    private readonly WireMockFixture _wireMock;
    private readonly WireMockServer _server;
    private readonly ServiceProvider _services;

    public SentryClientTests(WireMockFixture wireMock)
    {
        _wireMock = wireMock;
        _server = wireMock.Reset();
        var services = new ServiceCollection();
        services.AddScoutfloIntegrations();

        // The fake stands for a self-hosted Sentry: an auth-token connection needs no Sentry app,
        // only the host allowed.
        services.Configure<SentryOptions>(o => o.SelfHostedBaseUrls.Add(new Uri(wireMock.Url)));
        services.AddSentryClient(Id);
        _services = services.BuildServiceProvider();
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();

    [Fact]
    public async Task GetOrganizationsAsync_BearerRecord_ReturnsTheOrganizations()
    {
        await CreateConnectionAsync(_wireMock.Url);
        _server.Given(Get("/api/0/organizations/")).RespondWith(SentryJson(Organizations));

        var organizations = await Sentry().GetOrganizationsAsync();

        var acme = Assert.Single(organizations.EnumerateArray());
        Assert.Equal("acme", acme.GetProperty("slug").GetString());
        Assert.Equal("1081365", acme.GetProperty("id").GetString());
    }

    [Fact]
    public async Task HttpClient_SentryResponse_CallerReadsTheRateLimitHeaders()
    {
        await CreateConnectionAsync(_wireMock.Url);
        _server.Given(Get("/api/0/organizations/")).RespondWith(SentryJson(Organizations));

        using var response = await Sentry().HttpClient.GetAsync("api/0/organizations/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["39"], response.Headers.GetValues("X-Sentry-Rate-Limit-Remaining"));
        Assert.Equal(["40"], response.Headers.GetValues("X-Sentry-Rate-Limit-Limit"));
    }

    [Fact]
    public async Task GetProjectsAsync_SelfHostedBaseWithPath_CallsUnderThatPath()
    {
        await CreateConnectionAsync(_wireMock.Url + "/sentry");
        _server.Given(Get("/sentry/api/0/organizations/acme/projects/"))
            .RespondWith(SentryJson("""[ { "id": "4505", "slug": "web", "name": "web", "platform": "javascript" } ]"""));

        var projects = await Sentry().GetProjectsAsync("acme");

        Assert.Equal("web", Assert.Single(projects.EnumerateArray()).GetProperty("slug").GetString());
    }

    [Fact]
    public async Task GetOrganizationsAsync_RateLimited_Surfaces429WithRetryAfter()
    {
        await CreateConnectionAsync(_wireMock.Url);
        _server.Given(Get("/api/0/organizations/")).RespondWith(Response.Create()
            .WithStatusCode(429)
            .WithHeader("Retry-After", "17")
            .WithHeader("X-Sentry-Rate-Limit-Remaining", "0")
            .WithHeader("Content-Type", "application/json")
            .WithBody("""{"detail":"You are attempting to use this endpoint too frequently. Limit is 40 requests in 1 seconds"}"""));

        using var response = await Sentry().HttpClient.GetAsync("api/0/organizations/");

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(17), response.Headers.RetryAfter?.Delta);
        Assert.Equal(["0"], response.Headers.GetValues("X-Sentry-Rate-Limit-Remaining"));
    }

    private SentryClient Sentry() => _services.GetRequiredService<SentryClient>();

    private Task<Integration> CreateConnectionAsync(string baseUrl) =>
        _services.GetRequiredService<IConnectionManager>().CreateConnectionAsync(Records.SentryBearer(baseUrl) with { Id = Id });

    private static IRequestBuilder Get(string path) =>
        Request.Create().WithPath(new ExactMatcher(path)).UsingGet().WithHeader("Authorization", new ExactMatcher(Authorization));

    private static IResponseBuilder SentryJson(string body) => Response.Create()
        .WithStatusCode(200)
        .WithHeader("Content-Type", "application/json")
        .WithHeader("X-Sentry-Rate-Limit-Limit", "40")
        .WithHeader("X-Sentry-Rate-Limit-Remaining", "39")
        .WithHeader("X-Sentry-Rate-Limit-Reset", "1772443801")
        .WithHeader("X-Sentry-Rate-Limit-ConcurrentLimit", "25")
        .WithHeader("X-Sentry-Rate-Limit-ConcurrentRemaining", "24")
        .WithBody(body);
}
