using System.Net;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace Scoutflo.Http.Integrations.Benchmarks;

/// <summary>
/// The setup of a hot-path class: one host, the static-header baseline client and the library's
/// client, the latter warmed by one request (connection resolved, credential in memory) so that
/// every measured request is the steady state. The derived classes inherit the reporting: bytes
/// per operation, and one baseline per category.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(BenchmarkConfig))]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public abstract class HotPathClients
{
    private BenchmarkHost _host = null!;

    /// <summary>The baseline: the same pipeline with a static credential header.</summary>
    protected HttpClient Static { get; private set; } = null!;

    /// <summary>The library's client.</summary>
    protected HttpClient Library { get; private set; } = null!;

    /// <summary>The baseline's client name in <see cref="BenchmarkHost"/>.</summary>
    protected abstract string StaticClientName { get; }

    /// <summary>The library client's name in <see cref="BenchmarkHost"/>.</summary>
    protected abstract string LibraryClientName { get; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _host = await BenchmarkHost.StartAsync();
        Static = _host.CreateClient(StaticClientName);
        Library = _host.CreateClient(LibraryClientName);
        if (await WarmUpAsync() != HttpStatusCode.OK)
        {
            throw new InvalidOperationException("The warm-up request failed.");
        }
    }

    /// <summary>The warm-up request through the library's client.</summary>
    protected virtual Task<HttpStatusCode> WarmUpAsync() => BenchmarkHost.GetAsync(Library, BenchmarkHost.Path);

    [GlobalCleanup]
    public void Cleanup() => _host.Dispose();
}
