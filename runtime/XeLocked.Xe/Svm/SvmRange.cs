using XeLocked.Annotations;
using XeLocked.Locking;

namespace XeLocked.Xe;

/// <summary>
/// An SVM range (<c>struct xe_svm_range</c> wrapping <c>drm_gpusvm_range</c>): a 2 MiB, 64 KiB or
/// 4 KiB chunk of a CPU-address-mirror VMA. Reference counted: the range tree holds one reference,
/// every fault or prefetch that looked it up holds another (P01); the range holds a VM reference.
/// </summary>
/// <remarks>
/// Page state (<see cref="TilePresent"/>, <see cref="TileInvalidated"/>, the page flags) is protected
/// by the GPU SVM notifier lock: the MMU notifier writes it in write mode; the fault path writes it in
/// read mode while it owns the range (<see cref="Lock"/>). <see cref="Removed"/> is protected by
/// <see cref="Lock"/>.
/// </remarks>
public sealed class SvmRange
{
    private Kref _ref = new();

    internal SvmRange(Vm vm, ulong start, ulong end, bool migrateDevmem)
    {
        Vm = vm.Get();
        Start = start;
        End = end;
        MigrateDevmem = migrateDevmem;
        Interlocked.Increment(ref vm.Xe.LiveRangeCount);
    }

    /// <summary>The VM (the range holds a reference to it).</summary>
    public Vm Vm { get; }

    /// <summary>First address.</summary>
    public ulong Start { get; }

    /// <summary>End address (exclusive).</summary>
    public ulong End { get; }

    /// <summary>Size: 2 MiB, 64 KiB or 4 KiB.</summary>
    public ulong Size => End - Start;

    /// <summary><c>pages.flags.migrate_devmem</c>: the range may migrate to VRAM. Immutable.</summary>
    public bool MigrateDevmem { get; }

    /// <summary>Current reference count (diagnostics; the tests assert it stays &gt; 0 while used).</summary>
    public int RefCount => _ref.Count;

    /// <summary>
    /// P01 <c>range->lock</c>: "Protects fault handler, garbage collector, and prefetch critical
    /// sections, ensuring only one thread operates on a range at a time. Locking order: inside
    /// vm->lock and garbage collector, outside dma-resv locks, vm->svm.range_lock."
    /// </summary>
    [LockOrder(After = new[] { "Vm.Lock", "GarbageCollector.Lock" },
               Before = new[] { "DmaResv.Lock", "Svm.RangeLock", "XeDevice.DriverMigrateLock", "CpuMm.MmapLock", "Validation.Lock" })]
    public readonly TrackedMutex Lock = new("SvmRange.Lock");

    /// <summary>P01: "Range has been removed from GPU SVM tree, protected by @lock." Set by the GC before unbind; never reset.</summary>
    [GuardedBy("Lock")]
    internal bool Removed;

    /// <summary>Tile mask of bindings present. "Protected by GPU SVM notifier lock."</summary>
    [GuardedBy("Vm.Svm.NotifierLock:read", Write = "Vm.Svm.NotifierLock:write | (Vm.Svm.NotifierLock:read & Lock)")]
    internal byte TilePresent;

    /// <summary>Tile mask of bindings invalidated (PTEs zapped by the notifier). "Protected by GPU SVM notifier lock."</summary>
    [GuardedBy("Vm.Svm.NotifierLock:read", Write = "Vm.Svm.NotifierLock:write | (Vm.Svm.NotifierLock:read & Lock)")]
    internal byte TileInvalidated;

    /// <summary><c>pages.flags.unmapped</c>: the CPU unmapped (part of) the range; it awaits the GC.</summary>
    [GuardedBy("Vm.Svm.NotifierLock:read", Write = "Vm.Svm.NotifierLock:write | (Vm.Svm.NotifierLock:read & Lock)")]
    internal bool Unmapped;

    /// <summary><c>pages.flags.has_dma_mapping</c>: pages collected and DMA-mapped.</summary>
    [GuardedBy("Vm.Svm.NotifierLock:read", Write = "Vm.Svm.NotifierLock:write | (Vm.Svm.NotifierLock:read & Lock)")]
    internal bool HasDmaMapping;

    /// <summary><c>pages.flags.has_devmem_pages</c>: the backing pages are in VRAM.</summary>
    [GuardedBy("Vm.Svm.NotifierLock:read", Write = "Vm.Svm.NotifierLock:write | (Vm.Svm.NotifierLock:read & Lock)")]
    internal bool InVram;

    /// <summary><c>pages.notifier_seq</c>: the notifier sequence the collected pages are valid for.</summary>
    [GuardedBy("Vm.Svm.NotifierLock:read", Write = "Vm.Svm.NotifierLock:write | (Vm.Svm.NotifierLock:read & Lock)")]
    internal long PagesSeq;

    /// <summary>The interval notifier's invalidate sequence for this range (bumped by every invalidation).</summary>
    [GuardedBy("Vm.Svm.NotifierLock:read", Write = "Vm.Svm.NotifierLock:write")]
    internal long NotifierSeq = 1;

    /// <summary><c>drm_gpusvm_range_get</c>.</summary>
    /// <exception cref="InvalidOperationException">The range was freed (use after free).</exception>
    internal SvmRange Get()
    {
        _ref.Get(this);
        return this;
    }

    /// <summary><c>drm_gpusvm_range_put</c>: the last put frees the range (<c>xe_svm_range_free</c>: destroys the lock, drops the VM reference).</summary>
    /// <exception cref="InvalidOperationException">The range was freed already (reference count underflow).</exception>
    internal void Put()
    {
        if (_ref.Put(this))
        {
            Lock.Dispose();
            Interlocked.Decrement(ref Vm.Xe.LiveRangeCount);
            Vm.Put();
        }
    }

    /// <summary><c>xe_svm_range_is_removed</c>: asserts the range lock (D6).</summary>
    [Requires("Lock")]
    internal bool IsRemoved()
    {
        Lockdep.AssertHeld(Lock);
        return Removed;
    }

    /// <summary>
    /// READ_ONCE of the page state for <c>xe_svm_range_is_valid</c>: opportunistic; the bind
    /// pre-commit re-validates under the notifier lock.
    /// </summary>
    // Lockless by design (Volatile.Read is the analyzer's READ_ONCE): the validity check is re-done under the notifier lock at pre-commit.
    internal bool IsValidOnce(byte tileMask, bool devmemOnly) =>
        (Volatile.Read(ref TilePresent) & tileMask) != 0 &&
        (Volatile.Read(ref TileInvalidated) & tileMask) == 0 &&
        !Volatile.Read(ref Unmapped) &&
        Volatile.Read(ref HasDmaMapping) &&
        (!devmemOnly || Volatile.Read(ref InVram));

    /// <summary>
    /// The page-state part of <c>drm_gpusvm_range_remove</c> / <c>drm_gpusvm_unmap_pages</c>: DMA
    /// mappings gone, no binding left.
    /// </summary>
    [Requires("Vm.Svm.NotifierLock:write")]
    internal void UnmapPagesForRemoval()
    {
        HasDmaMapping = false;
        TilePresent = 0;
        TileInvalidated = 0;
    }

    /// <summary>READ_ONCE of the page flags (diagnostics, tests).</summary>
    // Lockless by design (Volatile.Read, diagnostics only).
    internal (byte TilePresent, byte TileInvalidated, bool Unmapped, bool InVram, bool HasDmaMapping) ReadStateOnce() =>
        (Volatile.Read(ref TilePresent), Volatile.Read(ref TileInvalidated), Volatile.Read(ref Unmapped),
         Volatile.Read(ref InVram), Volatile.Read(ref HasDmaMapping));

    /// <summary>READ_ONCE of <see cref="InVram"/> (<c>drm_gpusvm_scan_mm</c> in the model).</summary>
    // Lockless by design (Volatile.Read): migration re-checks under the range lock it holds.
    internal bool InVramOnce() => Volatile.Read(ref InVram);

    /// <summary>The GT stat IDs for this range's size: (fault, valid, migrate).</summary>
    internal (GtStatId Fault, GtStatId Valid, GtStatId Migrate) ChunkStats() => Size switch
    {
        >= Svm.Chunk2M => (GtStatId.Svm2MPagefaultCount, GtStatId.Svm2MValidPagefaultCount, GtStatId.Svm2MMigrateCount),
        >= Svm.Chunk64K => (GtStatId.Svm64KPagefaultCount, GtStatId.Svm64KValidPagefaultCount, GtStatId.Svm64KMigrateCount),
        _ => (GtStatId.Svm4KPagefaultCount, GtStatId.Svm4KValidPagefaultCount, GtStatId.Svm4KMigrateCount),
    };

    /// <inheritdoc/>
    public override string ToString() => $"range[0x{Start:x}-0x{End:x}]";
}
