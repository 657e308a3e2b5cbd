using XeLocked.Annotations;
using XeLocked.Locking;

namespace XeLocked.Xe;

/// <summary>
/// The per-VM SVM state (<c>vm->svm</c> + its <c>drm_gpusvm</c>): the range tree, the notifier lock,
/// the range lock (P01: also the gpusvm "driver lock") and the garbage collector.
/// </summary>
public sealed class Svm
{
    /// <summary>2 MiB chunk.</summary>
    public const ulong Chunk2M = 2UL << 20;

    /// <summary>64 KiB chunk.</summary>
    public const ulong Chunk64K = 64UL << 10;

    /// <summary>4 KiB chunk (a page).</summary>
    public const ulong Chunk4K = 4UL << 10;

    /// <summary><c>fault_chunk_sizes</c>, largest first.</summary>
    internal static readonly ulong[] ChunkSizes = { Chunk2M, Chunk64K, Chunk4K };

    internal Svm(Vm vm)
    {
        Vm = vm;
        Gc = new GarbageCollector(vm);
    }

    /// <summary>The VM.</summary>
    internal Vm Vm { get; }

    /// <summary>
    /// P01 <c>vm->svm.range_lock</c>: "Protects insertion and removal of ranges from GPU SVM tree."
    /// Inside <c>Vm.Lock</c> and <c>SvmRange.Lock</c>; outside the notifier lock.
    /// </summary>
    [LockOrder(After = new[] { "Vm.Lock", "SvmRange.Lock" }, Before = new[] { "Svm.NotifierLock", "CpuMm.MmapLock" })]
    public readonly TrackedMutex RangeLock = new("Svm.RangeLock");

    /// <summary>
    /// <c>gpusvm->notifier_lock</c>: the MMU notifier holds it in write mode; page collection and the
    /// bind pre-commit take it in read mode. Userptrs share it.
    /// </summary>
    [LockOrder(After = new[] { "Svm.RangeLock", "DmaResv.Lock", "CpuMm.MmapLock" },
               Before = new[] { "GarbageCollector.ListLock", "Vm.UserptrInvalidatedLock" })]
    public readonly TrackedRwSemaphore NotifierLock = new("Svm.NotifierLock");

    /// <summary>The garbage collector.</summary>
    public GarbageCollector Gc { get; }

    /// <summary>
    /// The range tree (the notifiers' interval trees, flattened): start → range. Mutated under
    /// <see cref="RangeLock"/> plus the notifier lock; read under either (the notifier in write mode).
    /// </summary>
    [GuardedBy("RangeLock | NotifierLock:write", Write = "RangeLock & NotifierLock:read")]
    private readonly SortedDictionary<ulong, SvmRange> _ranges = new();

    /// <summary>
    /// <c>drm_gpusvm_range_find_or_insert</c> + P01's extra reference: returns the range containing
    /// <paramref name="addr"/>, creating the largest chunk (2M, 64K, 4K) that fits the VMA, the CPU
    /// mapping and the neighbouring ranges. The caller owns one reference.
    /// </summary>
    /// <returns>0, or -EFAULT when the address is not CPU-mapped, -EINVAL when no chunk fits.</returns>
    [Requires("RangeLock")]
    internal int FindOrInsert(ulong addr, Vma vma, out SvmRange? range)
    {
        Lockdep.AssertHeld(RangeLock); // drm_gpusvm_driver_lock_held (D7)
        range = Lookup(addr);
        if (range != null)
        {
            range.Get();
            return 0;
        }

        (ulong Start, ulong End)? mapping;
        using (Vm.Mm.MmapLock.ReadGuard())
        {
            mapping = Vm.Mm.FindMapping(addr);
        }

        if (mapping is not { } m)
        {
            return -Errno.EFAULT;
        }

        foreach (var chunk in ChunkSizes)
        {
            var s = addr & ~(chunk - 1);
            var e = s + chunk;
            if (s < vma.Start || e > vma.End || s < m.Start || e > m.End || Overlaps(s, e))
            {
                continue;
            }

            var r = new SvmRange(Vm, s, e, Vm.Xe.Options.DevmemPossible);
            using (NotifierLock.ReadGuard())
            {
                _ranges.Add(s, r);
            }

            range = r.Get(); // the tree keeps the initial reference, the caller gets this one
            return 0;
        }

        return -Errno.EINVAL;
    }

    /// <summary>
    /// <c>drm_gpusvm_range_remove</c>: unmaps the DMA pages (under the notifier lock), removes the range
    /// from the tree and drops the tree's reference.
    /// </summary>
    [Requires("RangeLock")]
    internal void Remove(SvmRange range)
    {
        Lockdep.AssertHeld(RangeLock); // drm_gpusvm_driver_lock_held (D7)
        using (NotifierLock.WriteGuard())
        {
            if (_ranges.TryGetValue(range.Start, out var r) && ReferenceEquals(r, range))
            {
                _ranges.Remove(range.Start);
            }

            XeAssert.RangeNotifierHeldWrite(range); // this.NotifierLock is range.Vm.Svm.NotifierLock
            range.UnmapPagesForRemoval();
        }

        range.Put();
    }

    /// <summary>The ranges overlapping [start, end) (a snapshot, no references taken).</summary>
    [Requires("RangeLock")]
    internal List<SvmRange> RangesIn(ulong start, ulong end) =>
        _ranges.Values.Where(r => r.Start < end && r.End > start).ToList();

    /// <summary>The notifier's walk of the ranges overlapping [start, end).</summary>
    [Requires("NotifierLock:write")]
    internal List<SvmRange> RangesInForNotifier(ulong start, ulong end) =>
        _ranges.Values.Where(r => r.Start < end && r.End > start).ToList();

    /// <summary>Number of ranges in the tree.</summary>
    public int RangeCount
    {
        [Excludes("RangeLock")]
        get
        {
            using var g = RangeLock.Guard();
            return _ranges.Count;
        }
    }

    /// <summary>
    /// <c>drm_gpusvm_fini</c> under the range lock (P01 <c>xe_svm_fini</c>): removes every range.
    /// </summary>
    [Requires("RangeLock")]
    internal void Fini()
    {
        foreach (var r in _ranges.Values.ToList())
        {
            Remove(r);
        }
    }

    [Requires("RangeLock")]
    private SvmRange? Lookup(ulong addr)
    {
        foreach (var (s, r) in _ranges)
        {
            if (s > addr)
            {
                break;
            }

            if (addr < r.End)
            {
                return r;
            }
        }

        return null;
    }

    [Requires("RangeLock")]
    private bool Overlaps(ulong start, ulong end) => _ranges.Values.Any(r => r.Start < end && r.End > start);

    internal void DisposeLocks()
    {
        RangeLock.Dispose();
        NotifierLock.Dispose();
        Gc.Lock.Dispose();
        Gc.ListLock.Dispose();
    }
}
