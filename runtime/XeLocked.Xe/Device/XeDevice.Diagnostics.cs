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

    /// <summary>
    /// One model counter, read now: a single atomic load, no lock, no allocation and no sorting of
    /// latency samples (unlike <see cref="Stats"/>), cheap enough for a progress display polling
    /// it while the workers run.
    /// </summary>
    /// <param name="counter">The counter.</param>
    /// <returns>Its current value.</returns>
    public long Counter(ModelCounter counter) => Counters[counter];

    /// <summary>A GT statistic summed over the GTs, read now (atomic loads only; see <see cref="Counter"/>).</summary>
    /// <param name="id">The statistic.</param>
    /// <returns>The sum over every GT.</returns>
    public long GtStatTotal(GtStatId id)
    {
        long sum = 0;
        foreach (var g in _gts)
        {
            sum += g.Stats[id];
        }

        return sum;
    }

    /// <summary>P10 debugfs <c>pagefault_info</c>: queue geometry, cursors, worker caches, alloc-state counts.</summary>
    public PageFaultInfo PagefaultInfo() => new()
    {
        NumPfWork = Options.NumPfWork,
        Locking = Options.Locking,
        Queues = Queues.Select(q => q.Info()).ToList(),
    };
}
