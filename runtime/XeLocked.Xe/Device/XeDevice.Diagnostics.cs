namespace XeLocked.Xe;

/// <summary>Statistics and the pagefault_info snapshot.</summary>
public sealed partial class XeDevice
{
    /// <summary>A snapshot of every counter, the GT stats and the ack-latency percentiles.</summary>
    public XeStats Stats()
    {
        var counters = Enum.GetValues<ModelCounter>().ToDictionary(c => c, c => Counters[c]);
        var perGt = _gts.Select(g => g.Stats.Snapshot()).ToList();
        var totals = Enum.GetValues<GtStatId>().ToDictionary(id => id, id => perGt.Sum(g => g[id]));
        var sorted = AckLatency.SortedSamples();
        return new XeStats
        {
            Counters = counters,
            GtTotals = totals,
            PerGt = perGt,
            LatencySamples = sorted.Length,
            P50Us = LatencyRecorder.Percentile(sorted, 50),
            P99Us = LatencyRecorder.Percentile(sorted, 99),
            MeanUs = sorted.Length == 0 ? 0 : sorted.Average(),
            MaxUs = sorted.Length == 0 ? 0 : sorted[^1],
        };
    }

    /// <summary>P10 debugfs <c>pagefault_info</c>: queue geometry, cursors, worker caches, alloc-state counts.</summary>
    public PageFaultInfo PagefaultInfo() => new()
    {
        NumPfWork = Options.NumPfWork,
        Locking = Options.Locking,
        Queues = Queues.Select(q => q.Info()).ToList(),
    };
}
