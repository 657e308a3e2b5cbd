using XeLocked.Annotations;
using XeLocked.Locking;

namespace XeLocked.Xe;

/// <summary>
/// The CPU address space (<c>struct mm_struct</c>) the VM mirrors: which intervals are mapped, under
/// <c>mmap_lock</c>. CPU unmaps and invalidations call the VM's MMU interval notifiers with the
/// mmap lock held (§1.8, L14 → L9).
/// </summary>
public sealed class CpuMm
{
    /// <summary><c>mmap_lock</c>: read for page collection, migration and userptr pinning; write for munmap.</summary>
    [LockOrder(After = new[] { "SvmRange.Lock", "Vma.FaultLock", "XeDevice.DriverMigrateLock" }, Before = new[] { "Svm.NotifierLock" })]
    public readonly TrackedRwSemaphore MmapLock = new("CpuMm.MmapLock");

    /// <summary>Mapped intervals, start → end (exclusive), non-overlapping.</summary>
    [GuardedBy("MmapLock:read", Write = "MmapLock:write")]
    private readonly SortedDictionary<ulong, ulong> _mapped = new();

    /// <summary>Userptr interval notifiers registered on this mm (<c>mmu_interval_notifier_insert</c>).</summary>
    [GuardedBy("MmapLock:read", Write = "MmapLock:write")]
    private readonly List<UserptrVma> _userptrSubscriptions = new();

    /// <summary>The VM's GPU SVM notifiers are registered (cleared when the VM closes).</summary>
    [GuardedBy("MmapLock:read", Write = "MmapLock:write")]
    internal bool SvmSubscribed = true;

    /// <summary>Registers a userptr's interval notifier.</summary>
    [Requires("MmapLock:write")]
    internal void Subscribe(UserptrVma uvma) => _userptrSubscriptions.Add(uvma);

    /// <summary><c>mmu_interval_notifier_remove</c>: waits for in-flight invalidations (they hold the mmap lock).</summary>
    [Requires("MmapLock:write")]
    internal void Unsubscribe(UserptrVma uvma) => _userptrSubscriptions.Remove(uvma);

    /// <summary>The userptrs whose interval overlaps [start, end).</summary>
    [Requires("MmapLock:read")]
    internal List<UserptrVma> UserptrsIn(ulong start, ulong end) =>
        _userptrSubscriptions.Where(u => u.Start < end && u.End > start).ToList();

    /// <summary>Maps [start, end) (merging with neighbours is not needed: intervals may touch).</summary>
    [Requires("MmapLock:write")]
    internal void Map(ulong start, ulong end)
    {
        Unmap(start, end);
        _mapped[start] = end;
    }

    /// <summary>Unmaps [start, end), splitting intervals that straddle it.</summary>
    [Requires("MmapLock:write")]
    internal void Unmap(ulong start, ulong end)
    {
        foreach (var (s, e) in _mapped.ToArray())
        {
            if (e <= start || s >= end)
            {
                continue;
            }

            _mapped.Remove(s);
            if (s < start)
            {
                _mapped[s] = start;
            }

            if (e > end)
            {
                _mapped[end] = e;
            }
        }
    }

    /// <summary>The mapped interval containing <paramref name="addr"/>, or null.</summary>
    [Requires("MmapLock:read")]
    internal (ulong Start, ulong End)? FindMapping(ulong addr)
    {
        foreach (var (s, e) in _mapped)
        {
            if (s > addr)
            {
                break;
            }

            if (addr < e)
            {
                return (s, e);
            }
        }

        return null;
    }

    /// <summary>True when all of [start, end) is mapped by one interval.</summary>
    [Requires("MmapLock:read")]
    internal bool IsMapped(ulong start, ulong end) =>
        FindMapping(start) is { } m && end <= m.End;
}
