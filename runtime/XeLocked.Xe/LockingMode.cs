namespace XeLocked.Xe;

/// <summary>Which locking the model runs with. Everything but the locking policy is shared code.</summary>
public enum LockingMode
{
    /// <summary>
    /// The series: faults, the garbage collector and prefetch-only binds take <c>Vm.Lock</c> in read
    /// mode; per-range (<c>SvmRange.Lock</c>) and per-VMA (<c>Vma.FaultLock</c>) mutexes serialize
    /// work on one range or VMA; one page-fault queue feeds <see cref="XeOptions.NumPfWork"/> workers.
    /// </summary>
    Fine,

    /// <summary>
    /// Pre-series baseline: every fault, the garbage collector and every bind take <c>Vm.Lock</c> in
    /// write mode, and faults go to <see cref="XeOptions.NumPfWork"/> queues hashed by ASID, one
    /// worker each (every fault of a VM is serialized on one worker).
    /// </summary>
    Coarse,
}

/// <summary>Where the threaded prefetch (P03) runs its per-range migration work items.</summary>
public enum PrefetchQueueKind
{
    /// <summary>A dedicated prefetch workqueue (the merged series): cannot deadlock with fault workers.</summary>
    Dedicated,

    /// <summary>
    /// The page-fault workqueue itself (v3/v4 of P03): with a writer pending on <c>Vm.Lock</c>,
    /// fault workers blocked in <c>down_read</c> can occupy every slot (hazard H13).
    /// </summary>
    SharedWithFaults,
}

/// <summary>How a fault worker takes <c>Vm.Lock</c> (fine locking).</summary>
public enum FaultVmLockKind
{
    /// <summary><c>down_read</c>: the seed and the merged series.</summary>
    Blocking,

    /// <summary>
    /// <c>down_read_trylock</c>; on failure the fault is requeued with <c>-EAGAIN</c> and the worker
    /// re-queues itself (the v4-era fix for hazard H13).
    /// </summary>
    TrylockRequeue,
}
