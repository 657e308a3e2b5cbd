using XeLocked.Annotations;
using XeLocked.Locking;

namespace XeLocked.Xe;

/// <summary>
/// A reservation object (<c>struct dma_resv</c>): a ww_mutex plus the fences of the jobs that use the
/// buffer. The model has VM-private BOs only, so each VM has one resv shared by all its BOs
/// (<c>xe_vm_resv(vm)</c>).
/// </summary>
public sealed class DmaResv
{
    private DmaFence[] _fences = Array.Empty<DmaFence>();

    /// <summary>
    /// The ww_mutex. Order: inside <c>Vma.FaultLock</c>, <c>SvmRange.Lock</c>, <c>GarbageCollector.Lock</c>
    /// and <c>Validation.Lock</c>; outside <c>Svm.NotifierLock</c> (bind pre-commit, read mode).
    /// </summary>
    [LockOrder(After = new[] { "Vma.FaultLock", "SvmRange.Lock", "GarbageCollector.Lock", "Validation.Lock" },
               Before = new[] { "Svm.NotifierLock" })]
    public readonly TrackedMutex Lock = new("DmaResv.Lock");

    /// <summary>Adds a job's fence (<c>dma_resv_add_fence</c>, BOOKKEEP usage).</summary>
    [Requires("Lock")]
    internal void AddFence(DmaFence fence)
    {
        // Readers are lockless (RCU in the kernel): publish a new array.
        var old = Volatile.Read(ref _fences);
        var pruned = old.Where(f => !f.IsSignaled).Append(fence).ToArray();
        Volatile.Write(ref _fences, pruned);
    }

    /// <summary><c>dma_resv_wait_timeout(resv, BOOKKEEP)</c>: waits for every fence, taking no lock.</summary>
    internal void WaitBookkeep()
    {
        foreach (var f in Volatile.Read(ref _fences))
        {
            f.Wait();
        }
    }

    /// <summary>
    /// drm_exec's lock loop for this one object: a trylock, and on contention (-EDEADLK with one object
    /// is plain contention) the back-off slow path that blocks on the contended lock with nothing else
    /// held. Counts each back-off.
    /// </summary>
    [Acquires("Lock")]
    internal void ExecLock(ModelCounters counters)
    {
        if (Lock.TryLock())
        {
            return;
        }

        counters.Add(ModelCounter.ResvContentionRetries);
        Lock.Lock();
    }
}
