namespace XeLocked.Sim.Scenarios;

/// <summary>
/// Simulated hardware latencies given on the command line; null means the model's default
/// (seed-realistic) value.
/// </summary>
/// <param name="Scale">Multiplier of every latency (0 = no simulated time).</param>
/// <param name="MigrationBase">Fixed cost of one migration to VRAM.</param>
/// <param name="PtUpdate">Page-table update + TLB invalidation until its fence signals.</param>
/// <param name="GetPagesBase">hmm_range_fault + DMA map of a range, fixed part.</param>
/// <param name="HostCosts">False zeroes the host CPU costs of the fault path (<c>XeOptions.AsidLookupLatency</c>, <c>VmaLookupLatency</c>, <c>RangeLookupLatency</c>, <c>ValidCheckLatency</c>, <c>CtWriteLatency</c>).</param>
public sealed record LatencySettings(double? Scale, TimeSpan? MigrationBase, TimeSpan? PtUpdate, TimeSpan? GetPagesBase, bool HostCosts = true)
{
    /// <summary>Every latency at the model's default.</summary>
    public static LatencySettings ModelDefaults { get; } = new(null, null, null, null);
}

/// <summary>What a scenario runs with: the model's knobs chosen on the command line and the workload's size and seed.</summary>
/// <param name="Locking"><c>"fine"</c> or <c>"coarse"</c>.</param>
/// <param name="Workers">Page-fault workers (num_pf_work).</param>
/// <param name="Faults">GPU faults to submit.</param>
/// <param name="Seed">Seed of the workload.</param>
/// <param name="Duration">Optional cap on the submission time.</param>
/// <param name="Latencies">Simulated hardware latencies.</param>
public sealed record ModelSettings(string Locking, int Workers, long Faults, int Seed, TimeSpan? Duration, LatencySettings Latencies);

/// <summary>What the <c>stress</c> command runs with.</summary>
/// <param name="Model">The model's knobs and the workload's size and seed.</param>
/// <param name="Vms">VMs in the mix.</param>
/// <param name="WatchdogTimeout">How long acks may stall with faults outstanding before the run is declared hung.</param>
/// <param name="Faithful">Leave the fixes for hazards H10 and H12 off (the series as merged), which breaks the invariants by design.</param>
public sealed record StressSettings(ModelSettings Model, int Vms, TimeSpan WatchdogTimeout, bool Faithful = false);
