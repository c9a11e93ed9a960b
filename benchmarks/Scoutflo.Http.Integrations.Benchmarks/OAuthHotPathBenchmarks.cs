using System.Net;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace Scoutflo.Http.Integrations.Benchmarks;

/// <summary>
/// One GET through a client bound to an Atlassian OAuth connection whose access token is in the
/// level-1 cache, against a static-header client of the same pipeline in the same run. Each
/// category has its own baseline: the static client sends the same kind of URL (absolute on the
/// API base, or relative to its base address), so that HttpClient's own URL work is on both sides.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(BenchmarkConfig))]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class OAuthHotPathBenchmarks
{
    private const string OnApiBase = BenchmarkHost.AtlassianApiBase + BenchmarkHost.Path;
    private const string OnSiteHost = BenchmarkHost.SiteUrl + "/" + BenchmarkHost.Path;

    private BenchmarkHost _host = null!;
    private HttpClient _static = null!;
    private HttpClient _oauth = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _host = await BenchmarkHost.StartAsync();
        _static = _host.CreateClient(BenchmarkHost.StaticAtlassianClient);
        _oauth = _host.CreateClient(BenchmarkHost.OAuthClient);

        // Resolves the connection and fills the level-1 token cache.
        if (await BenchmarkHost.GetAsync(_oauth, BenchmarkHost.Path) != HttpStatusCode.OK)
        {
            throw new InvalidOperationException("The warm-up request failed.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _host.Dispose();

    [BenchmarkCategory("Absolute"), Benchmark(Baseline = true)]
    public Task<HttpStatusCode> StaticHeader_Absolute() => BenchmarkHost.GetAsync(_static, OnApiBase);

    /// <summary>An absolute URL already on the API base (e.g. a <c>next</c> link): checked, not rewritten.</summary>
    [BenchmarkCategory("Absolute"), Benchmark]
    public Task<HttpStatusCode> OAuth_AbsoluteOnApiBase() => BenchmarkHost.GetAsync(_oauth, OnApiBase);

    /// <summary>An absolute URL on the Jira site (a <c>self</c> link): rewritten onto the API base.</summary>
    [BenchmarkCategory("Absolute"), Benchmark]
    public Task<HttpStatusCode> OAuth_SiteHostRewritten() => BenchmarkHost.GetAsync(_oauth, OnSiteHost);

    [BenchmarkCategory("Relative"), Benchmark(Baseline = true)]
    public Task<HttpStatusCode> StaticHeader_Relative() => BenchmarkHost.GetAsync(_static, BenchmarkHost.Path);

    /// <summary>A relative URL: rewritten from the placeholder base onto the API base.</summary>
    [BenchmarkCategory("Relative"), Benchmark]
    public Task<HttpStatusCode> OAuth_RelativeRewritten() => BenchmarkHost.GetAsync(_oauth, BenchmarkHost.Path);
}
