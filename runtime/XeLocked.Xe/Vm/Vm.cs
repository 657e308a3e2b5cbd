using XeLocked.Annotations;
using XeLocked.Locking;

namespace XeLocked.Xe;

/// <summary>
/// A GPU address space (<c>struct xe_vm</c>) in fault mode: its VMAs, its SVM state, its dma-resv
/// and the CPU address space it mirrors. Reference counted: the device's ASID map holds one
/// reference until close, every in-flight fault and every SVM range holds one.
/// </summary>
public sealed class Vm
{
    private Kref _ref = new();
    private int _banned;

    internal Vm(XeDevice xe, uint asid)
    {
        Xe = xe;
        Asid = asid;
        Svm = new Svm(this);
        Interlocked.Increment(ref xe.LiveVmCount);
    }

    /// <summary>The device.</summary>
    public XeDevice Xe { get; }

    /// <summary>Address-space id (<c>vm->usm.asid</c>): immutable while the VM lives.</summary>
    public uint Asid { get; }

    /// <summary>
    /// <c>vm->lock</c>: "outer most lock, protects objects of anything attached to this VM". After the
    /// series: binds take it in write mode (prefetch-only binds: read, P02); faults, the GC worker
    /// and prefetch take it in read mode (coarse locking: write).
    /// </summary>
    [LockOrder(Before = new[] { "GarbageCollector.Lock", "SvmRange.Lock", "Vma.FaultLock", "Svm.RangeLock" })]
    public readonly TrackedRwSemaphore Lock = new("Vm.Lock");

    /// <summary>The VM's reservation object, shared by its (VM-private) BOs.</summary>
    public readonly DmaResv Resv = new();

    /// <summary>The SVM state: range tree, notifier lock, garbage collector.</summary>
    public Svm Svm { get; }

    /// <summary>The CPU address space this VM mirrors (the process's mm).</summary>
    public readonly CpuMm Mm = new();

    /// <summary><c>vm->userptr.invalidated_lock</c>: protects the invalidated-userptr list. Innermost.</summary>
    [LockOrder(After = new[] { "Svm.NotifierLock" })]
    public readonly TrackedSpinLock UserptrInvalidatedLock = new("Vm.UserptrInvalidatedLock");

    /// <summary><c>vm->userptr.invalidated</c>: userptrs invalidated since they were last pinned.</summary>
    [GuardedBy("UserptrInvalidatedLock")]
    private readonly List<UserptrVma> _userptrInvalidated = new();

    /// <summary>Closed state: checked under <c>Vm.Lock</c> (any mode), set under write mode.</summary>
    [GuardedBy("Lock:read", Write = "Lock:write")]
    internal bool Closed;

    /// <summary>
    /// P01 v4 <c>vm->usm.last_fault_vma</c>, "used for fast lookup when we get a flood of faults". v4
    /// wrote it under the read lock (hazard H8); the merged series removed the write, and so does the
    /// model: it is only ever written in write mode.
    /// </summary>
    [GuardedBy("Lock:read", Write = "Lock:write")]
    internal Vma? LastFaultVma;

    /// <summary>The GPUVA tree: start → VMA. Lookups need <c>Vm.Lock</c>; mutations need D2.</summary>
    [GuardedBy("Lock:read", Write = "Lock:write | (Lock:read & Svm.Gc.Lock)")]
    private readonly SortedDictionary<ulong, Vma> _vmas = new();

    /// <summary>
    /// H7 detector (model diagnostics, not driver state): the thread that is mutating the VMA tree
    /// under the read lock plus the GC lock (D2's second alternative), 0 when none.
    /// </summary>
    private int _gcTreeMutator;

    /// <summary>Current reference count (diagnostics).</summary>
    public int RefCount => _ref.Count;

    /// <summary><c>XE_VM_FLAG_BANNED</c> (set atomically by <c>xe_vm_kill</c>).</summary>
    public bool IsBanned => Volatile.Read(ref _banned) != 0;

    /// <summary><c>xe_vm_get</c>.</summary>
    /// <exception cref="InvalidOperationException">The VM was freed (use after free).</exception>
    internal Vm Get()
    {
        _ref.Get(this);
        return this;
    }

    /// <summary><c>xe_vm_put</c>: the last put frees the VM (its locks are destroyed).</summary>
    /// <exception cref="InvalidOperationException">The VM was freed already (reference count underflow).</exception>
    internal void Put()
    {
        if (_ref.Put(this))
        {
            Free();
        }
    }

    /// <summary><c>xe_vm_kill(vm, true)</c>: ban the VM (atomic flag).</summary>
    internal void Kill() => Volatile.Write(ref _banned, 1);

    /// <summary>
    /// READ_ONCE of <see cref="Closed"/> for the MMU notifier, which must not take <c>Vm.Lock</c>
    /// (§2.3 rule 1): a stale "open" only means a zap the close would have skipped.
    /// </summary>
    // Lockless by design (Volatile.Read): the notifier runs under mm locks and cannot take vm->lock.
    internal bool IsClosedOnce() => Volatile.Read(ref Closed);

    /// <summary><c>xe_vm_is_closed_or_banned</c>.</summary>
    [Requires("Lock:read")]
    internal bool IsClosedOrBanned() => Closed || IsBanned;

    /// <summary><c>xe_vm_find_vma_by_addr</c>.</summary>
    [Requires("Lock:read")]
    internal Vma? FindVma(ulong addr)
    {
        var mutator = Volatile.Read(ref _gcTreeMutator);
        Lockdep.Assert(mutator == 0 || mutator == Environment.CurrentManagedThreadId || Lockdep.IsHeldType(Lock, LockMode.Write),
            "H7: VMA tree lookup under vm->lock (read) while the garbage collector mutates the tree under vm->lock (read) + " +
            "garbage_collector.lock (xe_svm_range_set_default_attr): D2 admits the mutation, nothing excludes the reader");
        foreach (var (start, vma) in _vmas)
        {
            if (start > addr)
            {
                break;
            }

            if (addr < vma.End)
            {
                return vma;
            }
        }

        return null;
    }

    /// <summary><c>vma->gpuva.flags &amp; XE_VMA_DESTROYED</c>: the VMA is no longer in the tree.</summary>
    [Requires("Lock:read")]
    internal bool IsVmaDestroyed(Vma vma) => !_vmas.TryGetValue(vma.Start, out var v) || !ReferenceEquals(v, vma);

    /// <summary>VMAs overlapping [start, end), in address order.</summary>
    [Requires("Lock:read")]
    internal List<Vma> VmasIn(ulong start, ulong end) =>
        _vmas.Values.Where(v => v.Start < end && v.End > start).ToList();

    /// <summary>Every VMA, in address order.</summary>
    [Requires("Lock:read")]
    internal List<Vma> AllVmas() => _vmas.Values.ToList();

    /// <summary>Marks the start of a GC-side tree mutation under the read lock (H7 detector).</summary>
    [Requires("Lock:read")]
    [Requires("Svm.Gc.Lock")]
    internal void BeginGcTreeMutation() => Volatile.Write(ref _gcTreeMutator, Environment.CurrentManagedThreadId);

    /// <summary>Marks its end.</summary>
    [Requires("Lock:read")]
    [Requires("Svm.Gc.Lock")]
    internal void EndGcTreeMutation() => Volatile.Write(ref _gcTreeMutator, 0);

    /// <summary><c>new_vma</c> + <c>xe_vma_op_commit</c>: inserts a VMA (D2).</summary>
    [Requires("Lock:write | (Lock:read & Svm.Gc.Lock)")]
    internal void InsertVma(Vma vma)
    {
        Lockdep.Assert(Lockdep.IsHeldType(Lock, LockMode.Write) ||
                       (Lockdep.IsHeldType(Lock, LockMode.Read) && Lockdep.IsHeld(Svm.Gc.Lock)),
            "xe_vm_assert_write_mode_or_garbage_collector");
        _vmas.Add(vma.Start, vma);
    }

    /// <summary><c>xe_vma_destroy</c>: removes the VMA from the tree and marks it destroyed (D2).</summary>
    [Requires("Lock:write | (Lock:read & Svm.Gc.Lock)")]
    internal void DestroyVma(Vma vma)
    {
        Lockdep.Assert(Lockdep.IsHeldType(Lock, LockMode.Write) ||
                       (Lockdep.IsHeldType(Lock, LockMode.Read) && Lockdep.IsHeld(Svm.Gc.Lock)),
            "xe_vm_assert_write_mode_or_garbage_collector");
        _vmas.Remove(vma.Start); // XE_VMA_DESTROYED: see IsVmaDestroyed
        if (vma is UserptrVma u)
        {
            using var g = UserptrInvalidatedLock.Guard();
            _userptrInvalidated.Remove(u);
        }

        // xe_vma_destroy_late: the fault lock dies with the VMA.
        vma.FaultLock.Dispose();
        Interlocked.Decrement(ref Xe.LiveVmaCount);
    }

    /// <summary>Adds an invalidated userptr to the list (notifier side, under the notifier lock).</summary>
    [Requires("Svm.NotifierLock:write")]
    internal void MarkUserptrInvalidated(UserptrVma uvma)
    {
        using var g = UserptrInvalidatedLock.Guard();
        if (!_userptrInvalidated.Contains(uvma))
        {
            _userptrInvalidated.Add(uvma);
        }
    }

    /// <summary>Removes a userptr from the invalidated list after a successful repin.</summary>
    internal void ClearUserptrInvalidated(UserptrVma uvma)
    {
        using var g = UserptrInvalidatedLock.Guard();
        _userptrInvalidated.Remove(uvma);
    }

    private void Free()
    {
        Lock.Dispose();
        Resv.Lock.Dispose();
        Mm.MmapLock.Dispose();
        UserptrInvalidatedLock.Dispose();
        Svm.DisposeLocks();
        Interlocked.Decrement(ref Xe.LiveVmCount);
    }

    /// <inheritdoc/>
    public override string ToString() => $"vm[asid {Asid}]";
}
