using XeLocked.Annotations;
using XeLocked.Locking;

namespace XeLocked.Xe;

/// <summary>
/// The prefetch-only VM bind IOCTL (§3.9): <c>Vm.Lock</c> in read mode (P02; coarse: write), ranges
/// looked up with references, per-range migration threaded on a workqueue (P03), then bind and put.
/// </summary>
internal static class VmPrefetch
{
    public static int Prefetch(XeDevice xe, Vm vm, ulong start, ulong end, PrefetchTarget target, bool threaded = true)
    {
        if (end <= start)
        {
            return -Errno.EINVAL;
        }

        using (xe.Policy.LockVmShared(vm)) // P02: prefetch-only binds use the read lock
        {
            return PrefetchLocked(xe, vm, start, end, target, threaded);
        }
    }

    [Requires("vm.Lock:read")]
    private static int PrefetchLocked(XeDevice xe, Vm vm, ulong start, ulong end, PrefetchTarget target, bool threaded)
    {
        if (vm.Closed)
        {
            return -Errno.ENOENT;
        }

        var vmas = vm.VmasIn(start, end);
        if (vmas.Count == 0)
        {
            return -Errno.EINVAL;
        }

        foreach (var vma in vmas)
        {
            var s = Math.Max(start, vma.Start);
            var e = Math.Min(end, vma.End);
            var err = vma.Kind == VmaKind.CpuAddrMirror
                ? PrefetchSvm(xe, vm, vma, s, e, target, threaded)
                : PrefetchVma(xe, vm, vma, target);
            if (err != 0)
            {
                return err;
            }
        }

        return 0;
    }

    /// <summary>Parse (find or insert ranges, with references), prefetch_ranges, execute (bind), fini (put).</summary>
    [Requires("vm.Lock:read")]
    private static int PrefetchSvm(XeDevice xe, Vm vm, Vma vma, ulong start, ulong end, PrefetchTarget target, bool threaded)
    {
        var ranges = new List<SvmRange>();
        try
        {
            for (var addr = start; addr < end;)
            {
                int err;
                SvmRange? r;
                using (vm.Svm.RangeLock.Guard())
                {
                    err = vm.Svm.FindOrInsert(addr, vma, out r);
                }

                if (err != 0)
                {
                    return err;
                }

                ranges.Add(r!);
                addr = r!.End;
            }

            var perr = PrefetchRanges(xe, vm, vma, ranges, target, threaded);
            if (perr != 0)
            {
                return perr;
            }

            foreach (var r in ranges)
            {
                var berr = BindPrefetched(xe, vm, r);
                if (berr != 0)
                {
                    return berr;
                }
            }

            return 0;
        }
        finally
        {
            foreach (var r in ranges)
            {
                r.Put(); // xe_vma_svm_prefetch_ranges_fini (P01)
            }
        }
    }

    /// <summary>
    /// <c>prefetch_ranges</c>: inline for one range or SRAM; otherwise one work item per range on the
    /// prefetch queue (or, v4, the fault queue) and a flush guarded by a watchdog (H13). With
    /// <paramref name="threaded"/> false, every range inline in order: the pre-P03 loop.
    /// </summary>
    [Requires("vm.Lock:read")]
    private static int PrefetchRanges(XeDevice xe, Vm vm, Vma vma, List<SvmRange> ranges, PrefetchTarget target, bool threaded)
    {
        if (!threaded || ranges.Count == 1 || target == PrefetchTarget.Sram)
        {
            foreach (var r in ranges)
            {
                var err = PrefetchOne(xe, vma, r, target);
                if (err != 0)
                {
                    return err;
                }
            }

            return 0;
        }

        var wq = xe.Options.PrefetchQueue == PrefetchQueueKind.Dedicated ? xe.PrefetchWq : xe.FaultWq;
        var errors = new int[ranges.Count];
        var items = new WorkItem[ranges.Count];
        xe.Hooks.Fire(HookPoint.PrefetchBeforeFlush, ranges[0].Start, vm.Asid);
        for (var i = 0; i < ranges.Count; i++)
        {
            var idx = i;
            var r = ranges[i];
            items[i] = new WorkItem($"prefetch/{r.Start:x}", () => errors[idx] = PrefetchOne(xe, vma, r, target), wq);
            items[i].QueueWork();
        }

        // flush_work on each, bounded by the watchdog: a deadlock (H13) is reported, not entered.
        var deadline = DateTime.UtcNow + xe.Options.PrefetchWatchdog;
        var timedOut = false;
        foreach (var w in items)
        {
            var left = deadline - DateTime.UtcNow;
            if (!w.Flush(left > TimeSpan.Zero ? left : TimeSpan.Zero))
            {
                timedOut = true;
                break;
            }
        }

        if (timedOut)
        {
            xe.Counters.Add(ModelCounter.PrefetchDeadlocks);
            xe.Counters.Add(ModelCounter.Warnings);
            foreach (var w in items)
            {
                w.Cancel(); // items that never started
            }

            foreach (var w in items)
            {
                w.Flush(Timeout.InfiniteTimeSpan); // items already running finish (they take no vm->lock)
            }

            return -Errno.EDEADLK;
        }

        return errors.FirstOrDefault(e => e != 0);
    }

    /// <summary>
    /// One range's prefetch (inline or in a work item, which holds no <c>Vm.Lock</c>): under the range
    /// lock, -ENODATA if the GC removed it; migrate to the target; collect pages.
    /// </summary>
    private static int PrefetchOne(XeDevice xe, Vma vma, SvmRange range, PrefetchTarget target)
    {
        xe.Hooks.Fire(HookPoint.PrefetchRange, range.Start, range.Vm.Asid, range: range);
        using var g = range.Lock.Guard(); // P01: guard(mutex)(&svm_range->lock)
        if (range.IsRemoved())
        {
            return -Errno.ENODATA;
        }

        if (target == PrefetchTarget.Sram)
        {
            SvmMigration.Evict(xe, range);
        }
        else if (SvmMigration.NeedsMigrateToVram(xe, range, vma, devmemOnly: true))
        {
            xe.RootGt.Stats.Increment(range.ChunkStats().Migrate);
            if (SvmMigration.AllocVram(xe, range, 0) != 0)
            {
                return -Errno.ENODATA;
            }
        }

        var err = SvmPages.GetPages(xe, range);
        return err is -Errno.EOPNOTSUPP or -Errno.EFAULT or -Errno.EPERM ? -Errno.ENODATA : err;
    }

    /// <summary>The execute phase for one range (MAP_RANGE): bind under the range lock and the VM resv.</summary>
    [Requires("vm.Lock:read")]
    private static int BindPrefetched(XeDevice xe, Vm vm, SvmRange range)
    {
        DmaFence? fence;
        using (range.Lock.Guard())
        {
            if (range.IsRemoved())
            {
                return -Errno.ENODATA;
            }

            if (range.IsValidOnce(xe.RootGt.TileMask, devmemOnly: false))
            {
                return 0;
            }

            int err;
            using (xe.Validation.Lock.ReadGuard())
            {
                vm.Resv.ExecLock(xe.Counters);
                try
                {
                    err = SvmPages.Rebind(xe, vm, range, xe.RootGt.TileMask, out fence);
                }
                finally
                {
                    vm.Resv.Lock.Unlock();
                }
            }

            if (err != 0)
            {
                return err == -Errno.EAGAIN ? -Errno.ENODATA : err;
            }

            fence!.Wait();
        }

        return 0;
    }

    /// <summary>Prefetch of a BO VMA: validate (migrate to VRAM) and bind under the fault lock (a model choice: the sources are silent).</summary>
    [Requires("vm.Lock:read")]
    private static int PrefetchVma(XeDevice xe, Vm vm, Vma vma, PrefetchTarget target)
    {
        if (vma.Kind != VmaKind.Bo)
        {
            return 0; // userptr: nothing to migrate
        }

        XeAssert.VmaVmLockHeld(vm, vma);
        DmaFence? fence;
        using (vma.FaultLock.Guard())
        {
            using (xe.Validation.Lock.ReadGuard())
            {
                vma.Vm.Resv.ExecLock(xe.Counters);
                try
                {
                    if (target == PrefetchTarget.Vram && !vma.BoInVram)
                    {
                        _ = xe.Engines.Migrate(vma.Size, toVram: true);
                        vma.BoInVram = true;
                    }

                    vma.BoResident = true;
                    var err = VmaBind.Rebind(xe, vm, vma, xe.RootGt.TileMask, out fence);
                    if (err != 0)
                    {
                        return err;
                    }
                }
                finally
                {
                    vma.Vm.Resv.Lock.Unlock();
                }
            }

            fence!.Wait();
        }

        return 0;
    }
}
