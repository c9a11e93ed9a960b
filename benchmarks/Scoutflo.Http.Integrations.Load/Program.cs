using Scoutflo.Http.Integrations.Load;

// dotnet run -c Release --project benchmarks/Scoutflo.Http.Integrations.Load -- <scenario> [--option value ...]
// Scenarios and options: benchmarks/README.md.
var scenario = args.Length > 0 ? args[0] : "help";
var options = new LoadArgs(args.Skip(1));
return scenario switch
{
    "coalesce" => await CoalescingScenario.RunAsync(options),
    "coalesce-redis" => await DistributedCoalescingScenario.RunAsync(options),
    "child" => await DistributedCoalescingScenario.RunChildAsync(options),
    "throughput" => await ThroughputScenario.RunAsync(options),
    _ => Usage(),
};

static int Usage()
{
    Console.WriteLine("""
        usage: Scoutflo.Http.Integrations.Load <scenario> [options]
          coalesce        one process: --requests 1000 --rounds 5 --token-delay-ms 50
          coalesce-redis  --processes 4 child processes on one Redis and one MongoDB:
                          --redis host:port --mongodb mongodb://... (or SCOUTFLO_LOAD_REDIS / SCOUTFLO_LOAD_MONGODB,
                          else SCOUTFLO_TEST_REDIS / SCOUTFLO_TEST_MONGODB) --requests 1000 --rounds 5 --token-delay-ms 50
          throughput      Kestrel on 127.0.0.1: --callers 64 --pairs 10 --seconds 2
        """);
    return 64;
}
