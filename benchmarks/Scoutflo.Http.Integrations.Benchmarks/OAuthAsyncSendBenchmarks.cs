using System.Net;
using BenchmarkDotNet.Attributes;

namespace Scoutflo.Http.Integrations.Benchmarks;

/// <summary>
/// One GET whose answer comes after the send returned (as a network send's does, but given on the
/// same thread at once, so no thread-pool hop blurs the figure), through the OAuth client (token in
/// L1) and through the static-header baseline in the same run.
/// Unlike <see cref="OAuthHotPathBenchmarks"/>, whose sends complete at once, the OAuth handler
/// here awaits the response to watch it for a refusal: this row measures that watch.
/// </summary>
public class OAuthAsyncSendBenchmarks : HotPathClients
{
    private const string OnApiBase = BenchmarkHost.AtlassianApiBase + BenchmarkHost.Path;

    protected override string StaticClientName => BenchmarkHost.StaticAtlassianAsyncClient;

    protected override string LibraryClientName => BenchmarkHost.OAuthAsyncClient;

    protected override Task<HttpStatusCode> WarmUpAsync() => SendAndAnswer(Library);

    [BenchmarkCategory("AsyncSend"), Benchmark(Baseline = true)]
    public Task<HttpStatusCode> StaticHeader_AsyncSend() => SendAndAnswer(Static);

    [BenchmarkCategory("AsyncSend"), Benchmark]
    public Task<HttpStatusCode> OAuth_AsyncSend() => SendAndAnswer(Library);

    private static Task<HttpStatusCode> SendAndAnswer(HttpClient client)
    {
        var sending = BenchmarkHost.GetAsync(client, OnApiBase);
        BenchmarkHost.DeferredApi.CompletePending();
        return sending;
    }
}
