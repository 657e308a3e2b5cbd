using XeLocked.Annotations;
using XeLocked.Locking;

namespace XeLocked.Xe;

/// <summary>
/// A GPU virtual memory area (<c>struct xe_vma</c>): [<see cref="Start"/>, <see cref="End"/>) of a VM,
/// backed by a BO, a userptr, or mirroring the CPU address space (SVM).
/// </summary>
/// <remarks>
/// Lifetime: created and destroyed under <c>Vm.Lock</c> in write mode, or read mode plus
/// <c>GarbageCollector.Lock</c> (D2). VMAs are not reference counted (hazard H7).
/// </remarks>
public class Vma
{
    internal Vma(Vm vm, ulong start, ulong end, VmaKind kind, bool readOnly, bool preferVram, bool attrAutoReset = false)
    {
        AttrAutoReset = attrAutoReset;
        Vm = vm;
        Start = start;
        End = end;
        Kind = kind;
        ReadOnly = readOnly;
        PreferVram = preferVram;
        Interlocked.Increment(ref vm.Xe.LiveVmaCount);
    }

    /// <summary>The VM the VMA belongs to.</summary>
    public Vm Vm { get; }

    /// <summary>First address.</summary>
    public ulong Start { get; }

    /// <summary>End address (exclusive).</summary>
    public ulong End { get; }

    /// <summary>Size in bytes.</summary>
    public ulong Size => End - Start;

    /// <summary>What backs it.</summary>
    public VmaKind Kind { get; }

    /// <summary>Read-only mapping: write and atomic faults get -EPERM.</summary>
    public bool ReadOnly { get; }

    /// <summary>The BO prefers VRAM (atomics need it: <c>xe_vma_need_vram_for_atomic</c>).</summary>
    public bool PreferVram { get; }

    /// <summary>
    /// The memory attributes were set by madvise with <c>DRM_XE_VMA_ATTR_…_AUTORESET</c>: when the CPU
    /// unmaps part of it, the GC resets them to the defaults (<c>xe_svm_range_set_default_attr</c>),
    /// which re-splits the VMA (hazard H7).
    /// </summary>
    public bool AttrAutoReset { get; }

    /// <summary>
    /// P01 <c>vma->fault_lock</c>: "Synchronizes fault processing. Locking order: inside vm->lock,
    /// outside dma-resv."
    /// </summary>
    [LockOrder(After = new[] { "Vm.Lock" }, Before = new[] { "DmaResv.Lock", "CpuMm.MmapLock", "Validation.Lock" })]
    public readonly TrackedMutex FaultLock = new("Vma.FaultLock");

    /// <summary>
    /// Tile mask of bindings present. "Protected by vm->lock, vm->resv […] for writing. Needs either
    /// for reading, but if reading is done under the vm->lock only, it needs to be held in write mode."
    /// Userptr writers also hold the notifier lock (read, pre-commit), so the userptr notifier reads
    /// it under the notifier lock in write mode. The fault fast path reads it opportunistically
    /// (<see cref="HasValidGpuMappingOnce"/>, H15).
    /// </summary>
    [GuardedBy("Vm.Lock:write | Vm.Resv.Lock | Vm.Svm.NotifierLock:write", Write = "Vm.Lock:read & Vm.Resv.Lock")]
    internal byte TilePresent;

    /// <summary>
    /// Tile mask of bindings invalidated (PTEs zapped). Written under the VM resv (BO move) or the
    /// notifier lock in write mode (userptr invalidation); the rebind clears it under the resv.
    /// </summary>
    [GuardedBy("Vm.Resv.Lock | Vm.Svm.NotifierLock:read", Write = "Vm.Resv.Lock | Vm.Svm.NotifierLock:write")]
    internal byte TileInvalidated;

    /// <summary>The BO's pages are resident where they must be (false after an eviction).</summary>
    [GuardedBy("Vm.Resv.Lock")]
    internal bool BoResident;

    /// <summary>The BO is in VRAM.</summary>
    [GuardedBy("Vm.Resv.Lock")]
    internal bool BoInVram;

    /// <summary>
    /// READ_ONCE of <see cref="TilePresent"/> and <see cref="TileInvalidated"/> for the fault fast path
    /// (<c>xe_vm_has_valid_gpu_mapping</c>): opportunistic, a stale "valid" only causes a refault (H15).
    /// </summary>
    // Lockless by design (Volatile.Read): a stale value is benign here.
    internal bool HasValidGpuMappingOnce(byte tileMask) =>
        (Volatile.Read(ref TilePresent) & tileMask) != 0 && (Volatile.Read(ref TileInvalidated) & tileMask) == 0;

    /// <summary>READ_ONCE of <see cref="TilePresent"/> (diagnostics and tests).</summary>
    // Lockless by design (Volatile.Read, diagnostics only).
    internal byte ReadTilePresentOnce() => Volatile.Read(ref TilePresent);

    /// <inheritdoc/>
    public override string ToString() => $"vma[{Kind} 0x{Start:x}-0x{End:x}]";
}
