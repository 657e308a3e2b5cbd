using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;

namespace XeLocked.Benchmarks;

/// <summary>Short-run jobs with the tracker forced off or on through <c>XELOCKED_LOCKDEP</c> (the benchmark process is a Release build, where it is off by default).</summary>
public static class BenchConfigs
{
    public static Job Tracker(bool on) =>
        Job.ShortRun.WithEnvironmentVariables(new EnvironmentVariable("XELOCKED_LOCKDEP", on ? "1" : "0")).WithId(on ? "LockdepOn" : "LockdepOff");

    /// <summary>Tracker off.</summary>
    public sealed class Off : ManualConfig
    {
        public Off()
        {
            AddJob(Tracker(false));
            AddDiagnoser(MemoryDiagnoser.Default);
        }
    }

    /// <summary>
    /// Tracker on, for the graph-growth benchmark: each iteration rebuilds the graph (an iteration
    /// setup), then measures a fixed number of single invocations, each adding one edge.
    /// </summary>
    public sealed class Growth : ManualConfig
    {
        public Growth()
        {
            AddJob(Tracker(true).WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1).WithWarmupCount(1)
                .WithIterationCount(5).WithInvocationCount(500).WithUnrollFactor(1).WithId("LockdepOnGrowth"));
            AddDiagnoser(MemoryDiagnoser.Default);
        }
    }

    /// <summary>Tracker on.</summary>
    public sealed class On : ManualConfig
    {
        public On()
        {
            AddJob(Tracker(true));
            AddDiagnoser(MemoryDiagnoser.Default);
        }
    }
}
