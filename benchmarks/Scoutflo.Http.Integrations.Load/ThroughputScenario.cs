using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Scoutflo.Http.Integrations.Load;

/// <summary>
/// Scenario c: loopback throughput through Kestrel on 127.0.0.1, <c>--callers</c> concurrent
/// callers. Client A is the library's (<c>AddIntegrationAuth</c>: an OAuth connection with its
/// token in L1, and an API-key connection); client B is the same IHttpClientFactory pipeline
/// with a static header instead of the auth handler, and the same logging choice: the library's
/// clients swap the factory's default request loggers for a header-free one, and so does B
/// (<c>--baseline-logging none</c> gives B no request logger at all, to see what the header-free
/// one costs). A's clients are bound to their integrations, as <c>AddJiraClient(id)</c> binds a
/// typed client (<c>--binding request</c>: one unbound client, the id set on each request). Runs
/// alternate in pairs (A then B, B then A, ...), each <c>--seconds</c> long; the figure is the
/// median of the pairs' ratios A/B.
/// </summary>
internal static class ThroughputScenario
{
    private const string OAuthToken = "at-throughput-0123456789abcdef0123456789abcdef";
    private const string ApiKey = "key-throughput-0123456789abcdef";

    public static async Task<int> RunAsync(LoadArgs args)
    {
        var callers = args.Int("callers", 64);
        var pairs = args.Int("pairs", 10);
        var seconds = args.Int("seconds", 2);
        var warmups = args.Int("warmups", 3);
        var baselineLogging = args.String("baseline-logging") ?? "library";
        if (baselineLogging is not ("library" or "none"))
        {
            throw new ArgumentException($"--baseline-logging is 'library' (the header-free logger the library's clients have) or 'none', not '{baselineLogging}'.");
        }

        var binding = args.String("binding") ?? "client";
        if (binding is not ("client" or "request"))
        {
            throw new ArgumentException($"--binding is 'client' (each client bound to its integration, as AddJiraClient(id) binds it) or 'request' (one unbound client, the id set on each request), not '{binding}'.");
        }

        IHttpClientBuilder Logging(IHttpClientBuilder baseline) =>
            baselineLogging == "none" ? baseline.RemoveAllLoggers() : baseline.UseHeaderlessLogging();

        // Client binding: the ids exist only once the connections below are created; the
        // handler's options are built when the first client is, after that.
        string? jiraId = null, apiKeyId = null;
        await using var fake = await FakeAtlassian.StartAsync(TimeSpan.Zero);
        await using var services = LoadLibrary.Build(fake.TokenEndpoint, fake.ApiBaseUrl, clients: services =>
        {
            services.AddHttpClient("oauth").AddIntegrationAuth(o => o.IntegrationId = binding == "client" ? jiraId : null);
            services.AddHttpClient("apikey").AddIntegrationAuth(o => o.IntegrationId = binding == "client" ? apiKeyId : null);
            Logging(services.AddHttpClient("static-bearer").AddHttpMessageHandler(() => new StaticHeader("Authorization", "Bearer " + OAuthToken)));
            Logging(services.AddHttpClient("static-apikey").AddHttpMessageHandler(() => new StaticHeader("X-Api-Key", ApiKey)));
        });

        var connections = services.GetRequiredService<IConnectionManager>();
        var jira = await connections.CreateConnectionAsync(new Integration
        {
            Provider = IntegrationProviders.Jira,
            AccountId = LoadLibrary.AccountId,
            AuthType = IntegrationAuthTypes.OAuth2,
            Credentials = new Dictionary<string, string>
            {
                [IntegrationCredentialKeys.AccessToken] = OAuthToken,
                [IntegrationCredentialKeys.RefreshToken] = fake.IssueRefreshToken(),
                [IntegrationCredentialKeys.ExpiresAt] = DateTimeOffset.UtcNow.AddDays(1).ToString("O"),
            },
            Metadata = new Dictionary<string, string>
            {
                [IntegrationMetadataKeys.CloudId] = FakeAtlassian.CloudId,
                [IntegrationMetadataKeys.SiteUrl] = "https://load.atlassian.net",
            },
        });
        var apiKey = await connections.CreateConnectionAsync(new Integration
        {
            Provider = IntegrationProviders.Custom,
            AccountId = LoadLibrary.AccountId,
            AuthType = IntegrationAuthTypes.ApiKey,
            Credentials = new Dictionary<string, string> { [IntegrationCredentialKeys.ApiKey] = ApiKey },
            Metadata = new Dictionary<string, string> { [IntegrationMetadataKeys.BaseUrl] = fake.ApiKeyBase.AbsoluteUri },
        });

        (jiraId, apiKeyId) = (jira.Id, apiKey.Id);
        string? PerRequest(string id) => binding == "request" ? id : null;
        var factory = services.GetRequiredService<IHttpClientFactory>();
        var cases = new[]
        {
            new Case("OAuth, token in L1, absolute URL on the API base", new Target(factory.CreateClient("oauth"), fake.MyselfUrl, PerRequest(jira.Id)), new Target(factory.CreateClient("static-bearer"), fake.MyselfUrl, null)),
            new Case("API key, absolute URL under base_url", new Target(factory.CreateClient("apikey"), fake.ItemsUrl, PerRequest(apiKey.Id)), new Target(factory.CreateClient("static-apikey"), fake.ItemsUrl, null)),
        };
        Console.WriteLine($"throughput: Kestrel on {fake.BaseAddress}, {callers} callers, {pairs} interleaved A/B pairs of {seconds} s per case after {warmups} warm-up second(s) each; baseline request logging: {baselineLogging}; integration bound to the {binding}; {Environment.ProcessorCount} cores");

        var exit = 0;
        foreach (var c in cases)
        {
            // Warm: JIT, connection pools, the resolved connection and the L1 token. Several
            // alternating seconds: after one second each, the first measured pair was the lowest
            // of every run, with more CPU per request on the side run first, as if tiered
            // compilation (tier 0, instrumented, optimised) had not finished under this load.
            for (var warm = 0; warm < warmups; warm++)
            {
                await RunAsync(c.Ours, callers, TimeSpan.FromSeconds(1));
                await RunAsync(c.Baseline, callers, TimeSpan.FromSeconds(1));
            }
            var ratios = new List<double>();
            var cpuRatios = new List<double>();
            for (var pair = 1; pair <= pairs; pair++)
            {
                Run ours, baseline;
                if (pair % 2 == 1)
                {
                    ours = await RunAsync(c.Ours, callers, TimeSpan.FromSeconds(seconds));
                    baseline = await RunAsync(c.Baseline, callers, TimeSpan.FromSeconds(seconds));
                }
                else
                {
                    baseline = await RunAsync(c.Baseline, callers, TimeSpan.FromSeconds(seconds));
                    ours = await RunAsync(c.Ours, callers, TimeSpan.FromSeconds(seconds));
                }

                ratios.Add(ours.PerSecond / baseline.PerSecond);
                cpuRatios.Add(baseline.CpuMicrosPerRequest / ours.CpuMicrosPerRequest);
                Console.WriteLine($"  {c.Name} pair {pair}: ours {Stats.F(ours.PerSecond, 0)} req/s ({Stats.F(ours.CpuMicrosPerRequest)} us CPU/req, {Stats.F(ours.BytesPerRequest, 0)} B/req), static-header baseline {Stats.F(baseline.PerSecond, 0)} req/s ({Stats.F(baseline.CpuMicrosPerRequest)} us CPU/req, {Stats.F(baseline.BytesPerRequest, 0)} B/req), ratio {Stats.F(ratios[^1], 3)}, CPU ratio {Stats.F(cpuRatios[^1], 3)}");
            }

            var median = Stats.Median(ratios);
            var (low, high) = Stats.MedianConfidence95(ratios);
            Console.WriteLine($"  load average {CoalescingScenario.LoadAverage()}");
            Console.WriteLine($"throughput {c.Name}: median ratio ours/static-header {Stats.F(median, 3)} (95% confidence interval of the median {Stats.F(low, 3)}-{Stats.F(high, 3)}; min {Stats.F(ratios.Min(), 3)}, max {Stats.F(ratios.Max(), 3)}); target >= 0.97: {(median >= 0.97 ? "met" : "MISSED")}{(low < 0.97 && high >= 0.97 ? " (the interval spans 0.97: this run does not decide it)" : "")}; "
                + $"CPU-per-request ratio static-header/ours (throughput on a saturated core, less sensitive to other processes) median {Stats.F(Stats.Median(cpuRatios), 3)} (min {Stats.F(cpuRatios.Min(), 3)}, max {Stats.F(cpuRatios.Max(), 3)})");
            exit |= median >= 0.97 ? 0 : 2;
        }

        return exit;
    }

    /// <summary>Requests per second that <paramref name="callers"/> callers complete in <paramref name="duration"/>, and this process's CPU time per request (client and server).</summary>
    private static async Task<Run> RunAsync(Target target, int callers, TimeSpan duration)
    {
        var completed = 0L;
        var failures = 0L;
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var allocatedBefore = GC.GetTotalAllocatedBytes();
        var started = Stopwatch.GetTimestamp();
        var until = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            while (Stopwatch.GetTimestamp() < until)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, target.Url);
                if (target.IntegrationId is { } id)
                {
                    request.SetIntegrationId(id);
                }

                using var response = await target.Client.SendAsync(request);
                await response.Content.CopyToAsync(Stream.Null);
                if (response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref completed);
                }
                else
                {
                    Interlocked.Increment(ref failures);
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);
        if (failures > 0)
        {
            throw new InvalidOperationException($"{failures} requests failed; the comparison would not be fair.");
        }

        var elapsedMs = Stats.Ms(Stopwatch.GetTimestamp() - started);
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        var allocated = GC.GetTotalAllocatedBytes() - allocatedBefore;
        return new Run(completed / elapsedMs * 1000, cpu.TotalMicroseconds / completed, (double)allocated / completed);
    }

    private sealed record Run(double PerSecond, double CpuMicrosPerRequest, double BytesPerRequest);

    private sealed record Target(HttpClient Client, Uri Url, string? IntegrationId);

    private sealed record Case(string Name, Target Ours, Target Baseline);

    /// <summary>The baseline's credential: one fixed header.</summary>
    private sealed class StaticHeader(string name, string value) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.TryAddWithoutValidation(name, value);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
