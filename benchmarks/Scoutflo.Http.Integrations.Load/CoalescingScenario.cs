using Microsoft.Extensions.DependencyInjection;

namespace Scoutflo.Http.Integrations.Load;

/// <summary>
/// Scenario a: one process, <c>--requests</c> concurrent requests on one connection whose access
/// token has expired (in-memory store and cache), the token endpoint taking <c>--token-delay-ms</c>.
/// Round 0 warms up (JIT, connection pool) and is not counted; each round uses a fresh record.
/// Each round also measures its floor: the same burst on the refreshed token, with no refresh.
/// </summary>
internal static class CoalescingScenario
{
    public static async Task<int> RunAsync(LoadArgs args)
    {
        var requests = args.Int("requests", 1000);
        var rounds = args.Int("rounds", 5);
        await using var fake = await FakeAtlassian.StartAsync(TimeSpan.FromMilliseconds(args.Int("token-delay-ms", 50)));
        var inMemoryApi = args.String("api") == "memory";
        await using var services = LoadLibrary.Build(fake.TokenEndpoint, fake.ApiBaseUrl, inMemoryApi: inMemoryApi);
        var client = services.GetRequiredService<IHttpClientFactory>().CreateClient("coalesce");
        Console.WriteLine($"coalesce: {requests} concurrent requests per round on an expired token, token endpoint {fake.TokenEndpoint} answering after {args.Int("token-delay-ms", 50)} ms; API calls {(inMemoryApi ? "answered from memory" : "to Kestrel")}; {Environment.ProcessorCount} cores");

        var results = new List<RoundResult>();
        for (var round = 0; round <= rounds; round++)
        {
            var record = await LoadLibrary.AddExpiredJiraAsync(services, fake.IssueRefreshToken());
            await services.GetRequiredService<IConnectionManager>().ResolveConnectionAsync(record.Id);
            var callsBefore = fake.RefreshCalls;
            var refusedBefore = fake.Refused;
            var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var burst = LoadLibrary.RunBurstAsync(client, fake.MyselfUrl, record.Id, requests, go.Task);
            await Task.Delay(200); // every caller parked on the start signal
            go.SetResult();
            var result = CoalescingReport.Summarize(round, [await burst], fake.RefreshCalls - callsBefore, fake.Refused - refusedBefore, fake.LastRefresh);

            // The floor, in the same round: the same callers parked in the pipeline and released
            // at once on the token now fresh in L1, with no refresh. What the cores take to let
            // 1,000 parked requests out through the handler; any client pays it, a static header too.
            var floor = LoadLibrary.ParkFloorBurst(client, fake.MyselfUrl, record.Id, requests);
            await floor.Parked;
            var released = floor.Release();
            result = CoalescingReport.WithFloor(result, [new FloorResult(await floor.Completion, released)]);
            CoalescingReport.Print(result, round == 0 ? "coalesce (warm-up)" : "coalesce");
            Console.WriteLine($"  load average {LoadAverage()}");
            if (round > 0)
            {
                results.Add(result);
            }
        }

        return CoalescingReport.Conclude(results, "coalesce", 20);
    }

    public static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
}
