using System.Net;
using Microsoft.Extensions.DependencyInjection;

namespace Scoutflo.Http.Integrations.Benchmarks;

/// <summary>
/// One service provider with the library registered as an application registers it, and the
/// clients every hot-path benchmark compares: the library's clients and the baseline, a client
/// of the same IHttpClientFactory pipeline with the same logging choice (the library's clients
/// swap the factory's default request loggers for a header-free one; so does the baseline)
/// that attaches a static Authorization header. Every terminal handler answers 200 from memory,
/// so no network time hides what the auth handler adds.
/// </summary>
internal sealed class BenchmarkHost : IDisposable
{
    public const string CloudId = "7a1c3a5e-0000-4000-8000-000000000001";
    public const string SiteUrl = "https://bench.atlassian.net";
    public const string AtlassianApiBase = "https://api.atlassian.com/ex/jira/" + CloudId + "/";
    public const string CustomApiBase = "https://api.example.test/v2/";
    public const string Path = "rest/api/3/myself";

    public const string StaticAtlassianClient = "static-atlassian";
    public const string StaticCustomClient = "static-custom";
    public const string OAuthClient = "oauth";
    public const string ApiKeyClient = "api-key";
    public const string PlainNamedClient = "plain-named";
    public const string StaticAtlassianAsyncClient = "static-atlassian-async";
    public const string OAuthAsyncClient = "oauth-async";

    private readonly ServiceProvider _services;

    private BenchmarkHost(ServiceProvider services, string oauthId, string apiKeyId)
    {
        _services = services;
        OAuthId = oauthId;
        ApiKeyId = apiKeyId;
    }

    public string OAuthId { get; }

    public string ApiKeyId { get; }

    public IServiceProvider Services => _services;

    public HttpClient CreateClient(string name) => _services.GetRequiredService<IHttpClientFactory>().CreateClient(name);

    public static async Task<BenchmarkHost> StartAsync()
    {
        // The clients are bound at registration (as AddJiraClient(id) binds them), but the ids
        // exist only once the records are stored; options are read when a pipeline is first built.
        var ids = new Ids();
        var services = new ServiceCollection();
        services.AddScoutfloIntegrations()
            .AddAtlassian(o =>
            {
                o.ClientId = "bench-client";
                o.ClientSecret = "bench-secret";
            });

        services.AddHttpClient(OAuthClient)
            .AddIntegrationAuth(o => o.IntegrationId = ids.OAuth)
            .ConfigurePrimaryHttpMessageHandler(static () => new InMemoryApi());
        services.AddHttpClient(ApiKeyClient)
            .AddIntegrationAuth(o => o.IntegrationId = ids.ApiKey)
            .ConfigurePrimaryHttpMessageHandler(static () => new InMemoryApi());
        AddStaticHeaderClient(services, StaticAtlassianClient, AtlassianApiBase, "Bearer atlassian-access-token");
        AddStaticHeaderClient(services, StaticCustomClient, CustomApiBase, "bench-api-key");

        // The same two, with a terminal handler whose answer comes after the send returned, as a
        // network send's does: the OAuth client then awaits the response to watch it for a
        // refusal (the refresh-on-401 path).
        services.AddHttpClient(OAuthAsyncClient)
            .AddIntegrationAuth(o => o.IntegrationId = ids.OAuth)
            .ConfigurePrimaryHttpMessageHandler(static () => new DeferredApi());
        services.AddHttpClient(StaticAtlassianAsyncClient, c => c.BaseAddress = new Uri(AtlassianApiBase))
            .UseHeaderlessLogging()
            .AddHttpMessageHandler(() => new StaticHeaderHandler("Bearer atlassian-access-token"))
            .ConfigurePrimaryHttpMessageHandler(static () => new DeferredApi());

        // The multi-tenant factory's clients are compared with a named client of the same
        // pipeline shape made per call.
        services.AddHttpClient(PlainNamedClient)
            .UseHeaderlessLogging()
            .ConfigurePrimaryHttpMessageHandler(static () => new InMemoryApi());
        services.ConfigureHttpClientDefaults(static b => b.ConfigurePrimaryHttpMessageHandler(static () => new InMemoryApi()));

        var provider = services.BuildServiceProvider();
        var connections = provider.GetRequiredService<IConnectionManager>();
        var oauth = await connections.CreateConnectionAsync(new Integration
        {
            Provider = IntegrationProviders.Jira,
            AccountId = "bench",
            AuthType = IntegrationAuthTypes.OAuth2,
            Credentials = new Dictionary<string, string>
            {
                [IntegrationCredentialKeys.AccessToken] = "atlassian-access-token",
                [IntegrationCredentialKeys.RefreshToken] = "atlassian-refresh-token",
                [IntegrationCredentialKeys.ExpiresAt] = DateTimeOffset.UtcNow.AddDays(1).ToString("O"),
            },
            Metadata = new Dictionary<string, string>
            {
                [IntegrationMetadataKeys.CloudId] = CloudId,
                [IntegrationMetadataKeys.SiteUrl] = SiteUrl,
            },
        });
        var apiKey = await connections.CreateConnectionAsync(new Integration
        {
            Provider = IntegrationProviders.Custom,
            AccountId = "bench",
            AuthType = IntegrationAuthTypes.ApiKey,
            Credentials = new Dictionary<string, string> { [IntegrationCredentialKeys.ApiKey] = "bench-api-key" },
            Metadata = new Dictionary<string, string> { [IntegrationMetadataKeys.BaseUrl] = CustomApiBase.TrimEnd('/') },
        });
        ids.OAuth = oauth.Id;
        ids.ApiKey = apiKey.Id;
        return new BenchmarkHost(provider, oauth.Id, apiKey.Id);
    }

    public void Dispose() => _services.Dispose();

    /// <summary>Sends one GET and reads the status: what every hot-path benchmark measures.</summary>
    public static async Task<HttpStatusCode> GetAsync(HttpClient client, string uri)
    {
        using var response = await client.GetAsync(uri).ConfigureAwait(false);
        return response.StatusCode;
    }

    private static void AddStaticHeaderClient(IServiceCollection services, string name, string baseAddress, string authorization) =>
        services.AddHttpClient(name, c => c.BaseAddress = new Uri(baseAddress))
            .UseHeaderlessLogging()
            .AddHttpMessageHandler(() => new StaticHeaderHandler(authorization))
            .ConfigurePrimaryHttpMessageHandler(static () => new InMemoryApi());

    private sealed class Ids
    {
        public string? OAuth { get; set; }

        public string? ApiKey { get; set; }
    }

    /// <summary>The baseline's credential: a fixed header written as the library writes its own.</summary>
    private sealed class StaticHeaderHandler(string authorization) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Remove("Authorization");
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
            return base.SendAsync(request, cancellationToken);
        }
    }

    /// <summary>
    /// An API whose answer is pending when its send returns; <see cref="CompletePending"/> gives it
    /// on the caller's thread. Every handler above it therefore awaits, yet the whole request runs
    /// on one thread (its CPU time is its cost) without a thread-pool hop.
    /// </summary>
    internal sealed class DeferredApi : HttpMessageHandler
    {
        // One request at a time: the benchmarks call it from one thread.
        private static TaskCompletionSource<HttpResponseMessage>? _pending;

        /// <summary>Answers the pending request with 200; its continuations run here, at once.</summary>
        public static void CompletePending()
        {
            var pending = _pending ?? throw new InvalidOperationException("No request is pending.");
            _pending = null;
            pending.SetResult(new HttpResponseMessage(HttpStatusCode.OK));
        }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            _pending = new TaskCompletionSource<HttpResponseMessage>();
            return _pending.Task;
        }
    }

    /// <summary>An API that answers 200 from memory.</summary>
    private sealed class InMemoryApi : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request });
    }
}
