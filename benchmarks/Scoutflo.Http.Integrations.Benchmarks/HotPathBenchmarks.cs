using System.Net;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;

namespace Scoutflo.Http.Integrations.Benchmarks;

/// <summary>
/// The request hot path: a resolved connection and a valid credential in memory. The
/// baseline is the same HttpClient without the auth handler, so the ratio is what the handler
/// adds (resolution from cache, URL mapping, header) per request. The terminal handler answers
/// from memory, so no network time hides the handler's cost.
/// </summary>
[MemoryDiagnoser]
public class HotPathBenchmarks
{
    private HttpClient _plain = null!;
    private HttpClient _staticBearer = null!;
    private HttpClient _oauth = null!;
    private ServiceProvider _services = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var services = new ServiceCollection();
        // The core serves only "custom" records: the two providers measured are added as an application adds them.
        services.AddScoutfloIntegrations()
            .AddAtlassian(o =>
            {
                o.ClientId = "bench-client";
                o.ClientSecret = "bench-secret";
            })
            .AddSentry(o =>
            {
                o.ClientId = "bench-client";
                o.ClientSecret = "bench-secret";
                o.AppSlug = "bench-app";
            });
        services.AddHttpClient("plain").ConfigurePrimaryHttpMessageHandler(() => new InMemoryApi());
        services.AddHttpClient("bearer").AddIntegrationAuth().ConfigurePrimaryHttpMessageHandler(() => new InMemoryApi());
        services.AddHttpClient("oauth").AddIntegrationAuth().ConfigurePrimaryHttpMessageHandler(() => new InMemoryApi());
        _services = services.BuildServiceProvider();

        var connections = _services.GetRequiredService<IConnectionManager>();
        var bearer = await connections.CreateConnectionAsync(new Integration
        {
            Provider = IntegrationProviders.Sentry,
            AccountId = "bench",
            AuthType = IntegrationAuthTypes.Bearer,
            Credentials = new Dictionary<string, string> { ["token"] = "sntrys_benchmark" },
        });
        var oauth = await connections.CreateConnectionAsync(new Integration
        {
            Provider = IntegrationProviders.Jira,
            AccountId = "bench",
            AuthType = IntegrationAuthTypes.OAuth2,
            Credentials = new Dictionary<string, string>
            {
                ["access_token"] = "atlassian-access-token",
                ["refresh_token"] = "atlassian-refresh-token",
                ["expires_at"] = DateTimeOffset.UtcNow.AddDays(1).ToString("O"),
            },
            Metadata = new Dictionary<string, string> { ["cloud_id"] = "7a1c3a5e-0000-4000-8000-000000000001", ["site_url"] = "https://bench.atlassian.net" },
        });

        var handlers = _services.GetRequiredService<IHttpMessageHandlerFactory>();
        _plain = Bound(handlers, "plain", bearer.Id);
        _staticBearer = Bound(handlers, "bearer", bearer.Id);
        _oauth = Bound(handlers, "oauth", oauth.Id);

        // Warm: resolve the connections and fill the OAuth L1.
        await SendAsync(_staticBearer);
        await SendAsync(_oauth);
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark(Baseline = true)]
    public Task<HttpStatusCode> NoAuthHandler() => SendAsync(_plain);

    [Benchmark]
    public Task<HttpStatusCode> StaticBearer() => SendAsync(_staticBearer);

    [Benchmark]
    public Task<HttpStatusCode> OAuthCachedToken() => SendAsync(_oauth);

    private static async Task<HttpStatusCode> SendAsync(HttpClient client)
    {
        using var response = await client.GetAsync("rest/api/3/myself");
        return response.StatusCode;
    }

    // Every client, the baseline too, goes through the same factory pipeline and the same
    // per-request binding, so that the ratio is the auth handler's own cost.
    private static HttpClient Bound(IHttpMessageHandlerFactory handlers, string name, string integrationId) =>
        new(new BindingHandler(integrationId) { InnerHandler = handlers.CreateHandler(name) }, disposeHandler: false)
        {
            BaseAddress = new Uri("https://integration.invalid/"),
        };

    /// <summary>Sets the integration id on each request, as IIntegrationClientFactory's clients do.</summary>
    private sealed class BindingHandler(string integrationId) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.SetIntegrationId(integrationId);
            return base.SendAsync(request, cancellationToken);
        }
    }

    /// <summary>An API that answers 200 from memory.</summary>
    private sealed class InMemoryApi : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request });
    }
}
