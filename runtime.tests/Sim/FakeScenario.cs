using XeLocked.Sim.Output;
using XeLocked.Sim.Scenarios;

namespace XeLocked.Runtime.Tests.Sim;

/// <summary>A scenario that reports fixed numbers: it tests the command plumbing, not the model.</summary>
internal sealed class FakeScenario(ModelSettings settings, IReadOnlyList<string>? failures = null) : IScenario
{
    public string Label => $"fake ({settings.Locking})";

    /// <summary>A catalog whose every entry is a fake; <paramref name="onCreate"/> sees each scenario.</summary>
    public static ScenarioCatalog Catalog(Func<ModelSettings, FakeScenario> onCreate, List<string>? log = null) => new(
        (s, vms) => { log?.Add($"default vms={vms}"); return onCreate(s); },
        s => { log?.Add($"svm {s.Locking}"); return onCreate(s); },
        (s, chaining) => { log?.Add($"storm chaining={chaining} faults={s.Faults}"); return onCreate(s with { Locking = chaining ? "fine" : "coarse" }); },
        (s, ranges) => { log?.Add($"prefetch ranges={ranges}"); return new PrefetchReport { Ranges = ranges, Bytes = ranges * (2L << 20), Threaded = TimeSpan.FromMilliseconds(10), SingleThreaded = TimeSpan.FromMilliseconds(30) }; },
        s => { log?.Add($"stress vms={s.Vms} watchdog={s.WatchdogTimeout}"); return onCreate(s.Model); },
        _ => { });

    public ModelSettings Settings => settings;

    public ProgressSample Sample() => new(settings.Faults, settings.Faults, 1, 2, 0);

    public RunReport Run(CancellationToken cancellationToken) => new()
    {
        Scenario = "fake",
        Locking = settings.Locking,
        Workers = settings.Workers,
        Seed = settings.Seed,
        Faults = settings.Faults,
        Elapsed = TimeSpan.FromSeconds(settings.Locking == "fine" ? 1 : 4),
        Services = 10,
        Chained = 5,
        Acks = settings.Faults,
        P50Us = 12.5,
        P99Us = 99.25,
        LockdepReports = 0,
        Failures = failures ?? Array.Empty<string>(),
    };
}
