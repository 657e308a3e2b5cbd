using XeLocked.Annotations;
using XeLocked.Locking;

namespace XeLocked.Xe;

/// <summary>
/// Migration of SVM ranges between system memory and VRAM: <c>xe_svm_alloc_vram</c> with the
/// <c>driver_migrate_lock</c> upgrade on -EBUSY (§3.3.3), and eviction back to RAM.
/// </summary>
internal static class SvmMigration
{
    /// <summary>
    /// <c>xe_svm_alloc_vram</c> (P01: asserts the range lock). Read side of
    /// <c>XeDevice.DriverMigrateLock</c> for a normal migration, so migrations of different ranges
    /// run in parallel; on -EBUSY, drop it, take the write side (serializing every migration), evict
    /// the range and retry once.
    /// </summary>
    [Requires("range.Lock")]
    public static int AllocVram(XeDevice xe, SvmRange range, int attempt, int timesliceMs = 0)
    {
        Lockdep.AssertHeld(range.Lock);
        if (range.InVramOnce())
        {
            return 0; // drm_gpusvm_scan_mm == EQUAL
        }

        int err;
        xe.DriverMigrateLock.LockRead();
        try
        {
            err = Populate(xe, range, attempt, timesliceMs);
        }
        finally
        {
            xe.DriverMigrateLock.UnlockRead();
        }

        if (err != -Errno.EBUSY)
        {
            return err;
        }

        // Collision: upgrade (drop read, take write) and evict the contended range.
        using (xe.DriverMigrateLock.WriteGuard())
        {
            Evict(xe, range);
            return Populate(xe, range, attempt, timesliceMs);
        }
    }

    /// <summary><c>drm_pagemap_populate_mm</c>: the migrate_vma_* work and the copy job.</summary>
    [Requires("range.Lock")]
    private static int Populate(XeDevice xe, SvmRange range, int attempt, int timesliceMs)
    {
        using (range.Vm.Mm.MmapLock.ReadGuard())
        {
            if (!range.Vm.Mm.IsMapped(range.Start, range.End))
            {
                return -Errno.EFAULT;
            }

            var err = xe.Engines.Migrate(range.Size, toVram: true, () =>
                xe.Hooks.Fire(HookPoint.AllocVram, range.Start, range.Vm.Asid, range: range, attempt: attempt, timesliceMs: timesliceMs));
            if (err != 0)
            {
                return err;
            }
        }

        // Device-private pages now back the range; the old DMA mapping is stale until get_pages.
        using (range.Vm.Svm.NotifierLock.ReadGuard())
        {
            range.InVram = true;
            range.HasDmaMapping = false;
        }

        return 0;
    }

    /// <summary>
    /// <c>drm_gpusvm_range_evict</c> / <c>xe_svm_range_migrate_to_smem</c>: migrate the pages back to
    /// RAM. The migration fires the MMU notifier (event MIGRATE): PTEs zapped, no GC.
    /// </summary>
    [Requires("range.Lock")]
    public static void Evict(XeDevice xe, SvmRange range)
    {
        if (!range.InVramOnce())
        {
            return;
        }

        using (range.Vm.Mm.MmapLock.ReadGuard())
        {
            _ = xe.Engines.Migrate(range.Size, toVram: false);
            using (range.Vm.Svm.NotifierLock.WriteGuard())
            {
                range.InVram = false;
                range.HasDmaMapping = false;
                range.NotifierSeq++;
                range.TileInvalidated |= range.TilePresent;
            }
        }
    }

    /// <summary><c>xe_svm_range_needs_migrate_to_vram</c>.</summary>
    public static bool NeedsMigrateToVram(XeDevice xe, SvmRange range, Vma vma, bool devmemOnly) =>
        xe.Options.DevmemPossible && range.MigrateDevmem && !range.InVramOnce() && (devmemOnly || vma.PreferVram);
}
