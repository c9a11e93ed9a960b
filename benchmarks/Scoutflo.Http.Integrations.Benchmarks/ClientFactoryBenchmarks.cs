using BenchmarkDotNet.Attributes;

namespace Scoutflo.Http.Integrations.Benchmarks;

/// <summary>
/// Multi-tenant code makes a client per call: <c>IIntegrationClientFactory.CreateClient&lt;T&gt;(id)</c>
/// against a named client of IHttpClientFactory made per call (the pooled pipelines are built
/// once in both; what is measured is the per-call wrapping).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(BenchmarkConfig))]
public class ClientFactoryBenchmarks
{
    private BenchmarkHost _host = null!;
    private IHttpClientFactory _named = null!;
    private IIntegrationClientFactory _integrations = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _host = await BenchmarkHost.StartAsync();
        _named = _host.Services.GetService(typeof(IHttpClientFactory)) as IHttpClientFactory ?? throw new InvalidOperationException();
        _integrations = _host.Services.GetService(typeof(IIntegrationClientFactory)) as IIntegrationClientFactory ?? throw new InvalidOperationException();
        _ = NamedClient();
        _ = IntegrationClient();
        _ = TypedIntegrationClient();
    }

    [GlobalCleanup]
    public void Cleanup() => _host.Dispose();

    [Benchmark(Baseline = true)]
    public HttpClient NamedClient()
    {
        var client = _named.CreateClient(BenchmarkHost.PlainNamedClient);
        client.Dispose();
        return client;
    }

    [Benchmark]
    public HttpClient IntegrationClient()
    {
        var client = _integrations.CreateClient(_host.OAuthId);
        client.Dispose();
        return client;
    }

    [Benchmark]
    public JiraClient TypedIntegrationClient()
    {
        var client = _integrations.CreateClient<JiraClient>(_host.OAuthId);
        client.HttpClient.Dispose();
        return client;
    }
}
