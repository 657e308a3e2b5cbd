using System.Diagnostics;

namespace XeLocked.Xe;

/// <summary>
/// Lock-free recorder of per-fault ack latencies (submission to ack, in microseconds). Keeps the first
/// <see cref="Capacity"/> samples; percentiles are computed over them at snapshot time.
/// </summary>
public sealed class LatencyRecorder
{
    /// <summary>How many samples are kept.</summary>
    public const int Capacity = 1 << 20;

    private readonly double[] _samples = new double[Capacity];
    private long _count;

    /// <summary>Number of samples recorded (may exceed <see cref="Capacity"/>; the excess is not kept).</summary>
    public long Count => Interlocked.Read(ref _count);

    /// <summary>Records the latency from <paramref name="startTimestamp"/> (a <see cref="Stopwatch"/> timestamp) to now.</summary>
    public void RecordSince(long startTimestamp) =>
        Record(Stopwatch.GetElapsedTime(startTimestamp).TotalMicroseconds);

    /// <summary>Records one sample in microseconds.</summary>
    public void Record(double microseconds)
    {
        var i = Interlocked.Increment(ref _count) - 1;
        if (i < Capacity)
        {
            Volatile.Write(ref _samples[i], microseconds);
        }
    }

    /// <summary>The kept samples, sorted ascending.</summary>
    public double[] SortedSamples()
    {
        var n = (int)Math.Min(Count, Capacity);
        var copy = new double[n];
        Array.Copy(_samples, copy, n);
        Array.Sort(copy);
        return copy;
    }

    /// <summary>The <paramref name="p"/>-th percentile (0..100) of sorted samples (nearest rank), 0 when empty.</summary>
    public static double Percentile(double[] sorted, double p)
    {
        if (sorted.Length == 0)
        {
            return 0;
        }

        var rank = (int)Math.Ceiling(p / 100.0 * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }
}
