using System.Diagnostics;
using XeLocked.Annotations;
using XeLocked.Locking;

namespace XeLocked.Xe;

/// <summary>
/// <c>xe_svm_handle_pagefault</c> → <c>__xe_svm_handle_pagefault</c> (§3.3.2, P01): GC first, find or
/// insert the range (reference taken under the range-tree lock), lock the range, check
/// <c>removed</c>, migrate, collect pages, bind. The seed's <c>goto retry</c> is the loop in
/// <see cref="HandleInner"/>; each attempt (<see cref="Attempt"/>) locks one range and always
/// unlocks and puts it before the next, as P01's "Release old range" does.
/// </summary>
internal static class SvmFaultHandler
{
    /// <summary>Outer wrapper: on -EAGAIN (the GC re-split VMAs) re-look-up the VMA and rerun (R7).</summary>
    [Requires("vm.Lock:read")]
    public static int Handle(XeDevice xe, Vm vm, Vma vma, PageFault pf, bool atomic)
    {
        var needVram = atomic && xe.Options.DevmemPossible;
        var rounds = 0;
        while (true)
        {
            var err = HandleInner(xe, vm, vma, pf, needVram);
            if (err != -Errno.EAGAIN)
            {
                return err;
            }

            if (xe.Options.MaxFaultRetries > 0 && ++rounds >= xe.Options.MaxFaultRetries)
            {
                xe.Counters.Add(ModelCounter.RetryLimitHit);
                return -Errno.ETIMEDOUT;
            }

            var again = vm.FindVma(pf.PageAddr);
            if (again == null || again.Kind != VmaKind.CpuAddrMirror)
            {
                return -Errno.EINVAL;
            }

            vma = again;
        }
    }

    [Requires("vm.Lock:read")]
    private static int HandleInner(XeDevice xe, Vm vm, Vma vma, PageFault pf, bool needVram)
    {
        Lockdep.AssertHeld(vm.Lock); // D4
        var gt = pf.Gt!;
        var start = Stopwatch.GetTimestamp();
        gt.Stats.Increment(GtStatId.SvmPagefaultCount);
        var devmemOnly = needVram && xe.Options.DevmemPossible;
        var ctx = new SvmFaultContext
        {
            DevmemOnly = devmemOnly,
            MigrateTryCount = devmemOnly ? 3 : 1,
            TimesliceMs = devmemOnly ? xe.Options.AtomicSvmTimesliceMs : 0,
        };

        try
        {
            while (true)
            {
                if (xe.Options.MaxFaultRetries > 0 && ctx.Attempts >= xe.Options.MaxFaultRetries)
                {
                    xe.Counters.Add(ModelCounter.RetryLimitHit);
                    return -Errno.ETIMEDOUT; // H17 fix: bounded retries
                }

                ctx.Attempts++;
                var err = Attempt(xe, vm, vma, pf, ref ctx, out var retry);
                if (!retry)
                {
                    return err;
                }
            }
        }
        finally
        {
            gt.Stats.Increment(GtStatId.SvmPagefaultUs, (long)Stopwatch.GetElapsedTime(start).TotalMicroseconds);
        }
    }

    /// <summary>One pass from <c>retry:</c>: GC, lookup, lock, service; the range is unlocked and put on return.</summary>
    [Requires("vm.Lock:read")]
    private static int Attempt(XeDevice xe, Vm vm, Vma vma, PageFault pf, ref SvmFaultContext ctx, out bool retry)
    {
        retry = false;

        // "Always process UNMAPs first so view SVM ranges is current"
        var err = SvmGarbageCollection.Run(xe, vm);
        if (err != 0)
        {
            return err;
        }

        SvmRange? range;
        using (vm.Svm.RangeLock.Guard())
        {
            xe.Time.Spin(xe.Options.RangeLookupLatency); // the interval-tree walks, under the range-tree mutex
            err = vm.Svm.FindOrInsert(pf.PageAddr, vma, out range); // takes a reference (P01)
        }

        if (err != 0)
        {
            return err;
        }

        var gt = pf.Gt!;
        gt.Stats.Increment(range!.ChunkStats().Fault);
        xe.Hooks.Fire(HookPoint.AfterRangeLookup, pf.PageAddr, pf.Asid, pf.FaultId, range, vma, ctx.Attempts);

        range.Lock.Lock();
        try
        {
            Lockdep.Assert(range.RefCount > 0, $"{range}: locked with refcount 0 (use after free)");
            xe.Hooks.Fire(HookPoint.AfterRangeLock, pf.PageAddr, pf.Asid, pf.FaultId, range, vma, ctx.Attempts);
            return ServiceRange(xe, vm, vma, range, pf, ref ctx, out retry);
        }
        finally
        {
            range.Lock.Unlock();
            range.Put();
        }
    }

    [Requires("vm.Lock:read")]
    [Requires("range.Lock")]
    private static int ServiceRange(XeDevice xe, Vm vm, Vma vma, SvmRange range, PageFault pf, ref SvmFaultContext ctx, out bool retry)
    {
        retry = false;
        var gt = pf.Gt!;

        if (range.IsRemoved())
        {
            xe.Counters.Add(ModelCounter.RemovedRangeRetries); // R1
            retry = true;
            return 0;
        }

        if (ctx.DevmemOnly && !range.MigrateDevmem)
        {
            return Out(xe, -Errno.EACCES); // H11: "goto out" returns 0
        }

        xe.Time.Spin(xe.Options.ValidCheckLatency); // xe_svm_range_is_valid, under range->lock
        if (range.IsValidOnce(gt.TileMask, ctx.DevmemOnly))
        {
            gt.Stats.Increment(range.ChunkStats().Valid);
            SetHint(pf, range);
            return 0;
        }

        int err;
        if (--ctx.MigrateTryCount >= 0 && SvmMigration.NeedsMigrateToVram(xe, range, vma, ctx.DevmemOnly))
        {
            gt.Stats.Increment(range.ChunkStats().Migrate);
            var m0 = Stopwatch.GetTimestamp();
            err = SvmMigration.AllocVram(xe, range, ctx.MigrationAttempts++, ctx.TimesliceMs);
            gt.Stats.Increment(GtStatId.SvmMigrateUs, (long)Stopwatch.GetElapsedTime(m0).TotalMicroseconds);
            ctx.TimesliceMs <<= 1;
            if (err != 0)
            {
                if (ctx.MigrateTryCount > 0 || !ctx.DevmemOnly)
                {
                    retry = true; // "VRAM allocation failed, falling back to retrying fault" (R2)
                    return 0;
                }

                xe.Counters.Add(ModelCounter.Warnings); // "VRAM allocation failed, retry count exceeded"
                return err; // P01: goto err_out
            }
        }

        var g0 = Stopwatch.GetTimestamp();
        err = SvmPages.GetPages(xe, range);
        gt.Stats.Increment(GtStatId.SvmGetPagesUs, (long)Stopwatch.GetElapsedTime(g0).TotalMicroseconds);
        if (err is -Errno.EOPNOTSUPP or -Errno.EFAULT or -Errno.EPERM)
        {
            ctx.TimesliceMs <<= 1;
            if (ctx.MigrateTryCount > 0 || !ctx.DevmemOnly)
            {
                retry = true; // R3: CPU mappings changed
                return 0;
            }
        }

        if (err != 0)
        {
            return Out(xe, err); // H11: "goto out" returns 0
        }

        xe.Hooks.Fire(HookPoint.AfterGetPages, pf.PageAddr, pf.Asid, pf.FaultId, range, vma, ctx.Attempts);

        var b0 = Stopwatch.GetTimestamp();
        err = BindRange(xe, vm, range, gt.TileMask, out var fence);
        gt.Stats.Increment(GtStatId.SvmBindUs, (long)Stopwatch.GetElapsedTime(b0).TotalMicroseconds);
        if (err != 0)
        {
            if (err == -Errno.EAGAIN)
            {
                xe.Counters.Add(ModelCounter.BindRetries); // R4: invalidated before the PT commit
                ctx.TimesliceMs <<= 1;
                retry = true;
                return 0;
            }

            return err; // err_out
        }

        xe.Hooks.Fire(HookPoint.BeforeFenceWait, pf.PageAddr, pf.Asid, pf.FaultId, range, vma, ctx.Attempts);
        fence!.Wait(); // with range->lock held, resv dropped (H16)
        SetHint(pf, range);
        return 0;
    }

    /// <summary>The validation guard around the range rebind: VM resv with contention back-off, one OOM retry.</summary>
    [Requires("vm.Lock:read")]
    [Requires("range.Lock")]
    private static int BindRange(XeDevice xe, Vm vm, SvmRange range, byte tileMask, out DmaFence? fence)
    {
        var err = BindRangeOnce(xe, vm, range, tileMask, exhaustive: false, out fence);
        if (err == -Errno.ENOMEM)
        {
            xe.Counters.Add(ModelCounter.OomRetries);
            err = BindRangeOnce(xe, vm, range, tileMask, exhaustive: true, out fence);
        }

        return err;
    }

    [Requires("vm.Lock:read")]
    [Requires("range.Lock")]
    private static int BindRangeOnce(XeDevice xe, Vm vm, SvmRange range, byte tileMask, bool exhaustive, out DmaFence? fence)
    {
        if (exhaustive)
        {
            using (xe.Validation.Lock.WriteGuard())
            {
                return LockedRebind(xe, vm, range, tileMask, out fence);
            }
        }

        using (xe.Validation.Lock.ReadGuard())
        {
            return LockedRebind(xe, vm, range, tileMask, out fence);
        }
    }

    [Requires("vm.Lock:read")]
    [Requires("range.Lock")]
    private static int LockedRebind(XeDevice xe, Vm vm, SvmRange range, byte tileMask, out DmaFence? fence)
    {
        vm.Resv.ExecLock(xe.Counters); // xe_vm_drm_exec_lock + retry_on_contention
        try
        {
            return SvmPages.Rebind(xe, vm, range, tileMask, out fence);
        }
        finally
        {
            vm.Resv.Lock.Unlock();
        }
    }

    /// <summary>The seed's <c>out:</c> label returns 0 whatever <c>err</c> holds (H11) unless the fix is on.</summary>
    private static int Out(XeDevice xe, int err) => xe.Options.FixH11ErrorAck ? err : 0;

    private static void SetHint(PageFault pf, SvmRange range)
    {
        pf.HintStart = range.Start; // a model choice (the sources are silent): the SVM range is the proven window
        pf.HintEnd = range.End;
    }
}

/// <summary>The per-fault context of the SVM path (<c>struct drm_gpusvm_ctx</c> + the retry counters).</summary>
internal struct SvmFaultContext
{
    public bool DevmemOnly;
    public int MigrateTryCount;
    public int TimesliceMs;
    public int Attempts;
    public int MigrationAttempts;
}
