using Microsoft.Extensions.DependencyInjection;
using Scoutflo.Http.Integrations.Connections.Internal;
using Scoutflo.Http.Integrations.Storage.InMemory;
using Scoutflo.Http.Integrations.Tests.TestSupport;
using Xunit.Abstractions;

namespace Scoutflo.Http.Integrations.Tests.Connections;

/// <summary>
/// A measurement (printed with <c>--logger "console;verbosity=detailed"</c>), asserting only the
/// bounds, never a figure: the memory one cached OAuth connection costs (its resolution, its
/// level-1 token and its entry in the in-memory token cache), and the memory held while
/// 20,000 distinct connections are used in turn with limits of 1,000.
/// </summary>
public sealed class ConnectionMemoryMeasurementTests(ITestOutputHelper output)
{
    private const int Limit = 1000;
    private const int Connections = 20 * Limit;

    [Fact]
    public async Task CachedConnections_ChurnThroughManyMoreThanTheLimit_StayWithinTheLimits()
    {
        await using var harness = new AtlassianHarness(services: s => s.Configure<ScoutfloIntegrationsOptions>(o =>
        {
            o.ConnectionCacheSizeLimit = Limit;
            o.TokenCacheSizeLimit = Limit;
        }));
        var template = await harness.InstallAsync();
        var ids = new List<string>(Connections);
        for (var i = 0; i < Connections; i++)
        {
            ids.Add((await harness.Store.InsertAsync(template with { Id = string.Empty })).Id);
        }

        var resolved = harness.Services.GetRequiredService<ResolvedConnectionCache>();
        var tokens = Assert.IsType<InMemoryTokenCache>(harness.Services.GetRequiredService<ITokenCache>());
        var baseline = MeasureHeap();
        for (var i = 0; i < Limit; i++)
        {
            await UseAsync(harness, ids[i]);
        }

        var perConnection = (MeasureHeap() - baseline) / (double)Limit;
        Assert.Equal(Limit, resolved.Count);

        var held = new List<long>();
        for (var i = Limit; i < Connections; i++)
        {
            await UseAsync(harness, ids[i]);
            if ((i + 1) % Limit == 0)
            {
                held.Add(MeasureHeap() - baseline);
                Assert.InRange(resolved.Count, 1, Limit);
                Assert.InRange(tokens.Count, 1, Limit);
            }
        }

        output.WriteLine($"per cached OAuth connection (resolution + L1 token + in-memory token cache entry): {perConnection:F0} bytes");
        output.WriteLine($"after each further {Limit} connections of {Connections} (limits {Limit}): held above baseline min {held.Min() / 1024} KiB, max {held.Max() / 1024} KiB, last {held[^1] / 1024} KiB");
    }

    private static async Task UseAsync(AtlassianHarness harness, string id)
    {
        var connection = await harness.Connections.ResolveConnectionAsync(id);
        using var request = new HttpRequestMessage(HttpMethod.Get, connection.BaseAddress);
        await connection.Credentials.ApplyAsync(request, CancellationToken.None);
        Assert.NotNull(request.Headers.Authorization);
    }

    private static long MeasureHeap()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
