using System.Net;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace Scoutflo.Http.Integrations.Benchmarks;

/// <summary>
/// One GET through a client bound to a static API-key connection (a custom API under a path
/// prefix), against a static-header client of the same pipeline in the same run, per kind of URL.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(BenchmarkConfig))]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class ApiKeyHotPathBenchmarks
{
    private const string OnApiBase = BenchmarkHost.CustomApiBase + BenchmarkHost.Path;

    private BenchmarkHost _host = null!;
    private HttpClient _static = null!;
    private HttpClient _apiKey = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _host = await BenchmarkHost.StartAsync();
        _static = _host.CreateClient(BenchmarkHost.StaticCustomClient);
        _apiKey = _host.CreateClient(BenchmarkHost.ApiKeyClient);
        if (await BenchmarkHost.GetAsync(_apiKey, BenchmarkHost.Path) != HttpStatusCode.OK)
        {
            throw new InvalidOperationException("The warm-up request failed.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _host.Dispose();

    [BenchmarkCategory("Absolute"), Benchmark(Baseline = true)]
    public Task<HttpStatusCode> StaticHeader_Absolute() => BenchmarkHost.GetAsync(_static, OnApiBase);

    [BenchmarkCategory("Absolute"), Benchmark]
    public Task<HttpStatusCode> ApiKey_AbsoluteOnApiBase() => BenchmarkHost.GetAsync(_apiKey, OnApiBase);

    [BenchmarkCategory("Relative"), Benchmark(Baseline = true)]
    public Task<HttpStatusCode> StaticHeader_Relative() => BenchmarkHost.GetAsync(_static, BenchmarkHost.Path);

    [BenchmarkCategory("Relative"), Benchmark]
    public Task<HttpStatusCode> ApiKey_RelativeRewritten() => BenchmarkHost.GetAsync(_apiKey, BenchmarkHost.Path);
}
