namespace XeLocked.Sim.Output;

/// <summary>
/// The prefetch benchmark: the same prefetch-only bind of many SVM ranges to VRAM, once with the
/// threaded migration of P03 and once single-threaded (the pre-P03 loop), on one device.
/// </summary>
public sealed record PrefetchReport
{
    /// <summary>Ranges prefetched per run.</summary>
    public required int Ranges { get; init; }

    /// <summary>Bytes prefetched per run.</summary>
    public required long Bytes { get; init; }

    /// <summary>Wall time of the threaded prefetch ioctl.</summary>
    public required TimeSpan Threaded { get; init; }

    /// <summary>Wall time of the single-threaded prefetch ioctl.</summary>
    public required TimeSpan SingleThreaded { get; init; }

    /// <summary>Migrations the threaded run had in flight at once, at most.</summary>
    public long MaxConcurrentMigrations { get; init; }

    /// <summary>Problems found (an ioctl error, a range not migrated, a lockdep report).</summary>
    public IReadOnlyList<string> Failures { get; init; } = Array.Empty<string>();

    /// <summary>Threaded throughput in GB/s (10⁹ bytes per second).</summary>
    public double ThreadedGBps => GBps(Threaded);

    /// <summary>Single-threaded throughput in GB/s.</summary>
    public double SingleThreadedGBps => GBps(SingleThreaded);

    /// <summary>Threaded ÷ single-threaded throughput (the series reports 12.25 ÷ 4.35 ≈ 2.8).</summary>
    public double Ratio => SingleThreadedGBps > 0 ? ThreadedGBps / SingleThreadedGBps : 0;

    private double GBps(TimeSpan t) => t > TimeSpan.Zero ? Bytes / t.TotalSeconds / 1e9 : 0;
}
