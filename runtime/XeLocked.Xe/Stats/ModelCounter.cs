namespace XeLocked.Xe;

/// <summary>
/// Model-level counters (beyond the driver's GT stats): what the tests and the simulator observe.
/// Lock-free atomics; read them through <see cref="XeStats"/>.
/// </summary>
public enum ModelCounter
{
    /// <summary>Faults offered to the IRQ handler.</summary>
    FaultsSubmitted,

    /// <summary>Faults the handler accepted (returned 0).</summary>
    FaultsAccepted,

    /// <summary>Faults rejected with -ENOSPC ("PageFault Queue full, shouldn't be possible" warning).</summary>
    QueueFullDrops,

    /// <summary>Calls of the expensive service (<c>xe_pagefault_service</c>).</summary>
    Services,

    /// <summary>Services that took the slow path: migrate, get pages or bind.</summary>
    SlowServices,

    /// <summary>Acks sent (each fault once).</summary>
    Acks,

    /// <summary>Acks that reported success.</summary>
    AcksSuccess,

    /// <summary>Acks that reported an error.</summary>
    AcksError,

    /// <summary>Chained faults requeued (mismatch, leader error, reset fix, trylock).</summary>
    Requeues,

    /// <summary>QUEUED or CHAINED entries a GT reset freed without an ack.</summary>
    Squashed,

    /// <summary>Worker invocations (work function runs).</summary>
    WorkerInvocations,

    /// <summary>Worker invocations that ended on the 20 ms budget and re-queued themselves.</summary>
    WorkerBudgetRequeues,

    /// <summary>Migrations to VRAM that ran (copy-engine jobs).</summary>
    Migrations,

    /// <summary>Maximum number of migrations in flight at once.</summary>
    MaxConcurrentMigrations,

    /// <summary>Maximum number of services in flight at once.</summary>
    MaxConcurrentServices,

    /// <summary>Migrations to system memory (eviction).</summary>
    Evictions,

    /// <summary>drm_exec contention backoffs (-EDEADLK on a dma-resv, unlock all, retry).</summary>
    ResvContentionRetries,

    /// <summary>Validation retries in exhaustive-eviction mode after -ENOMEM.</summary>
    OomRetries,

    /// <summary>Binds that failed pre-commit with -EAGAIN (pages invalidated before commit).</summary>
    BindRetries,

    /// <summary>SVM faults that found their range removed after locking it, and retried (R1).</summary>
    RemovedRangeRetries,

    /// <summary>Userptr repins.</summary>
    UserptrRepins,

    /// <summary>Ranges the garbage collector removed.</summary>
    GcRangesRemoved,

    /// <summary>VMAs the GC replaced to reset auto-reset attributes (<c>xe_svm_range_set_default_attr</c>).</summary>
    GcAttrResets,

    /// <summary>Garbage-collector runs that found work.</summary>
    GcRuns,

    /// <summary>MMU-notifier invalidations.</summary>
    NotifierInvalidations,

    /// <summary>H2G messages written to the CT buffer.</summary>
    H2gMessages,

    /// <summary>CT publishes (descriptor update + doorbell).</summary>
    Doorbells,

    /// <summary>Publishes forced because the CT buffer was full during a write-only batch (H14 fix).</summary>
    CtSpaceFlushes,

    /// <summary>Faults requeued because <c>down_read_trylock(vm.Lock)</c> failed (v4 variant).</summary>
    TrylockRequeues,

    /// <summary>Prefetch flushes the watchdog declared deadlocked (H13 reproduction).</summary>
    PrefetchDeadlocks,

    /// <summary>Faults for an ASID with no VM (error ack -EINVAL).</summary>
    UnknownAsid,

    /// <summary>Faults at an address outside any VMA (error ack -EINVAL).</summary>
    NoVma,

    /// <summary>Faults on a closed VM (error ack -ENOENT).</summary>
    ClosedVm,

    /// <summary>Unexpected exceptions caught at a worker's top level (a model bug; must stay 0).</summary>
    WorkerExceptions,

    /// <summary>Warnings logged (queue full, GC error, retry count exceeded, …).</summary>
    Warnings,

    /// <summary>Faults that gave up after <see cref="XeOptions.MaxFaultRetries"/> (H17 fix).</summary>
    RetryLimitHit,

    /// <summary>
    /// Copy-engine migrations (to VRAM or evictions) that started while another was in flight — the
    /// same rule as P12's <c>PARALLEL_PAGEFAULT_COUNT</c> for services, so the first of two
    /// overlapping migrations is not counted.
    /// </summary>
    MigrationsOverlapped,
}
