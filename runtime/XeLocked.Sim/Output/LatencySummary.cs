namespace XeLocked.Sim.Output;

/// <summary>The fault-to-ack latency of one group of faults of a run.</summary>
/// <param name="Faults">Faults in the group.</param>
/// <param name="Acked">How many of them were acked (the percentiles are over these).</param>
/// <param name="P50Us">Median submission-to-ack latency, µs.</param>
/// <param name="P99Us">99th percentile submission-to-ack latency, µs.</param>
public sealed record LatencySummary(long Faults, long Acked, double P50Us, double P99Us)
{
    /// <summary>Summarizes latencies in microseconds (nearest-rank percentiles, as the run's own).</summary>
    /// <param name="faults">Faults in the group.</param>
    /// <param name="latenciesUs">The latencies of those that were acked.</param>
    public static LatencySummary Of(long faults, IEnumerable<double> latenciesUs)
    {
        var sorted = latenciesUs.ToArray();
        Array.Sort(sorted);
        return new LatencySummary(faults, sorted.Length,
            XeLocked.Xe.LatencyRecorder.Percentile(sorted, 50), XeLocked.Xe.LatencyRecorder.Percentile(sorted, 99));
    }
}
