using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace Scoutflo.Http.Integrations.Load;

/// <summary>
/// Scenario b: <c>--processes</c> child processes of this program (role <c>child</c>), each with
/// the library on the same Redis (token cache, refresh lock) and the same MongoDB (the record),
/// send <c>--requests</c> requests in all on one connection whose token has expired. The parent
/// hosts the token endpoint and the API, seeds a fresh record per round, and releases every
/// child at once (a line on each one's stdin) once all of them have resolved the connection.
/// Stopwatch timestamps are CLOCK_MONOTONIC on Linux, so the children's stamps and the
/// endpoint's are on one clock.
/// </summary>
internal static class DistributedCoalescingScenario
{
    public static async Task<int> RunAsync(LoadArgs args)
    {
        var redis = args.Required("redis", "SCOUTFLO_LOAD_REDIS", "SCOUTFLO_TEST_REDIS");
        var mongo = args.Required("mongodb", "SCOUTFLO_LOAD_MONGODB", "SCOUTFLO_TEST_MONGODB");
        var processes = args.Int("processes", 4);
        var requests = args.Int("requests", 1000);
        var rounds = args.Int("rounds", 5);
        var database = "scoutflo_load_" + Environment.ProcessId;
        var delay = args.Int("token-delay-ms", 50);
        await using var fake = await FakeAtlassian.StartAsync(TimeSpan.FromMilliseconds(delay));
        await using var seeder = LoadLibrary.Build(fake.TokenEndpoint, fake.ApiBaseUrl, b => b.UseMongoDb(mongo, database).UseRedis(redis));
        Console.WriteLine($"coalesce-redis: {processes} processes x {requests / processes} requests per round on an expired token; Redis {redis}, MongoDB {mongo.Split('?')[0]} (database {database}); token endpoint answering after {delay} ms; API calls {(args.String("api") == "memory" ? "answered from memory" : "to Kestrel")}; {Environment.ProcessorCount} cores");

        var children = new List<Child>();
        try
        {
            for (var i = 0; i < processes; i++)
            {
                children.Add(Child.Start(["child", "--token-endpoint", fake.TokenEndpoint.AbsoluteUri, "--api-base", fake.ApiBaseUrl.AbsoluteUri,
                    "--redis", redis, "--mongodb", mongo, "--database", database, "--api", args.String("api") ?? "kestrel", "--requests", (requests / processes).ToString(System.Globalization.CultureInfo.InvariantCulture)]));
            }

            await ExpectFromAllAsync(children, "READY");

            // Each child refreshes once alone before the rounds, so that whichever becomes the
            // holder has made its first token call (a new connection, code run once) and has read
            // the account (the grant's lock) already: round 0 warms up only one process otherwise,
            // and a later round's first-time holder, or first reader of the account, made every
            // (or one) process late by 100-1,000 ms that no steady-state refresh costs.
            foreach (var child in children)
            {
                var warm = await LoadLibrary.AddExpiredJiraAsync(seeder, fake.IssueRefreshToken());
                await child.SendAsync($"WARM {warm.Id}");
                await child.ExpectAsync("WARMED");
            }

            var results = new List<RoundResult>();
            for (var round = 0; round <= rounds; round++)
            {
                var record = await LoadLibrary.AddExpiredJiraAsync(seeder, fake.IssueRefreshToken());
                await SendToAllAsync(children, $"ROUND {record.Id}");
                await ExpectFromAllAsync(children, "ARMED");
                var callsBefore = fake.RefreshCalls;
                var refusedBefore = fake.Refused;
                await SendToAllAsync(children, "GO");
                var bursts = await ExpectFromAllAsync(children, "RESULT ", json => JsonSerializer.Deserialize<Burst>(json)!);
                var result = CoalescingReport.Summarize(round, bursts, fake.RefreshCalls - callsBefore, fake.Refused - refusedBefore, fake.LastRefresh);

                // The round's floor: every child parks the same callers on the token now fresh,
                // then all are released together, with no refresh to wait for.
                await SendToAllAsync(children, $"FLOOR {record.Id}");
                await ExpectFromAllAsync(children, "FLOOR-ARMED");
                await SendToAllAsync(children, "FLOOR-GO");
                var floors = await ExpectFromAllAsync(children, "FLOOR-RESULT ", json => JsonSerializer.Deserialize<FloorResult>(json)!);
                result = CoalescingReport.WithFloor(result, floors);
                CoalescingReport.Print(result, round == 0 ? "coalesce-redis (warm-up)" : "coalesce-redis");

                // What one round trip to each server costs right now, beside the figures above.
                var storeRead = Stopwatch.GetTimestamp();
                await seeder.GetRequiredService<IIntegrationStore>().GetAsync(record.Id);
                var cacheRead = Stopwatch.GetTimestamp();
                await seeder.GetRequiredService<ITokenCache>().GetAsync($"integration:jira:{record.Id}:app_user:{record.AccountId}:access_token");
                Console.WriteLine($"  after round {round}: one MongoDB read {Stats.F(Stats.Ms(cacheRead - storeRead))} ms, one Redis GET {Stats.F(Stats.Ms(Stopwatch.GetTimestamp() - cacheRead))} ms; load average {CoalescingScenario.LoadAverage()}");
                if (round > 0)
                {
                    results.Add(result);
                }
            }

            return CoalescingReport.Conclude(results, "coalesce-redis", 50);
        }
        finally
        {
            foreach (var child in children)
            {
                await child.StopAsync();
            }
        }
    }

    private static async Task SendToAllAsync(IEnumerable<Child> children, string line)
    {
        foreach (var child in children)
        {
            await child.SendAsync(line);
        }
    }

    private static async Task ExpectFromAllAsync(IEnumerable<Child> children, string prefix) =>
        await ExpectFromAllAsync<string>(children, prefix, _ => string.Empty);

    /// <summary>Each child's next line starting with <paramref name="prefix"/>, the rest of it read by <paramref name="parse"/>.</summary>
    private static async Task<List<T>> ExpectFromAllAsync<T>(IEnumerable<Child> children, string prefix, Func<string, T> parse)
    {
        var results = new List<T>();
        foreach (var child in children)
        {
            var line = await child.ExpectAsync(prefix);
            results.Add(parse(line[prefix.Length..]));
        }

        return results;
    }

    /// <summary>The child role: one replica of a service, driven over stdin/stdout.</summary>
    public static async Task<int> RunChildAsync(LoadArgs args)
    {
        var requests = args.Int("requests", 250);
        await using var services = LoadLibrary.Build(new Uri(args.Required("token-endpoint")), new Uri(args.Required("api-base")),
            b => b.UseMongoDb(args.Required("mongodb"), args.Required("database")).UseRedis(args.Required("redis")),
            inMemoryApi: args.String("api") == "memory");
        var client = services.GetRequiredService<IHttpClientFactory>().CreateClient("coalesce");
        var url = new Uri(new Uri(args.Required("api-base")), $"ex/jira/{FakeAtlassian.CloudId}/rest/api/3/myself");
        Console.WriteLine("READY");
        TaskCompletionSource? go = null;
        Task<Burst>? burst = null;
        LoadLibrary.FloorBurst? floor = null;
        while (await Console.In.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("ROUND ", StringComparison.Ordinal))
            {
                // Every caller parked on the start signal before the parent hears ARMED.
                var integrationId = line["ROUND ".Length..];
                await services.GetRequiredService<IConnectionManager>().ResolveConnectionAsync(integrationId);
                go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                burst = LoadLibrary.RunBurstAsync(client, url, integrationId, requests, go.Task);
                await Task.Delay(100);
                Console.WriteLine("ARMED");
            }
            else if (line.StartsWith("WARM ", StringComparison.Ordinal))
            {
                var integrationId = line["WARM ".Length..];
                await services.GetRequiredService<IConnectionManager>().ResolveConnectionAsync(integrationId);
                var warmed = await LoadLibrary.RunBurstAsync(client, url, integrationId, 1, Task.CompletedTask);
                if (warmed.Failures != 0)
                {
                    Console.WriteLine($"warm-up refresh failed: {warmed.FirstError}");
                    return 1;
                }

                Console.WriteLine("WARMED");
            }
            else if (line.StartsWith("FLOOR ", StringComparison.Ordinal))
            {
                floor = LoadLibrary.ParkFloorBurst(client, url, line["FLOOR ".Length..], requests);
                await floor.Parked;
                Console.WriteLine("FLOOR-ARMED");
            }
            else if (line == "FLOOR-GO" && floor is not null)
            {
                var released = floor.Release();
                Console.WriteLine("FLOOR-RESULT " + JsonSerializer.Serialize(new FloorResult(await floor.Completion, released)));
            }
            else if (line == "GO" && go is not null && burst is not null)
            {
                go.SetResult();
                Console.WriteLine("RESULT " + JsonSerializer.Serialize(await burst));
            }
            else if (line == "EXIT")
            {
                break;
            }
        }

        return 0;
    }

    private sealed class Child
    {
        private readonly Process _process;

        private Child(Process process) => _process = process;

        public static Child Start(IEnumerable<string> arguments)
        {
            // Run as the apphost (dotnet run) or as "dotnet Load.dll".
            var path = Environment.ProcessPath!;
            var info = new ProcessStartInfo(path) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
            if (Path.GetFileNameWithoutExtension(path) == "dotnet")
            {
                info.ArgumentList.Add(typeof(Child).Assembly.Location);
            }

            foreach (var argument in arguments)
            {
                info.ArgumentList.Add(argument);
            }

            return new Child(Process.Start(info)!);
        }

        public async Task SendAsync(string line)
        {
            await _process.StandardInput.WriteLineAsync(line);
            await _process.StandardInput.FlushAsync();
        }

        public async Task<string> ExpectAsync(string prefix)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            while (await _process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                if (line.StartsWith(prefix, StringComparison.Ordinal))
                {
                    return line;
                }

                Console.WriteLine($"  child {_process.Id}: {line}");
            }

            throw new InvalidOperationException($"child {_process.Id} exited before '{prefix}' (exit code {(_process.HasExited ? _process.ExitCode : -1)})");
        }

        public async Task StopAsync()
        {
            try
            {
                if (!_process.HasExited)
                {
                    await SendAsync("EXIT");
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                    await _process.WaitForExitAsync(timeout.Token);
                }
            }
            catch (Exception)
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.Dispose();
        }
    }
}
