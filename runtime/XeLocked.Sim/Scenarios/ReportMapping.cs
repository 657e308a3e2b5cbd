using XeLocked.Sim.Output;
using XeLocked.Xe;

namespace XeLocked.Sim.Scenarios;

/// <summary>Turns the model's statistics into the numbers of a <see cref="RunReport"/>.</summary>
internal static class ReportMapping
{
    /// <summary>The report of a run whose statistics are <paramref name="stats"/>.</summary>
    public static RunReport From(XeStats stats, string scenario, ModelSettings settings, string? variant, double latencyScale,
        TimeSpan elapsed, int lockdepReports, bool lockdepEnabled, IEnumerable<string> failures) => new()
    {
        Scenario = scenario,
        Locking = settings.Locking,
        Variant = variant,
        Workers = settings.Workers,
        Seed = settings.Seed,
        LatencyScale = latencyScale,
        Faults = stats.FaultsAccepted,
        Elapsed = elapsed,
        Services = stats.Services,
        Chained = stats.Chained,
        Acks = stats.Acks,
        ErrorAcks = stats.AcksError,
        P50Us = stats.P50Us,
        P99Us = stats.P99Us,
        ParallelServices = stats.GtTotals[GtStatId.ParallelPagefaultCount],
        MaxConcurrentMigrations = stats.MaxConcurrentMigrations,
        MigrationsOverlapped = stats.MigrationsOverlapped,
        LockdepReports = lockdepReports,
        LockdepEnabled = lockdepEnabled,
        Failures = failures.ToArray(),
        Extra = new Dictionary<string, long>
        {
            ["migrations"] = stats.Migrations,
            ["last_fault_acks"] = stats.LastFaultAcks,
            ["requeues"] = stats.Requeues,
            ["squashed"] = stats.Squashed,
            ["queue_full_drops"] = stats.QueueFullDrops,
            ["max_concurrent_services"] = stats.MaxConcurrentServices,
            ["doorbells"] = stats.Doorbells,
            ["evictions"] = stats.Counters[ModelCounter.Evictions],
            ["gc_ranges_removed"] = stats.Counters[ModelCounter.GcRangesRemoved],
            ["notifier_invalidations"] = stats.Counters[ModelCounter.NotifierInvalidations],
        },
    };
}
