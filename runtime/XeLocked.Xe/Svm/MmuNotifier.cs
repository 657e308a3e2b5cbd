using XeLocked.Annotations;

namespace XeLocked.Xe;

/// <summary>The kind of CPU-side change that invalidates (<c>enum mmu_notifier_event</c>, the ones that matter here).</summary>
public enum MmuEvent
{
    /// <summary>munmap: ranges are unmapped and handed to the garbage collector.</summary>
    Unmap,

    /// <summary>A protection change or other invalidation: PTEs zapped, the next fault re-collects pages.</summary>
    Invalidate,

    /// <summary>Pages migrated (e.g. VRAM evicted to RAM): PTEs zapped, no GC.</summary>
    Migrate,
}

/// <summary>
/// MMU interval-notifier callbacks (§3.6): <c>xe_svm_invalidate</c> for SVM ranges and the userptr
/// invalidation, both under the notifier lock in write mode. They take no <c>Vm.Lock</c>,
/// <c>SvmRange.Lock</c>, <c>Vma.FaultLock</c>, GC lock or range-tree lock (§2.3 rule 1).
/// </summary>
internal static class MmuNotifier
{
    /// <summary>The mm calls the VM's notifiers for [start, end) (with the mmap lock held by the CPU side).</summary>
    [Requires("vm.Mm.MmapLock:write")]
    public static void Invalidate(XeDevice xe, Vm vm, ulong start, ulong end, MmuEvent evt)
    {
        var svm = vm.Mm.SvmSubscribed;
        var userptrs = vm.Mm.UserptrsIn(start, end);
        if (!svm && userptrs.Count == 0)
        {
            return;
        }

        var queueGc = false;
        using (vm.Svm.NotifierLock.WriteGuard())
        {
            xe.Counters.Add(ModelCounter.NotifierInvalidations);
            if (svm)
            {
                queueGc = SvmInvalidate(xe, vm, start, end, evt);
            }

            foreach (var uvma in userptrs)
            {
                UserptrInvalidate(uvma);
            }
        }

        if (queueGc)
        {
            vm.Svm.Gc.Work?.QueueWork(); // queue_work(xe->usm.pf_wq, &gc.work)
        }
    }

    /// <summary><c>xe_svm_invalidate</c>. Returns true when ranges were handed to the GC.</summary>
    [Requires("vm.Svm.NotifierLock:write")]
    private static bool SvmInvalidate(XeDevice xe, Vm vm, ulong start, ulong end, MmuEvent evt)
    {
        var ranges = vm.Svm.RangesInForNotifier(start, end);
        if (ranges.Count == 0)
        {
            return false;
        }

        var closed = vm.IsClosedOnce();
        foreach (var r in ranges)
        {
            BumpSeq(r); // mmu_interval_set_seq
        }

        if (!closed)
        {
            vm.Resv.WaitBookkeep(); // wait, not a lock (§1.12)
            byte tileMask = 0;
            foreach (var r in ranges)
            {
                tileMask |= EventBegin(r);
            }

            if (tileMask != 0)
            {
                var t0 = System.Diagnostics.Stopwatch.GetTimestamp();
                xe.RootGt.Stats.Increment(GtStatId.SvmTlbInvalCount, System.Numerics.BitOperations.PopCount(tileMask));
                xe.Engines.TlbInvalidate();
                xe.RootGt.Stats.Increment(GtStatId.SvmTlbInvalUs, (long)System.Diagnostics.Stopwatch.GetElapsedTime(t0).TotalMicroseconds);
            }
        }

        var queueGc = false;
        foreach (var r in ranges)
        {
            if (EventEnd(r, evt, closed))
            {
                using (vm.Svm.Gc.ListLock.Guard()) // xe_svm_garbage_collector_add_range
                {
                    vm.Svm.Gc.AddLocked(r);
                }

                queueGc = true;
            }
        }

        return queueGc;
    }

    // The per-range steps run under the notifier lock the caller took as vm.Svm.NotifierLock; each
    // re-asserts it under the range's own access path (range.Vm.Svm.NotifierLock), which lockdep checks.

    private static void BumpSeq(SvmRange r)
    {
        XeAssert.RangeNotifierHeldWrite(r);
        r.NotifierSeq++;
    }

    /// <summary>event_begin: zap the PTEs of a bound range; returns the tiles to invalidate.</summary>
    private static byte EventBegin(SvmRange r)
    {
        XeAssert.RangeNotifierHeldWrite(r);
        if (r.Unmapped || r.TilePresent == 0)
        {
            return 0; // skipped
        }

        r.TileInvalidated |= r.TilePresent; // xe_pt_zap_ptes_range, WRITE_ONCE
        return r.TilePresent;
    }

    /// <summary>event_end: unmap the DMA pages (D3); on UNMAP mark the range unmapped. True when it goes to the GC.</summary>
    private static bool EventEnd(SvmRange r, MmuEvent evt, bool closed)
    {
        XeAssert.RangeNotifierHeldWrite(r);
        r.HasDmaMapping = false; // drm_gpusvm_range_unmap_pages(ctx.in_notifier)
        if (evt == MmuEvent.Migrate)
        {
            r.InVram = false;
        }

        if (evt == MmuEvent.Unmap && !closed && !r.Unmapped)
        {
            r.Unmapped = true; // drm_gpusvm_range_set_unmapped
            return true;
        }

        return false;
    }

    /// <summary>Userptr invalidation: bump the sequence, zap the PTEs (fault mode), note it invalidated.</summary>
    private static void UserptrInvalidate(UserptrVma uvma)
    {
        XeAssert.UserptrNotifierHeldWrite(uvma);
        uvma.NotifierSeq++;
        uvma.TileInvalidated |= uvma.TilePresent; // xe_vm_invalidate_vma (D10)
        uvma.Vm.MarkUserptrInvalidated(uvma);
    }
}
