namespace XeLocked.Xe;

/// <summary>
/// The simulated GPU engines: page-table update jobs (bind/unbind, with TLB invalidation) that
/// return fences, and the copy engine that migrates pages between system memory and VRAM. Tracks
/// how many migrations are in flight, for the parallelism tests.
/// </summary>
internal sealed class GpuEngines
{
    private readonly XeOptions _o;
    private readonly SimTime _time;
    private readonly ModelCounters _counters;
    private int _migrationsInFlight;

    public GpuEngines(XeOptions options, SimTime time, ModelCounters counters)
    {
        _o = options;
        _time = time;
        _counters = counters;
    }

    /// <summary>Migrations in flight now.</summary>
    public int MigrationsInFlight => Volatile.Read(ref _migrationsInFlight);

    /// <summary>Submits a page-table update job; its fence signals after <see cref="XeOptions.PtUpdateLatency"/>.</summary>
    public DmaFence SubmitPtUpdate() => new(_time.Deadline(_o.PtUpdateLatency));

    /// <summary>
    /// Migrates <paramref name="bytes"/> (migrate_vma_* on the CPU plus the copy job): blocks the
    /// caller for the migration time. Counts concurrency.
    /// </summary>
    /// <param name="bytes">Bytes to move.</param>
    /// <param name="toVram">Direction.</param>
    /// <param name="inside">Runs once the migration counts as in flight (a hook); non-zero aborts it with that error.</param>
    public int Migrate(ulong bytes, bool toVram, Func<int>? inside = null)
    {
        var now = Interlocked.Increment(ref _migrationsInFlight);
        _counters.Max(ModelCounter.MaxConcurrentMigrations, now);
        try
        {
            var err = inside?.Invoke() ?? 0;
            if (err != 0)
            {
                return err;
            }

            _counters.Add(toVram ? ModelCounter.Migrations : ModelCounter.Evictions);
            if (now > 1)
            {
                _counters.Add(ModelCounter.MigrationsOverlapped);
            }

            _time.Delay(_o.MigrationBaseLatency + TimeSpan.FromMicroseconds(bytes / _o.MigrationBytesPerMicrosecond));
            return 0;
        }
        finally
        {
            Interlocked.Decrement(ref _migrationsInFlight);
        }
    }

    /// <summary>hmm_range_fault + DMA map of <paramref name="bytes"/>: blocks for the collection time.</summary>
    public void CollectPages(ulong bytes) =>
        _time.Delay(_o.GetPagesBaseLatency + TimeSpan.FromMicroseconds(bytes / _o.GetPagesBytesPerMicrosecond));

    /// <summary>Validation of a BO (TTM move into place).</summary>
    public void ValidateBo() => _time.Delay(_o.BoValidateLatency);

    /// <summary>Pinning userptr pages.</summary>
    public void PinUserptr() => _time.Delay(_o.UserptrPinLatency);

    /// <summary>A TLB invalidation the notifier waits for.</summary>
    public void TlbInvalidate() => _time.Delay(_o.TlbInvalidationLatency);

    /// <summary>CT publish + doorbell.</summary>
    public void Doorbell() => _time.Delay(_o.CtDoorbellLatency);
}
