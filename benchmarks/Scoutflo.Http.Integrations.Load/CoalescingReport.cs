namespace Scoutflo.Http.Integrations.Load;

/// <summary>
/// One round's figures: token calls, and each waiter's added latency beyond the token call —
/// from the moment the token endpoint finished its answer to the moment the request left the
/// auth handler with the new token.
/// </summary>
internal static class CoalescingReport
{
    public static RoundResult Summarize(int round, IReadOnlyList<Burst> bursts, int tokenCalls, int refused, (long Started, long Answered) token)
    {
        var added = new List<double>();
        var toToken = new List<double>();
        var failures = 0;
        string? firstError = null;
        foreach (var burst in bursts)
        {
            failures += burst.Failures;
            firstError ??= burst.FirstError;
            for (var i = 0; i < burst.Stamps.Length; i++)
            {
                if (burst.Stamps[i] == 0)
                {
                    continue;
                }

                added.Add(Stats.Ms(burst.Stamps[i] - token.Answered));
                toToken.Add(Stats.Ms(burst.Stamps[i] - burst.Starts[i]));
            }
        }

        var perProcess = bursts.Count < 2 ? null : string.Join("; ", bursts.Select(b =>
        {
            var own = b.Stamps.Where(t => t != 0).Select(t => Stats.Ms(t - token.Answered)).ToList();
            return own.Count == 0 ? "none" : $"{Stats.F(own.Min())}/{Stats.F(Stats.Median(own))}/{Stats.F(own.Max())}";
        }));
        return new RoundResult(round, added.Count, failures, firstError, tokenCalls, refused, Stats.Ms(token.Answered - token.Started),
            Stats.Percentile(added, 50), Stats.Percentile(added, 99), added.Count == 0 ? double.NaN : added.Max(), Stats.Percentile(toToken, 99), perProcess);
    }

    /// <summary>
    /// Adds the round's floor: the p99, over every process's floor burst, of each request's time
    /// from its burst's release (the same callers parked with no refresh to wait for, then
    /// released at once) to the moment it left the auth handler.
    /// </summary>
    public static RoundResult WithFloor(RoundResult result, IReadOnlyList<FloorResult> floors)
    {
        var latencies = floors.SelectMany(f => f.Burst.Stamps.Where(t => t != 0).Select(t => Stats.Ms(t - f.Released))).ToList();
        return result with
        {
            FloorP99 = Stats.Percentile(latencies, 99),
            Failures = result.Failures + floors.Sum(f => f.Burst.Failures),
            FirstError = result.FirstError ?? floors.Select(f => f.Burst.FirstError).FirstOrDefault(e => e is not null),
        };
    }

    public static void Print(RoundResult r, string label)
    {
        var floor = double.IsNaN(r.FloorP99) ? "" : $"; floor p99 {Stats.F(r.FloorP99)} ms, added p99 over it {Stats.F(r.AddedP99 - r.FloorP99)} ms";
        Console.WriteLine($"{label} round {r.Round}: requests ok {r.Served} failed {r.Failures}{(r.FirstError is null ? "" : $" ({r.FirstError})")}; token calls {r.TokenCalls} (refused {r.Refused}); token call {Stats.F(r.TokenCallMs)} ms at the endpoint; added beyond it p50 {Stats.F(r.AddedP50)} ms p99 {Stats.F(r.AddedP99)} ms max {Stats.F(r.AddedMax)} ms{floor}; start-to-token p99 {Stats.F(r.ToTokenP99)} ms{(r.PerProcess is null ? "" : $"; added min/median/max per process: {r.PerProcess}")}");
    }

    public static int Conclude(IReadOnlyList<RoundResult> rounds, string label, double targetP99)
    {
        var p99s = rounds.Select(r => r.AddedP99).ToList();
        var exactlyOne = rounds.All(r => r.TokenCalls == 1 && r.Refused == 0 && r.Failures == 0);
        var medianP99 = Stats.Median(p99s);
        Console.WriteLine($"{label}: {rounds.Count} measured rounds; token calls per round {string.Join(",", rounds.Select(r => r.TokenCalls))}; failures {rounds.Sum(r => r.Failures)}; added p50 (median of rounds) {Stats.F(Stats.Median(rounds.Select(r => r.AddedP50).ToList()))} ms; added p99 median {Stats.F(medianP99)} ms (rounds: {string.Join(", ", p99s.Select(p => Stats.F(p)))}); target p99 <= {targetP99} ms: {(medianP99 <= targetP99 ? "met" : "MISSED")}; exactly one token call per round: {(exactlyOne ? "yes" : "NO")}");
        if (rounds.Count > 0 && rounds.All(r => !double.IsNaN(r.FloorP99)))
        {
            var overFloor = rounds.Select(r => r.AddedP99 - r.FloorP99).ToList();
            Console.WriteLine($"{label}: floor p99 median {Stats.F(Stats.Median(rounds.Select(r => r.FloorP99).ToList()))} ms; added p99 over the same round's floor, median {Stats.F(Stats.Median(overFloor))} ms (rounds: {string.Join(", ", overFloor.Select(p => Stats.F(p)))})");
        }

        return exactlyOne ? 0 : 1;
    }
}

internal sealed record RoundResult(int Round, int Served, int Failures, string? FirstError, int TokenCalls, int Refused, double TokenCallMs, double AddedP50, double AddedP99, double AddedMax, double ToTokenP99, string? PerProcess)
{
    /// <summary>The p99 of the same burst with no refresh (<see cref="CoalescingReport.WithFloor"/>); NaN when not measured.</summary>
    public double FloorP99 { get; init; } = double.NaN;
}

/// <summary>One process's floor burst and the moment its gate opened.</summary>
internal sealed record FloorResult(Burst Burst, long Released);
