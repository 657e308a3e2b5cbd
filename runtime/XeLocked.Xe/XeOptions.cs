namespace XeLocked.Xe;

/// <summary>
/// Every knob of the model: locking, queue geometry, features of the series, simulated hardware
/// latencies (with the seed-realistic defaults written next to them) and the switches that turn on
/// fixes for the series' hazards (§7.2). Immutable once the device is created.
/// </summary>
/// <remarks>
/// Hardware latencies are <i>simulated time</i>: a blocking wait of the thread that waits for the
/// hardware (a fence wait, a copy-engine job), not CPU spinning, so parallelism across workers shows
/// even on two cores (waits under 20 µs are spun: a sleep would overshoot them). All of them are
/// multiplied by <see cref="LatencyScale"/>.
/// </remarks>
public sealed record XeOptions
{
    /// <summary>Upper bound of <see cref="NumPfWork"/> (modparam <c>num_pf_work</c>: "min=1, max=8").</summary>
    public const int MaxPfWork = 8;

    // ---------------------------------------------------------------- locking and queues

    /// <summary>Fine (the series, default) or coarse (pre-series) locking.</summary>
    public LockingMode Locking { get; init; } = LockingMode.Fine;

    /// <summary>
    /// Number of page-fault workers (P05 modparam <c>num_pf_work</c>, 1..8, default 2). Under coarse
    /// locking it is also the number of ASID-hashed queues (one worker each).
    /// </summary>
    public int NumPfWork { get; init; } = 2;

    /// <summary>
    /// Ring size in entries (power of two). 0 = the driver's formula:
    /// <c>roundup_pow_of_two((TotalEus + NumHwEngines) * 8)</c> entries.
    /// </summary>
    public int QueueEntries { get; init; }

    /// <summary>Execution units of the device, for the queue-size formula (default 512).</summary>
    public int TotalEus { get; init; } = 512;

    /// <summary>Hardware engines, for the queue-size formula (<c>XE_NUM_HW_ENGINES</c>).</summary>
    public int NumHwEngines { get; init; } = 64;

    /// <summary>Number of GTs (GT0 primary, GT1 media of tile 0, …). Default 2.</summary>
    public int NumGts { get; init; } = 2;

    /// <summary>Fault-storm chaining (P08). Default on.</summary>
    public bool Chaining { get; init; } = true;

    /// <summary>Worker-local "last fault" fast ack (P08). Default on.</summary>
    public bool LastFaultCache { get; init; } = true;

    /// <summary>Batched CT acks with a flush every <see cref="AckFlushPeriod"/> (P11). Default on.</summary>
    public bool BatchedAcks { get; init; } = true;

    /// <summary>P11 <c>FLUSH_PERIOD</c>: 16.</summary>
    public int AckFlushPeriod { get; init; } = 16;

    /// <summary>H2G CT buffer capacity in ack messages (P11: 16 KiB CTB / ~20 B per PAGE_FAULT_RES_DESC ≈ 800).</summary>
    public int CtCapacityMessages { get; init; } = 800;

    /// <summary>Worker time budget per invocation before it re-queues itself (20 ms in the driver).</summary>
    public TimeSpan WorkerBudget { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>How fault workers take <c>Vm.Lock</c> under fine locking (default: blocking <c>down_read</c>).</summary>
    public FaultVmLockKind FaultVmLock { get; init; } = FaultVmLockKind.Blocking;

    /// <summary>Where threaded prefetch runs (default: a dedicated queue, as merged).</summary>
    public PrefetchQueueKind PrefetchQueue { get; init; } = PrefetchQueueKind.Dedicated;

    /// <summary>
    /// Watchdog of the prefetch flush: if its work items have not finished after this long, the model
    /// reports a deadlock (<see cref="XeStats.PrefetchDeadlocks"/>), cancels the items that never
    /// started and fails the ioctl with <c>-EDEADLK</c>. Default 2 s.
    /// </summary>
    public TimeSpan PrefetchWatchdog { get; init; } = TimeSpan.FromSeconds(2);

    // ---------------------------------------------------------------- device features

    /// <summary>Device memory (VRAM) migration possible (dGFX with DRM_XE_PAGEMAP). Default true.</summary>
    public bool DevmemPossible { get; init; } = true;

    /// <summary><c>xe->atomic_svm_timeslice_ms</c> for devmem-only (atomic) SVM faults. Default 5 ms.</summary>
    public int AtomicSvmTimesliceMs { get; init; } = 5;

    // ---------------------------------------------------------------- simulated hardware latencies

    /// <summary>Multiplier applied to every latency below (0 = no simulated time at all).</summary>
    public double LatencyScale { get; init; } = 1.0;

    /// <summary>Page-table update job + TLB invalidation until its fence signals. Seed-realistic: ~10 µs.</summary>
    public TimeSpan PtUpdateLatency { get; init; } = TimeSpan.FromMicroseconds(10);

    /// <summary>Fixed cost of one migration (migrate_vma setup, copy-engine job). ~20 µs.</summary>
    public TimeSpan MigrationBaseLatency { get; init; } = TimeSpan.FromMicroseconds(20);

    /// <summary>
    /// Migration throughput in bytes per microsecond. P03's benchmark: 64 MiB unthreaded prefetch at
    /// 4.35 GB/s ≈ 4350 B/µs, so a 2 MiB range takes ~480 µs, a 64 KiB one ~15 µs.
    /// </summary>
    public double MigrationBytesPerMicrosecond { get; init; } = 4350;

    /// <summary>hmm_range_fault + DMA mapping of a range, fixed part. ~5 µs.</summary>
    public TimeSpan GetPagesBaseLatency { get; init; } = TimeSpan.FromMicroseconds(5);

    /// <summary>hmm_range_fault throughput in bytes per microsecond (~40 GB/s of PTE walking). 40000 B/µs.</summary>
    public double GetPagesBytesPerMicrosecond { get; init; } = 40000;

    /// <summary>BO validation (TTM move into place) when a BO VMA is faulted in. ~15 µs.</summary>
    public TimeSpan BoValidateLatency { get; init; } = TimeSpan.FromMicroseconds(15);

    /// <summary>Userptr pin (hmm_range_fault of the userptr). ~10 µs.</summary>
    public TimeSpan UserptrPinLatency { get; init; } = TimeSpan.FromMicroseconds(10);

    // Host CPU work of the fault path (charged by SimTime.Spin: CPU time, busy, never a sleep).
    // Order-of-magnitude estimates for an L2-warm kernel path on a current x86 core; the sources
    // give no numbers (§3.3/§3.4 say only what each step does). They are paid once per
    // *serviced* fault, so the storm cache saves them for every chained fault (P08's "repeated
    // VMA/range lookups also cost a lot").

    /// <summary>
    /// <c>asid_to_vm</c>: <c>down_read(usm.lock)</c>, <c>xa_load</c>, <c>xe_vm_get</c>, <c>up_read</c> (§3.3 step 2),
    /// charged under <c>XeDevice.UsmLock</c> (read). ~0.2 µs.
    /// </summary>
    public TimeSpan AsidLookupLatency { get; init; } = TimeSpan.FromMicroseconds(0.2);

    /// <summary><c>xe_vm_find_vma_by_addr</c>: a GPUVA interval-tree lookup under <c>vm->lock</c> (§3.3 step 5). ~0.3 µs.</summary>
    public TimeSpan VmaLookupLatency { get; init; } = TimeSpan.FromMicroseconds(0.3);

    /// <summary>
    /// <c>xe_svm_range_find_or_insert</c> on an existing range: notifier and range interval-tree
    /// lookups plus the reference, under the <c>Svm.RangeLock</c> mutex, so concurrent faults of one
    /// VM serialize on it (§3.3.2). ~0.5 µs.
    /// </summary>
    public TimeSpan RangeLookupLatency { get; init; } = TimeSpan.FromMicroseconds(0.5);

    /// <summary>
    /// <c>xe_svm_range_is_valid</c> (or the VMA's <c>xe_vm_has_valid_gpu_mapping</c>) on the fast
    /// "already valid" path, under <c>SvmRange.Lock</c>: flag reads of the range (tile_present,
    /// tile_invalidated, DMA mapping), cache misses on a range another CPU just updated. The seed
    /// does not walk the page tables here. ~0.2 µs.
    /// </summary>
    public TimeSpan ValidCheckLatency { get; init; } = TimeSpan.FromMicroseconds(0.2);

    /// <summary>
    /// <c>xe_guc_ct_send_locked</c>'s write of one PAGE_FAULT_RES_DESC into the H2G ring (space
    /// check, 4-dword copy to write-combined memory), under <c>GucCt.Lock</c>, for every ack —
    /// write-only (batched) or not (§3.4/§3.5). The publish + doorbell is <see cref="CtDoorbellLatency"/>. ~0.5 µs.
    /// </summary>
    public TimeSpan CtWriteLatency { get; init; } = TimeSpan.FromMicroseconds(0.5);

    /// <summary>One H2G CT publish + doorbell (MMIO write). ~2 µs.</summary>
    public TimeSpan CtDoorbellLatency { get; init; } = TimeSpan.FromMicroseconds(2);

    /// <summary>TLB invalidation issued by the MMU notifier, waited synchronously. ~5 µs.</summary>
    public TimeSpan TlbInvalidationLatency { get; init; } = TimeSpan.FromMicroseconds(5);

    // ---------------------------------------------------------------- fixes for the series' hazards

    /// <summary>
    /// H7 fix: the GC does not re-split VMAs (default-attribute reset) under <c>Vm.Lock</c> in read
    /// mode; it defers the reset to a pass of the GC work item under write mode. Default off (faithful:
    /// the reset mutates the VMA tree under read + GC lock while other faults look it up).
    /// </summary>
    public bool FixH7DeferAttrResetToWriter { get; init; }

    /// <summary>
    /// H10 fix: a GT reset that cuts an ACTIVE leader's chain requeues the chained faults of other
    /// GTs instead of leaving them CHAINED forever (never acked, slot never reused). Default off
    /// (faithful to the merged series).
    /// </summary>
    public bool FixH10ResetCrossGtChains { get; init; }

    /// <summary>
    /// H11 fix: the SVM fault path returns the error (-EACCES, failed get_pages) instead of reaching
    /// <c>out:</c> and returning 0 (a success ack without a binding). Default off (faithful).
    /// </summary>
    public bool FixH11ErrorAck { get; init; }

    /// <summary>
    /// H12 fix: when the GC's unbind fails, drop the extra range reference before returning.
    /// Default off (faithful: the reference leaks).
    /// </summary>
    public bool FixH12GcRefLeak { get; init; }

    /// <summary>
    /// H17 fix: bound the SVM and VMA retry loops (R1, R3, R4, R7, userptr -EAGAIN) at this many
    /// iterations; past it the fault fails with -EAGAIN (error ack, the GPU refaults). 0 = unbounded
    /// (faithful).
    /// </summary>
    public int MaxFaultRetries { get; init; }

    /// <summary>The ring size in entries that the device will use (resolves <see cref="QueueEntries"/> = 0).</summary>
    public int ResolvedQueueEntries =>
        QueueEntries > 0 ? QueueEntries : (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)((TotalEus + NumHwEngines) * 8));

    /// <summary>The options of the pre-series baseline: coarse locking, no chaining, unbatched acks.</summary>
    public static XeOptions PreSeries(int numPfWork = 2) => new()
    {
        Locking = LockingMode.Coarse,
        NumPfWork = numPfWork,
        Chaining = false,
        LastFaultCache = false,
        BatchedAcks = false,
    };

    /// <summary>Checks every knob; throws with the name of the first bad one.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A knob is out of range.</exception>
    public void Validate()
    {
        if (NumPfWork is < 1 or > MaxPfWork)
        {
            throw new ArgumentOutOfRangeException(nameof(NumPfWork), NumPfWork, $"num_pf_work must be 1..{MaxPfWork}");
        }

        var q = ResolvedQueueEntries;
        if (q < 4 || (q & (q - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(QueueEntries), q, "queue size must be a power of two >= 4");
        }

        if (NumGts is < 1 or > 8)
        {
            throw new ArgumentOutOfRangeException(nameof(NumGts), NumGts, "1..8 GTs");
        }

        if (AckFlushPeriod < 1 || (AckFlushPeriod & (AckFlushPeriod - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(AckFlushPeriod), AckFlushPeriod, "a power of two");
        }

        if (CtCapacityMessages < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(CtCapacityMessages), CtCapacityMessages, ">= 2");
        }

        if (LatencyScale < 0 || double.IsNaN(LatencyScale))
        {
            throw new ArgumentOutOfRangeException(nameof(LatencyScale), LatencyScale, ">= 0");
        }

        foreach (var (name, value) in new[]
        {
            (nameof(AsidLookupLatency), AsidLookupLatency), (nameof(VmaLookupLatency), VmaLookupLatency),
            (nameof(RangeLookupLatency), RangeLookupLatency), (nameof(ValidCheckLatency), ValidCheckLatency),
            (nameof(CtWriteLatency), CtWriteLatency),
        })
        {
            if (value < TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(name, value, ">= 0");
            }
        }

        if (MigrationBytesPerMicrosecond <= 0 || GetPagesBytesPerMicrosecond <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MigrationBytesPerMicrosecond), "throughputs must be > 0");
        }

        if (WorkerBudget <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(WorkerBudget), WorkerBudget, "> 0");
        }

        if (MaxFaultRetries < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxFaultRetries), MaxFaultRetries, ">= 0");
        }
    }
}
