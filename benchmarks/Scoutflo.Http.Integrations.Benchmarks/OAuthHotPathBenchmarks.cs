using System.Net;
using BenchmarkDotNet.Attributes;

namespace Scoutflo.Http.Integrations.Benchmarks;

/// <summary>
/// One GET through a client bound to an Atlassian OAuth connection whose access token is in the
/// level-1 cache, against a static-header client of the same pipeline in the same run. Each
/// category has its own baseline: the static client sends the same kind of URL (absolute on the
/// API base, or relative to its base address), so that HttpClient's own URL work is on both sides.
/// </summary>
public class OAuthHotPathBenchmarks : HotPathClients
{
    private const string OnApiBase = BenchmarkHost.AtlassianApiBase + BenchmarkHost.Path;
    private const string OnSiteHost = BenchmarkHost.SiteUrl + "/" + BenchmarkHost.Path;

    protected override string StaticClientName => BenchmarkHost.StaticAtlassianClient;

    protected override string LibraryClientName => BenchmarkHost.OAuthClient;

    [BenchmarkCategory("Absolute"), Benchmark(Baseline = true)]
    public Task<HttpStatusCode> StaticHeader_Absolute() => BenchmarkHost.GetAsync(Static, OnApiBase);

    /// <summary>An absolute URL already on the API base (e.g. a <c>next</c> link): checked, not rewritten.</summary>
    [BenchmarkCategory("Absolute"), Benchmark]
    public Task<HttpStatusCode> OAuth_AbsoluteOnApiBase() => BenchmarkHost.GetAsync(Library, OnApiBase);

    /// <summary>An absolute URL on the Jira site (a <c>self</c> link): rewritten onto the API base.</summary>
    [BenchmarkCategory("Absolute"), Benchmark]
    public Task<HttpStatusCode> OAuth_SiteHostRewritten() => BenchmarkHost.GetAsync(Library, OnSiteHost);

    [BenchmarkCategory("Relative"), Benchmark(Baseline = true)]
    public Task<HttpStatusCode> StaticHeader_Relative() => BenchmarkHost.GetAsync(Static, BenchmarkHost.Path);

    /// <summary>A relative URL: rewritten from the placeholder base onto the API base.</summary>
    [BenchmarkCategory("Relative"), Benchmark]
    public Task<HttpStatusCode> OAuth_RelativeRewritten() => BenchmarkHost.GetAsync(Library, BenchmarkHost.Path);
}
