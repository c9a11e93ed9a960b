using BenchmarkDotNet.Running;
using Scoutflo.Http.Integrations.Benchmarks;

if (args.Length > 0 && args[0] == "--cpu-time")
{
    return await CpuTimeRunner.RunAsync(args);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
