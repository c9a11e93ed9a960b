using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using Perfolizer.Metrology;

namespace Scoutflo.Http.Integrations.Benchmarks;

/// <summary>Allocations in bytes (not rounded kilobytes): the rows are compared by their difference to the baseline.</summary>
public sealed class BenchmarkConfig : ManualConfig
{
    public BenchmarkConfig() =>
        SummaryStyle = SummaryStyle.Default.WithSizeUnit(SizeUnit.B);
}
