namespace XeLocked.Xe;

/// <summary>Per-GT statistics counters (<see cref="GtStatId"/>): lock-free atomics, summed at read time.</summary>
public sealed class GtStats
{
    private readonly long[] _counters = new long[Enum.GetValues<GtStatId>().Length];

    /// <summary><c>xe_gt_stats_incr(gt, id, n)</c>.</summary>
    public void Increment(GtStatId id, long n = 1) => Interlocked.Add(ref _counters[(int)id], n);

    /// <summary>The current value of one counter.</summary>
    public long this[GtStatId id] => Interlocked.Read(ref _counters[(int)id]);

    /// <summary>All counters, as the debugfs <c>gtN/stats</c> file prints them.</summary>
    public IReadOnlyDictionary<GtStatId, long> Snapshot()
    {
        var d = new Dictionary<GtStatId, long>();
        foreach (var id in Enum.GetValues<GtStatId>())
        {
            d[id] = this[id];
        }

        return d;
    }

    /// <summary>Writing "true" to the stats file: every counter back to zero.</summary>
    public void Reset()
    {
        for (var i = 0; i < _counters.Length; i++)
        {
            Interlocked.Exchange(ref _counters[i], 0);
        }
    }
}
