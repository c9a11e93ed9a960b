using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Scoutflo.Http.Integrations.Tests.TestSupport;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Scoutflo.Http.Integrations.Tests.DependencyInjection;

/// <summary>AddIntegrationAuth over the real primary handler (SocketsHttpHandler) and a WireMock API.</summary>
[Collection(WireMockCollection.Name)]
public sealed class IntegrationHttpClientBuilderExtensionsTests
{
    private const string Id = "66ee000000000000000000a1";
    private static readonly string[] CredentialHeaders = ["Authorization", "X-Api-Key", "X-Api-Secret"];

    private readonly WireMockFixture _wireMock;
    private readonly WireMockServer _server;

    public IntegrationHttpClientBuilderExtensionsTests(WireMockFixture wireMock)
    {
        _wireMock = wireMock;
        _server = wireMock.Reset();
    }

    public static TheoryData<string> AuthTypes() =>
    [
        IntegrationAuthTypes.ApiKey,
        IntegrationAuthTypes.MappedCredentials,
        IntegrationAuthTypes.Bearer,
        IntegrationAuthTypes.Basic,
    ];

    [Theory]
    [MemberData(nameof(AuthTypes))]
    public async Task AddIntegrationAuth_ApiRedirectsToAnotherHost_CredentialNeverReachesIt(string authType)
    {
        // Same server, other host name: "localhost" is another origin than the base's 127.0.0.1.
        var otherHost = new UriBuilder(_wireMock.Url) { Host = "localhost" }.Uri;
        _server.Given(Request.Create().WithPath("/v2/items").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(302).WithHeader("Location", new Uri(otherHost, "/collect").AbsoluteUri));
        _server.Given(Request.Create().WithPath("/collect").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200));
        var services = new ServiceCollection();
        services.AddScoutfloIntegrations();
        services.AddHttpClient("custom-api").AddIntegrationAuth(Id);
        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<IConnectionManager>().CreateConnectionAsync(Record(authType, _wireMock.Url + "/v2") with { Id = Id });
        using var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient("custom-api");

        using var response = await client.GetAsync("items");

        var first = Assert.Single(_server.LogEntries, e => e.RequestMessage.Path == "/v2/items");
        Assert.Contains(first.RequestMessage.Headers!.Keys, k => CredentialHeaders.Contains(k, StringComparer.OrdinalIgnoreCase));
        Assert.All(
            _server.LogEntries.Where(e => e.RequestMessage.Path == "/collect"),
            e => Assert.DoesNotContain(e.RequestMessage.Headers!.Keys, k => CredentialHeaders.Contains(k, StringComparer.OrdinalIgnoreCase)));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    [Fact]
    public async Task AddIntegrationAuth_PrimaryHandlerReplacedLater_StillDoesNotFollowRedirects()
    {
        var services = new ServiceCollection();
        services.AddScoutfloIntegrations();
        services.AddHttpClient("custom-api")
            .AddIntegrationAuth(Id)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = true })
            .ConfigurePrimaryHttpMessageHandler(static (handler, _) => ((SocketsHttpHandler)handler).MaxAutomaticRedirections = 3);
        await using var provider = services.BuildServiceProvider();
        var otherHost = new UriBuilder(_wireMock.Url) { Host = "localhost" }.Uri;
        _server.Given(Request.Create().WithPath("/v2/items").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(307).WithHeader("Location", new Uri(otherHost, "/collect").AbsoluteUri));
        await provider.GetRequiredService<IConnectionManager>().CreateConnectionAsync(Record(IntegrationAuthTypes.ApiKey, _wireMock.Url + "/v2") with { Id = Id });
        using var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient("custom-api");

        using var response = await client.GetAsync("items");

        Assert.Equal(HttpStatusCode.TemporaryRedirect, response.StatusCode);
        Assert.DoesNotContain(_server.LogEntries, e => e.RequestMessage.Path == "/collect");
    }

    private static Integration Record(string authType, string baseUrl) => authType switch
    {
        IntegrationAuthTypes.ApiKey => Records.CustomApiKey(baseUrl: baseUrl),
        IntegrationAuthTypes.Bearer => Records.CustomBearer(baseUrl: baseUrl),
        IntegrationAuthTypes.Basic => Records.CustomBasic(baseUrl: baseUrl),
        _ => Records.Custom(
            IntegrationAuthTypes.MappedCredentials,
            new Dictionary<string, string> { ["api_key"] = "mk-SECRET-1", ["api_secret"] = "ms-SECRET-2" },
            new Dictionary<string, string> { [IntegrationMetadataKeys.CredentialHeaders] = "X-Api-Key=api_key,X-Api-Secret=api_secret" },
            baseUrl),
    };
}
