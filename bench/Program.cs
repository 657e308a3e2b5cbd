using BenchmarkDotNet.Running;
using XeLocked.Benchmarks;

// dotnet run -c Release --project bench -- --filter '*'          (BenchmarkDotNet)
// XELOCKED_LOCKDEP=0|1 dotnet run -c Release --project bench -- --interleaved   (load-robust A/B ratios)
// dotnet run -c Release --project bench -- --ab-graph-growth <dirA> <dirB> [--declared] [rounds]   (two builds, interleaved)
if (args.Length > 0 && args[0] == "--interleaved")
{
    InterleavedRatio.Run();
    return;
}

if (args.Length >= 3 && args[0] == "--ab-graph-growth")
{
    var rest = args[3..];
    CrossBuildGraphGrowth.Run(args[1], args[2], rest.Contains("--declared"), rest.Where(a => a != "--declared").Select(int.Parse).DefaultIfEmpty(60).First());
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
