namespace XeLocked.Xe;

/// <summary>
/// The GT statistics IDs (<c>XE_GT_STATS_ID_*</c>) the series uses (§5), per GT, lock-free
/// (the driver's per-CPU counters are modelled as atomics).
/// </summary>
public enum GtStatId
{
    /// <summary>P07: worker invocation wall time in µs, summed on the root GT.</summary>
    PagefaultUs,

    /// <summary>P08/P09: every successful chain (IRQ, pop or drain).</summary>
    ChainPagefaultCount,

    /// <summary>P09: chains made in the IRQ handler.</summary>
    ChainIrqPagefaultCount,

    /// <summary>P09: IRQ chains made while the queue was empty (tail advanced at once).</summary>
    ChainDrainIrqPagefaultCount,

    /// <summary>P09: chained faults requeued because they lie outside the proven window.</summary>
    ChainMismatchPagefaultCount,

    /// <summary>P08/P09: faults acked through the worker-local last-fault window.</summary>
    LastPagefaultCount,

    /// <summary>P12: services that started while another worker was servicing (in-flight counter &gt; 1).</summary>
    ParallelPagefaultCount,

    /// <summary>SVM faults (each call of the SVM handler).</summary>
    SvmPagefaultCount,

    /// <summary>SVM faults on 4 KiB ranges.</summary>
    Svm4KPagefaultCount,

    /// <summary>SVM faults on 64 KiB ranges.</summary>
    Svm64KPagefaultCount,

    /// <summary>SVM faults on 2 MiB ranges.</summary>
    Svm2MPagefaultCount,

    /// <summary>SVM faults that found a 4 KiB range already valid.</summary>
    Svm4KValidPagefaultCount,

    /// <summary>SVM faults that found a 64 KiB range already valid.</summary>
    Svm64KValidPagefaultCount,

    /// <summary>SVM faults that found a 2 MiB range already valid.</summary>
    Svm2MValidPagefaultCount,

    /// <summary>Migrations of 4 KiB ranges to VRAM.</summary>
    Svm4KMigrateCount,

    /// <summary>Migrations of 64 KiB ranges to VRAM.</summary>
    Svm64KMigrateCount,

    /// <summary>Migrations of 2 MiB ranges to VRAM.</summary>
    Svm2MMigrateCount,

    /// <summary>Time in SVM fault handling, µs.</summary>
    SvmPagefaultUs,

    /// <summary>Time migrating, µs.</summary>
    SvmMigrateUs,

    /// <summary>Time collecting pages, µs.</summary>
    SvmGetPagesUs,

    /// <summary>Time binding, µs.</summary>
    SvmBindUs,

    /// <summary>BO/userptr VMA faults.</summary>
    VmaPagefaultCount,

    /// <summary>KiB of BO/userptr VMAs faulted.</summary>
    VmaPagefaultKb,

    /// <summary>TLB invalidations issued by the MMU notifier (once per tile).</summary>
    SvmTlbInvalCount,

    /// <summary>Time in notifier TLB invalidations, µs.</summary>
    SvmTlbInvalUs,

    /// <summary>Failed hardware prefetch faults (counted, not logged).</summary>
    InvalidPrefetchPagefaultCount,
}
