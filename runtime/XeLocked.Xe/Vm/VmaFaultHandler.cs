using XeLocked.Annotations;
using XeLocked.Locking;

namespace XeLocked.Xe;

/// <summary><c>xe_pagefault_handle_vma</c>: the BO / userptr fault path (§3.3.1, P01).</summary>
internal static class VmaFaultHandler
{
    [Requires("vm.Lock:read")]
    public static int Handle(XeDevice xe, Vm vm, Vma vma, PageFault pf, bool atomic)
    {
        Lockdep.AssertHeld(vm.Lock); // D4: was lockdep_assert_held_write before P01
        XeAssert.VmaVmLockHeld(vm, vma);
        var gt = pf.Gt!;

        var needsVram = atomic && xe.Options.DevmemPossible;
        if (needsVram && vma.Kind == VmaKind.Userptr)
        {
            return -Errno.EACCES;
        }

        gt.Stats.Increment(GtStatId.VmaPagefaultCount);
        gt.Stats.Increment(GtStatId.VmaPagefaultKb, (long)(vma.Size / 1024));

        using var faultGuard = vma.FaultLock.Guard(); // P01: guard(mutex)(&vma->fault_lock)
        xe.Hooks.Fire(HookPoint.AfterVmaFaultLock, pf.PageAddr, pf.Asid, pf.FaultId, vma: vma);

        // Opportunistic validity check (H15).
        xe.Time.Spin(xe.Options.ValidCheckLatency);
        if (vma.HasValidGpuMappingOnce(gt.TileMask) && !atomic)
        {
            pf.HintStart = vma.Start;
            pf.HintEnd = vma.End;
            return 0;
        }

        DmaFence? fence;
        int err;
        var attempts = 0;
        do
        {
            if (++attempts > 1)
            {
                xe.Counters.Add(ModelCounter.BindRetries);
                if (xe.Options.MaxFaultRetries > 0 && attempts > xe.Options.MaxFaultRetries)
                {
                    xe.Counters.Add(ModelCounter.RetryLimitHit);
                    return -Errno.ETIMEDOUT; // H17 fix: give up; the GPU refaults later
                }
            }

            if (vma is UserptrVma uvma)
            {
                err = RepinIfInvalidated(xe, uvma);
                if (err != 0)
                {
                    return err;
                }
            }

            err = ValidateAndRebind(xe, vm, vma, gt, needsVram, out fence);
        }
        while (err == -Errno.EAGAIN);

        if (err == 0)
        {
            pf.HintStart = vma.Start; // P08 hint: the whole VMA is proven
            pf.HintEnd = vma.End;
            xe.Hooks.Fire(HookPoint.BeforeFenceWait, pf.PageAddr, pf.Asid, pf.FaultId, vma: vma);
            fence!.Wait(); // dma_fence_wait with fault_lock held, resv dropped (H16)
        }

        return err;
    }

    /// <summary>The userptr step of the fault loop: repin when the notifier sequence moved.</summary>
    private static int RepinIfInvalidated(XeDevice xe, UserptrVma uvma)
    {
        // The caller holds vm.Lock (read) and vma.FaultLock, where vma is uvma: D1's second alternative.
        // Asserted here, in a helper, because the analyzer joins an asserted lock like an acquired one
        // (an [AssertsHeld] inside one branch is reported as XL0008 at the join).
        XeAssert.UserptrFaultLocked(uvma);
        return Userptr.CheckRepin(uvma) ? Userptr.PinPages(xe, uvma) : 0;
    }

    /// <summary>
    /// The validation context + drm_exec block: lock the VM resv (contention back-off), validate or
    /// migrate the BO, rebind; on -ENOMEM retry once in exhaustive mode (validation lock exclusive).
    /// </summary>
    [Requires("vm.Lock:read")]
    [Requires("vma.FaultLock")]
    private static int ValidateAndRebind(XeDevice xe, Vm vm, Vma vma, Gt gt, bool needsVram, out DmaFence? fence)
    {
        var err = ValidateAndRebindOnce(xe, vm, vma, gt, needsVram, exhaustive: false, out fence);
        if (err == -Errno.ENOMEM)
        {
            xe.Counters.Add(ModelCounter.OomRetries); // xe_validation_retry_on_oom
            err = ValidateAndRebindOnce(xe, vm, vma, gt, needsVram, exhaustive: true, out fence);
        }

        return err;
    }

    [Requires("vm.Lock:read")]
    [Requires("vma.FaultLock")]
    private static int ValidateAndRebindOnce(XeDevice xe, Vm vm, Vma vma, Gt gt, bool needsVram, bool exhaustive, out DmaFence? fence)
    {
        fence = null;
        if (exhaustive)
        {
            using (xe.Validation.Lock.WriteGuard())
            {
                return ExecBlock(xe, vm, vma, gt, needsVram, out fence);
            }
        }

        using (xe.Validation.Lock.ReadGuard())
        {
            return ExecBlock(xe, vm, vma, gt, needsVram, out fence);
        }
    }

    [Requires("vm.Lock:read")]
    [Requires("vma.FaultLock")]
    private static int ExecBlock(XeDevice xe, Vm vm, Vma vma, Gt gt, bool needsVram, out DmaFence? fence)
    {
        fence = null;
        vma.Vm.Resv.ExecLock(xe.Counters); // drm_exec_until_all_locked + retry_on_contention
        try
        {
            var err = xe.Hooks.Fire(HookPoint.BeforeVmaRebind, vma.Start, vm.Asid, vma: vma);
            if (err != 0)
            {
                return err;
            }

            if (vma.Kind == VmaKind.Bo)
            {
                // xe_pagefault_begin: validate the BO, migrating it to VRAM for atomics.
                if (!vma.BoResident || (needsVram && !vma.BoInVram))
                {
                    if (needsVram && !vma.BoInVram)
                    {
                        _ = xe.Engines.Migrate(vma.Size, toVram: true);
                        vma.BoInVram = true;
                    }
                    else
                    {
                        xe.Engines.ValidateBo();
                    }

                    vma.BoResident = true;
                }
            }

            return VmaBind.Rebind(xe, vm, vma, gt.TileMask, out fence);
        }
        finally
        {
            vma.Vm.Resv.Lock.Unlock(); // xe_validation_ctx_fini drops the dma-resv
        }
    }
}
