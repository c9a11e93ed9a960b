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

    public static void Print(RoundResult r, string label) =>
        Console.WriteLine($"{label} round {r.Round}: requests ok {r.Served} failed {r.Failures}{(r.FirstError is null ? "" : $" ({r.FirstError})")}; token calls {r.TokenCalls} (refused {r.Refused}); token call {Stats.F(r.TokenCallMs)} ms at the endpoint; added beyond it p50 {Stats.F(r.AddedP50)} ms p99 {Stats.F(r.AddedP99)} ms max {Stats.F(r.AddedMax)} ms; start-to-token p99 {Stats.F(r.ToTokenP99)} ms{(r.PerProcess is null ? "" : $"; added min/median/max per process: {r.PerProcess}")}");

    public static int Conclude(IReadOnlyList<RoundResult> rounds, string label, double targetP99)
    {
        var p99s = rounds.Select(r => r.AddedP99).ToList();
        var exactlyOne = rounds.All(r => r.TokenCalls == 1 && r.Refused == 0 && r.Failures == 0);
        var medianP99 = Stats.Median(p99s);
        Console.WriteLine($"{label}: {rounds.Count} measured rounds; token calls per round {string.Join(",", rounds.Select(r => r.TokenCalls))}; failures {rounds.Sum(r => r.Failures)}; added p50 (median of rounds) {Stats.F(Stats.Median(rounds.Select(r => r.AddedP50).ToList()))} ms; added p99 median {Stats.F(medianP99)} ms (rounds: {string.Join(", ", p99s.Select(p => Stats.F(p)))}); target p99 <= {targetP99} ms: {(medianP99 <= targetP99 ? "met" : "MISSED")}; exactly one token call per round: {(exactlyOne ? "yes" : "NO")}");
        return exactlyOne ? 0 : 1;
    }
}

internal sealed record RoundResult(int Round, int Served, int Failures, string? FirstError, int TokenCalls, int Refused, double TokenCallMs, double AddedP50, double AddedP99, double AddedMax, double ToTokenP99, string? PerProcess);
