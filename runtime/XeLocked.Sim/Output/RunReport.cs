namespace XeLocked.Sim.Output;

/// <summary>
/// The measured outcome of one run of the model: what the summary table and the JSON show.
/// Every number comes from the model's statistics at the end of the run.
/// </summary>
public sealed record RunReport
{
    /// <summary>The scenario or workload that ran (<c>"default"</c>, <c>"svm-parallel"</c>, …).</summary>
    public required string Scenario { get; init; }

    /// <summary><c>"fine"</c> (the series) or <c>"coarse"</c> (<c>vm.Lock</c> in write mode for every fault).</summary>
    public required string Locking { get; init; }

    /// <summary>The column header of this run in tables (e.g. <c>"chaining off"</c>); <see cref="Locking"/> when null.</summary>
    public string? Variant { get; init; }

    /// <summary>Number of page-fault workers.</summary>
    public required int Workers { get; init; }

    /// <summary>The seed of the workload.</summary>
    public required int Seed { get; init; }

    /// <summary>The multiplier of every simulated hardware latency in this run (1 = the model's seed-realistic defaults).</summary>
    public double LatencyScale { get; init; } = 1;

    /// <summary>Faults submitted by the GPU (accepted by the fault handler).</summary>
    public required long Faults { get; init; }

    /// <summary>Wall time from the first submission to the last ack.</summary>
    public required TimeSpan Elapsed { get; init; }

    /// <summary>Faults that ran the expensive service path (lookup, migrate, get pages, bind).</summary>
    public required long Services { get; init; }

    /// <summary>Faults chained onto a leader by the storm cache (IRQ, pop and drain).</summary>
    public required long Chained { get; init; }

    /// <summary>Acks sent back to the GuC (success and error).</summary>
    public required long Acks { get; init; }

    /// <summary>Acks with an error status.</summary>
    public long ErrorAcks { get; init; }

    /// <summary>Median fault-to-ack latency, µs.</summary>
    public required double P50Us { get; init; }

    /// <summary>99th percentile fault-to-ack latency, µs.</summary>
    public required double P99Us { get; init; }

    /// <summary>
    /// Services that started while another worker was servicing (the model's P12
    /// <c>PARALLEL_PAGEFAULT_COUNT</c>); see <see cref="MigrationsOverlapped"/> for the migrations.
    /// </summary>
    public long ParallelServices { get; init; }

    /// <summary>Migrations that started while another was in flight (the model's <c>MigrationsOverlapped</c> counter).</summary>
    public long MigrationsOverlapped { get; init; }

    /// <summary>The most migrations in flight at once.</summary>
    public long MaxConcurrentMigrations { get; init; }

    /// <summary>Lockdep reports recorded during the run.</summary>
    public required int LockdepReports { get; init; }

    /// <summary>True when the lockdep tracker was on during the run.</summary>
    public bool LockdepEnabled { get; init; }

    /// <summary>Faults per second of wall time (0 when nothing ran).</summary>
    public double FaultsPerSecond => Elapsed > TimeSpan.Zero ? Faults / Elapsed.TotalSeconds : 0;

    /// <summary>Invariant violations, lockdep reports and hangs found at the end of the run; empty when every check passed.</summary>
    public IReadOnlyList<string> Failures { get; init; } = Array.Empty<string>();

    /// <summary>True when <see cref="Failures"/> is empty.</summary>
    public bool Passed => Failures.Count == 0;

    /// <summary>
    /// The latency of the faults that are not part of a storm but arrive with it (the storm
    /// workload: what the storm cache exists for is keeping the workers free for them), or null
    /// for a scenario without storms.
    /// </summary>
    public LatencySummary? OtherFaults { get; init; }

    /// <summary>Further named counters the model exposes (e.g. GT stats), shown in the table and the JSON.</summary>
    public IReadOnlyDictionary<string, long> Extra { get; init; } = new Dictionary<string, long>();
}
