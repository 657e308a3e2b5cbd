using XeLocked.Sim.Output;

namespace XeLocked.Sim.Scenarios;

/// <summary>
/// How the commands create their scenarios. The program uses <see cref="Model"/>; tests may pass
/// their own to exercise the command plumbing (progress, tables, JSON, exit codes) in isolation.
/// </summary>
/// <param name="Default">The <c>run</c> command's default scenario: settings and number of VMs.</param>
/// <param name="SvmParallel">The bench workload "migration-bound SVM faults on distinct ranges of one VM".</param>
/// <param name="Storm">The bench workload "a storm of identical faults"; the flag turns chaining on.</param>
/// <param name="Prefetch">The prefetch bench: threaded and single-threaded prefetch of the given number of ranges.</param>
/// <param name="Stress">The <c>stress</c> command's randomized mix.</param>
/// <param name="Warmup">Runs before measuring (bench): JIT-compiles the fault paths on throw-away devices.</param>
public sealed record ScenarioCatalog(
    Func<ModelSettings, int, IScenario> Default,
    Func<ModelSettings, IScenario> SvmParallel,
    Func<ModelSettings, bool, IScenario> Storm,
    Func<ModelSettings, int, PrefetchReport> Prefetch,
    Func<StressSettings, IScenario> Stress,
    Action<ModelSettings> Warmup)
{
    /// <summary>The real scenarios over the Xe model.</summary>
    public static ScenarioCatalog Model { get; } = new(
        MixedScenario.Default,
        s => new SvmParallelScenario(s),
        (s, chaining) => new StormScenario(s, chaining),
        PrefetchBench.Run,
        s => MixedScenario.Stress(s, s.Faithful),
        WarmUp);

    /// <summary>
    /// The first run in a process pays for JIT compilation of the fault path, which would otherwise
    /// land in whichever measured variant runs first (fine locking, chaining on): run every bench
    /// workload once, small and with almost no simulated time, on throw-away devices.
    /// </summary>
    private static void WarmUp(ModelSettings settings)
    {
        var warm = settings with { Faults = 16, Latencies = settings.Latencies with { Scale = 0.05 } };
        foreach (var locking in new[] { "fine", "coarse" })
        {
            new SvmParallelScenario(warm with { Locking = locking }).Run(CancellationToken.None);
            new StormScenario(warm with { Locking = locking }, true).Run(CancellationToken.None);
            new StormScenario(warm with { Locking = locking }, false).Run(CancellationToken.None);
        }

        PrefetchBench.Run(warm, 2);
    }
}
