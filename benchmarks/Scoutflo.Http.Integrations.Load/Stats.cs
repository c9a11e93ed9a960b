using System.Diagnostics;
using System.Globalization;

namespace Scoutflo.Http.Integrations.Load;

internal static class Stats
{
    public static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    /// <summary>The nearest-rank percentile (p in 0..100) of <paramref name="values"/>.</summary>
    public static double Percentile(IReadOnlyList<double> values, double p)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(p / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    public static double Median(IReadOnlyList<double> values) => Percentile(values, 50);

    /// <summary>
    /// A distribution-free 95% confidence interval for the median: the k-th smallest and k-th
    /// largest values, k the largest rank for which fewer than k of n fair coin flips come up
    /// heads with probability at most 2.5%. It assumes nothing of the spread, only that the
    /// values are independent draws; with fewer than 6 values no such rank exists (NaN).
    /// </summary>
    public static (double Low, double High) MedianConfidence95(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        var n = sorted.Length;
        var k = 0;
        var below = 0.0; // P(Binomial(n, 1/2) < k + 1), summed term by term
        var term = Math.Pow(0.5, n);
        for (var heads = 0; heads < n / 2; heads++)
        {
            below += term;
            if (below > 0.025)
            {
                break;
            }

            k = heads + 1;
            term = term * (n - heads) / (heads + 1);
        }

        return k == 0 ? (double.NaN, double.NaN) : (sorted[k - 1], sorted[n - k]);
    }

    public static string F(double value, int decimals = 1) => value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
