using System.Net;
using BenchmarkDotNet.Attributes;

namespace Scoutflo.Http.Integrations.Benchmarks;

/// <summary>
/// One GET through a client bound to a static API-key connection (a custom API under a path
/// prefix), against a static-header client of the same pipeline in the same run, per kind of URL.
/// </summary>
public class ApiKeyHotPathBenchmarks : HotPathClients
{
    private const string OnApiBase = BenchmarkHost.CustomApiBase + BenchmarkHost.Path;

    protected override string StaticClientName => BenchmarkHost.StaticCustomClient;

    protected override string LibraryClientName => BenchmarkHost.ApiKeyClient;

    [BenchmarkCategory("Absolute"), Benchmark(Baseline = true)]
    public Task<HttpStatusCode> StaticHeader_Absolute() => BenchmarkHost.GetAsync(Static, OnApiBase);

    [BenchmarkCategory("Absolute"), Benchmark]
    public Task<HttpStatusCode> ApiKey_AbsoluteOnApiBase() => BenchmarkHost.GetAsync(Library, OnApiBase);

    [BenchmarkCategory("Relative"), Benchmark(Baseline = true)]
    public Task<HttpStatusCode> StaticHeader_Relative() => BenchmarkHost.GetAsync(Static, BenchmarkHost.Path);

    [BenchmarkCategory("Relative"), Benchmark]
    public Task<HttpStatusCode> ApiKey_RelativeRewritten() => BenchmarkHost.GetAsync(Library, BenchmarkHost.Path);
}
