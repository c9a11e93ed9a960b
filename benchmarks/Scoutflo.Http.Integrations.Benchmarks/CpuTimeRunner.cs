using System.Reflection;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;

namespace Scoutflo.Http.Integrations.Benchmarks;

/// <summary>
/// A second way to run the same benchmark classes, for a busy machine: the CPU time of the
/// calling thread (not wall-clock time, which other processes' load inflates), per operation,
/// in rounds that interleave every row of a class, reporting medians and the median of each
/// row's per-round difference to its category's baseline. Every benchmark here completes
/// synchronously on the calling thread (in-memory terminal handler), so its thread's CPU time
/// is its whole cost. Allocations are counted exactly per operation.
/// Usage: <c>-- --cpu-time [rounds] [operations per round] [class name filter]</c>.
/// </summary>
internal static class CpuTimeRunner
{
    public static async Task<int> RunAsync(string[] args)
    {
        var rounds = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 15;
        var operations = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 20_000;
        var filter = args.Length > 3 ? args[3] : string.Empty;
        var types = typeof(CpuTimeRunner).Assembly.GetTypes()
            .Where(t => t.IsPublic && !t.IsAbstract && t.Name.Contains(filter, StringComparison.Ordinal)
                && t.GetMethods().Any(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null))
            .OrderBy(t => t.Name, StringComparer.Ordinal);
        Console.WriteLine($"thread CPU time, {rounds} interleaved rounds x {operations} operations; .NET {Environment.Version}, {Environment.ProcessorCount} cores");
        foreach (var type in types)
        {
            await RunClassAsync(type, rounds, operations).ConfigureAwait(false);
        }

        return 0;
    }

    private static async Task RunClassAsync(Type type, int rounds, int operations)
    {
        var instance = Activator.CreateInstance(type)!;
        foreach (var setup in type.GetMethods().Where(m => m.GetCustomAttribute<GlobalSetupAttribute>() is not null))
        {
            if (setup.Invoke(instance, null) is Task task)
            {
                await task.ConfigureAwait(false);
            }
        }

        var rows = type.GetMethods()
            .Select(m => (Method: m, Benchmark: m.GetCustomAttribute<BenchmarkAttribute>()))
            .Where(r => r.Benchmark is not null)
            .Select(r => new Row(
                r.Method.Name,
                r.Method.GetCustomAttribute<BenchmarkCategoryAttribute>()?.Categories.FirstOrDefault() ?? string.Empty,
                r.Benchmark!.Baseline,
                r.Method.CreateDelegate<Func<object>>(instance)))
            .ToList();

        foreach (var row in rows)
        {
            Measure(row, operations / 4); // warm-up (JIT tiers, caches)
        }

        for (var round = 0; round < rounds; round++)
        {
            // A different order each round, so that no row always runs first or last.
            foreach (var row in rows.OrderBy(_ => Random.Shared.Next()))
            {
                var (ns, bytes) = Measure(row, operations);
                row.Nanoseconds.Add(ns);
                row.Bytes = bytes;
            }
        }

        Console.WriteLine();
        Console.WriteLine($"## {type.Name}");
        Console.WriteLine("| row | category | median ns/op | added ns (median of per-round differences) | B/op | added B |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|");
        foreach (var row in rows)
        {
            var baseline = rows.Single(r => r.Baseline && r.Category == row.Category);
            var added = Enumerable.Range(0, rounds).Select(i => row.Nanoseconds[i] - baseline.Nanoseconds[i]).ToList();
            Console.WriteLine($"| {row.Name} | {row.Category} | {Median(row.Nanoseconds):F0} | {(row.Baseline ? "baseline" : $"{Median(added):+0;-0}")} | {row.Bytes:F0} | {(row.Baseline ? "baseline" : $"{row.Bytes - baseline.Bytes:+0;-0;0}")} |");
        }

        foreach (var cleanup in type.GetMethods().Where(m => m.GetCustomAttribute<GlobalCleanupAttribute>() is not null))
        {
            cleanup.Invoke(instance, null);
        }
    }

    private static (double Nanoseconds, double Bytes) Measure(Row row, int operations)
    {
        var run = row.Run;
        var bytesBefore = GC.GetAllocatedBytesForCurrentThread();
        var cpuBefore = ThreadCpuNanoseconds();
        for (var i = 0; i < operations; i++)
        {
            if (run() is Task task)
            {
                if (!task.IsCompleted)
                {
                    throw new InvalidOperationException($"{row.Name} did not complete synchronously: its thread's CPU time is not its cost.");
                }

                task.GetAwaiter().GetResult();
            }
        }

        var cpu = ThreadCpuNanoseconds() - cpuBefore;
        var bytes = GC.GetAllocatedBytesForCurrentThread() - bytesBefore;
        return ((double)cpu / operations, (double)bytes / operations);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static long ThreadCpuNanoseconds()
    {
        const int ClockThreadCpuTimeId = 3; // Linux
        if (clock_gettime(ClockThreadCpuTimeId, out var time) != 0)
        {
            throw new PlatformNotSupportedException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed; the CPU-time mode needs Linux.");
        }

        return (time.Seconds * 1_000_000_000L) + time.Nanoseconds;
    }

    [DllImport("libc", SetLastError = true)]
#pragma warning disable SA1300, IDE1006 // the C name
    private static extern int clock_gettime(int clockId, out TimeSpec time);
#pragma warning restore SA1300, IDE1006

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    private sealed class Row(string name, string category, bool baseline, Func<object> run)
    {
        public string Name { get; } = name;

        public string Category { get; } = category;

        public bool Baseline { get; } = baseline;

        public Func<object> Run { get; } = run;

        public List<double> Nanoseconds { get; } = [];

        public double Bytes { get; set; }
    }
}
