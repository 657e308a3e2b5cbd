namespace XeLocked.Xe;

/// <summary>
/// A snapshot of the model's statistics: the model counters, the GT stats of every GT (§5)
/// summed and per GT, and the ack-latency percentiles. Taken lock-free; counters that move during the
/// snapshot may be a few counts apart.
/// </summary>
public sealed record XeStats
{
    /// <summary>Every model counter.</summary>
    public required IReadOnlyDictionary<ModelCounter, long> Counters { get; init; }

    /// <summary>Every GT stat, summed over the GTs.</summary>
    public required IReadOnlyDictionary<GtStatId, long> GtTotals { get; init; }

    /// <summary>Every GT stat, per GT (index = GT id).</summary>
    public required IReadOnlyList<IReadOnlyDictionary<GtStatId, long>> PerGt { get; init; }

    /// <summary>Ack latency samples kept (submission to ack).</summary>
    public long LatencySamples { get; init; }

    /// <summary>Median ack latency, µs.</summary>
    public double P50Us { get; init; }

    /// <summary>99th-percentile ack latency, µs.</summary>
    public double P99Us { get; init; }

    /// <summary>Mean ack latency, µs.</summary>
    public double MeanUs { get; init; }

    /// <summary>Largest ack latency, µs.</summary>
    public double MaxUs { get; init; }

    /// <summary>Faults offered to the handler.</summary>
    public long FaultsSubmitted => Counters[ModelCounter.FaultsSubmitted];

    /// <summary>Faults accepted.</summary>
    public long FaultsAccepted => Counters[ModelCounter.FaultsAccepted];

    /// <summary>Faults rejected with -ENOSPC.</summary>
    public long QueueFullDrops => Counters[ModelCounter.QueueFullDrops];

    /// <summary>Calls of the expensive service.</summary>
    public long Services => Counters[ModelCounter.Services];

    /// <summary>Faults chained onto a leader (CHAIN_PAGEFAULT_COUNT, all GTs).</summary>
    public long Chained => GtTotals[GtStatId.ChainPagefaultCount];

    /// <summary>Faults acked through the last-fault window (LAST_PAGEFAULT_COUNT).</summary>
    public long LastFaultAcks => GtTotals[GtStatId.LastPagefaultCount];

    /// <summary>Acks sent.</summary>
    public long Acks => Counters[ModelCounter.Acks];

    /// <summary>Success acks.</summary>
    public long AcksSuccess => Counters[ModelCounter.AcksSuccess];

    /// <summary>Error acks.</summary>
    public long AcksError => Counters[ModelCounter.AcksError];

    /// <summary>Chained faults requeued.</summary>
    public long Requeues => Counters[ModelCounter.Requeues];

    /// <summary>Entries squashed by GT resets.</summary>
    public long Squashed => Counters[ModelCounter.Squashed];

    /// <summary>Migrations to VRAM.</summary>
    public long Migrations => Counters[ModelCounter.Migrations];

    /// <summary>Most migrations in flight at once.</summary>
    public long MaxConcurrentMigrations => Counters[ModelCounter.MaxConcurrentMigrations];

    /// <summary>Migrations that started while another was in flight (<see cref="ModelCounter.MigrationsOverlapped"/>).</summary>
    public long MigrationsOverlapped => Counters[ModelCounter.MigrationsOverlapped];

    /// <summary>Most services in flight at once.</summary>
    public long MaxConcurrentServices => Counters[ModelCounter.MaxConcurrentServices];

    /// <summary>CT publishes (doorbells).</summary>
    public long Doorbells => Counters[ModelCounter.Doorbells];

    /// <summary>Unexpected exceptions caught in workers (must be 0).</summary>
    public long WorkerExceptions => Counters[ModelCounter.WorkerExceptions];

    /// <summary>Prefetch flushes the watchdog declared deadlocked.</summary>
    public long PrefetchDeadlocks => Counters[ModelCounter.PrefetchDeadlocks];

    /// <summary>One line per counter, <c>name: value</c>, as debugfs prints stats.</summary>
    public override string ToString()
    {
        var sb = new System.Text.StringBuilder();
        foreach (var (k, v) in Counters)
        {
            sb.Append(k).Append(": ").Append(v).AppendLine();
        }

        foreach (var (k, v) in GtTotals)
        {
            sb.Append(k).Append(": ").Append(v).AppendLine();
        }

        sb.Append("p50_us: ").Append(P50Us.ToString("F1", System.Globalization.CultureInfo.InvariantCulture)).AppendLine();
        sb.Append("p99_us: ").Append(P99Us.ToString("F1", System.Globalization.CultureInfo.InvariantCulture)).AppendLine();
        return sb.ToString();
    }
}
