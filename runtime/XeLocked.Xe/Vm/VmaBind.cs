using XeLocked.Annotations;
using XeLocked.Locking;

namespace XeLocked.Xe;

/// <summary><c>xe_vma_rebind</c> / unbind of a BO or userptr VMA: page-table jobs with the pre-commit checks.</summary>
internal static class VmaBind
{
    /// <summary>
    /// <c>xe_vma_rebind(vm, vma, BIT(tile))</c>: for a userptr, the pre-commit re-checks the pinned
    /// sequence under the notifier lock (read) and fails with -EAGAIN if an invalidation came in.
    /// Sets <c>tile_present</c>, clears <c>tile_invalidated</c>, and adds the job's fence to the resv.
    /// </summary>
    [Requires("vm.Lock:read")]
    [Requires("vma.Vm.Resv.Lock")]
    public static int Rebind(XeDevice xe, Vm vm, Vma vma, byte tileMask, out DmaFence? fence)
    {
        XeAssert.VmaVmLockHeld(vm, vma);
        XeAssert.VmaResvHeld(vma);
        fence = null;
        var err = vma is UserptrVma uvma
            ? UserptrPreCommit(xe, vm, uvma, tileMask)
            : xe.Hooks.Fire(HookPoint.BindPreCommit, vma.Start, vm.Asid, vma: vma);
        if (err != 0)
        {
            return err;
        }

        if (vma is not UserptrVma)
        {
            vma.TilePresent |= tileMask;
            vma.TileInvalidated &= (byte)~tileMask;
        }

        fence = xe.Engines.SubmitPtUpdate();
        vma.Vm.Resv.AddFence(fence);
        return 0;
    }

    /// <summary>
    /// The userptr pre-commit (<c>xe_pt_userptr_pre_commit</c>): under the notifier lock (read), fail
    /// with -EAGAIN if an invalidation came in since the pin; else commit the binding state.
    /// </summary>
    private static int UserptrPreCommit(XeDevice xe, Vm vm, UserptrVma uvma, byte tileMask)
    {
        // The fault path holds R(vm.Lock) + fault_lock (D1's second alternative) and the VM resv;
        // asserted under uvma's access path in this helper (see VmaFaultHandler.RepinIfInvalidated).
        XeAssert.UserptrFaultLocked(uvma);
        XeAssert.VmaResvHeld(uvma);
        using (uvma.Vm.Svm.NotifierLock.ReadGuard())
        {
            var err = xe.Hooks.Fire(HookPoint.BindPreCommit, uvma.Start, vm.Asid, vma: uvma);
            if (err != 0)
            {
                return err;
            }

            if (uvma.PagesSeq != uvma.NotifierSeq)
            {
                return -Errno.EAGAIN; // invalidated between pin and commit
            }

            uvma.TilePresent |= tileMask;
            uvma.TileInvalidated &= (byte)~tileMask;
            return 0;
        }
    }

    /// <summary>Unbinds the VMA from every tile (bind IOCTL unmap, VM close). Waits for the job.</summary>
    [Requires("vma.Vm.Lock:write")]
    public static void UnbindAndWait(XeDevice xe, Vma vma)
    {
        DmaFence fence;
        using (vma.Vm.Resv.Lock.Guard())
        {
            vma.TilePresent = 0;
            vma.TileInvalidated = 0;
            fence = xe.Engines.SubmitPtUpdate();
            vma.Vm.Resv.AddFence(fence);
        }

        fence.Wait();
    }
}
