using BenchmarkDotNet.Running;
using XeLocked.Benchmarks;

// dotnet run -c Release --project bench -- --filter '*'          (BenchmarkDotNet)
// XELOCKED_LOCKDEP=0|1 dotnet run -c Release --project bench -- --interleaved   (load-robust A/B ratios)
if (args.Length > 0 && args[0] == "--interleaved")
{
    InterleavedRatio.Run();
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
