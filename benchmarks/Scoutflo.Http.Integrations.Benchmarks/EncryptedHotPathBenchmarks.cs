using System.Net;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.Extensions.DependencyInjection;

namespace Scoutflo.Http.Integrations.Benchmarks;

/// <summary>
/// Encryption at rest, off and on in one run: the request hot path (connection resolved, access
/// token in L1: nothing is decrypted, so both should cost the same) and a store read (what a
/// connection resolution or a refresh pays: one record's credentials decrypted, in memory).
/// The terminal handler answers from memory, so no network time hides either cost. Each
/// category has its own baseline (encryption off), so a row's difference is encryption's cost.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class EncryptedHotPathBenchmarks
{
    private Side _plain = null!;
    private Side _encrypted = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _plain = await Side.CreateAsync(encrypted: false);
        _encrypted = await Side.CreateAsync(encrypted: true);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _plain.Dispose();
        _encrypted.Dispose();
    }

    [BenchmarkCategory("Request"), Benchmark(Baseline = true)]
    public Task<HttpStatusCode> OAuthCachedToken_EncryptionOff() => _plain.SendAsync();

    [BenchmarkCategory("Request"), Benchmark]
    public Task<HttpStatusCode> OAuthCachedToken_EncryptionOn() => _encrypted.SendAsync();

    [BenchmarkCategory("StoreRead"), Benchmark(Baseline = true)]
    public Task<Integration?> StoreRead_EncryptionOff() => _plain.ReadAsync();

    [BenchmarkCategory("StoreRead"), Benchmark]
    public Task<Integration?> StoreRead_EncryptionOn() => _encrypted.ReadAsync();

    private sealed class Side : IDisposable
    {
        private ServiceProvider _services = null!;
        private HttpClient _client = null!;
        private IIntegrationStore _store = null!;
        private string _id = null!;

        public static async Task<Side> CreateAsync(bool encrypted)
        {
            var services = new ServiceCollection();
            var builder = services.AddScoutfloIntegrations()
                .AddAtlassian(o =>
                {
                    o.ClientId = "bench-client";
                    o.ClientSecret = "bench-secret";
                });
            if (encrypted)
            {
                builder.UseCredentialEncryption(o =>
                {
                    o.CurrentKeyId = "bench";
                    o.Keys["bench"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
                });
            }

            services.AddHttpClient("oauth").AddIntegrationAuth().ConfigurePrimaryHttpMessageHandler(() => new InMemoryApi());
            var side = new Side { _services = services.BuildServiceProvider() };
            var integration = await side._services.GetRequiredService<IConnectionManager>().CreateConnectionAsync(new Integration
            {
                Provider = IntegrationProviders.Jira,
                AccountId = "bench",
                AuthType = IntegrationAuthTypes.OAuth2,
                Credentials = new Dictionary<string, string>
                {
                    ["access_token"] = "atlassian-access-token-" + new string('a', 900),
                    ["refresh_token"] = "atlassian-refresh-token-" + new string('r', 400),
                    ["expires_at"] = DateTimeOffset.UtcNow.AddDays(1).ToString("O"),
                },
                Metadata = new Dictionary<string, string> { ["cloud_id"] = "7a1c3a5e-0000-4000-8000-000000000001", ["site_url"] = "https://bench.atlassian.net" },
            });
            side._id = integration.Id;
            side._store = side._services.GetRequiredService<IIntegrationStore>();
            var handler = new BindingHandler(integration.Id) { InnerHandler = side._services.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler("oauth") };
            side._client = new HttpClient(handler, disposeHandler: false) { BaseAddress = new Uri("https://integration.invalid/") };

            // Warm: resolve the connection and fill the L1.
            await side.SendAsync();
            return side;
        }

        public async Task<HttpStatusCode> SendAsync()
        {
            using var response = await _client.GetAsync("rest/api/3/myself");
            return response.StatusCode;
        }

        public Task<Integration?> ReadAsync() => _store.GetAsync(_id);

        public void Dispose()
        {
            _client.Dispose();
            _services.Dispose();
        }
    }

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
