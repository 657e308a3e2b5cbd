using XeLocked.Annotations;
using XeLocked.Locking;

namespace XeLocked.Xe;

/// <summary>Page collection, bind and unbind of SVM ranges (<c>xe_svm_range_get_pages</c>, <c>xe_vm_range_rebind/unbind</c>).</summary>
internal static class SvmPages
{
    /// <summary>
    /// <c>xe_svm_range_get_pages</c> (D6: asserts the range lock): hmm_range_fault under the mmap
    /// lock with the internal sequence retry, then publish pages and sequence under the notifier lock.
    /// </summary>
    /// <returns>0, or -EFAULT when the CPU range is not (fully) mapped any more.</returns>
    [Requires("range.Lock")]
    public static int GetPages(XeDevice xe, SvmRange range)
    {
        Lockdep.AssertHeld(range.Lock);
        var injected = xe.Hooks.Fire(HookPoint.GetPages, range.Start, range.Vm.Asid, range: range);
        if (injected != 0)
        {
            return injected;
        }

        while (true)
        {
            long seq;
            using (range.Vm.Svm.NotifierLock.ReadGuard())
            {
                seq = range.NotifierSeq; // mmu_interval_read_begin
            }

            using (range.Vm.Mm.MmapLock.ReadGuard())
            {
                if (!range.Vm.Mm.IsMapped(range.Start, range.End))
                {
                    return -Errno.EFAULT;
                }

                xe.Engines.CollectPages(range.Size);
            }

            using (range.Vm.Svm.NotifierLock.ReadGuard())
            {
                if (range.NotifierSeq != seq)
                {
                    continue; // mmu_interval_read_retry: collect again
                }

                if (range.Unmapped)
                {
                    return -Errno.EFAULT; // the CPU unmapped it meanwhile: the GC will remove it
                }

                range.PagesSeq = seq;
                range.HasDmaMapping = true;
                return 0;
            }
        }
    }

    /// <summary>
    /// <c>xe_vm_range_rebind</c> (D5: range lock, vm lock, VM resv). The PT pre-commit checks under the
    /// notifier lock (read) that the pages are still those collected; -EAGAIN otherwise.
    /// </summary>
    [Requires("range.Lock")]
    [Requires("vm.Lock:read")]
    [Requires("vm.Resv.Lock")]
    public static int Rebind(XeDevice xe, Vm vm, SvmRange range, byte tileMask, out DmaFence? fence)
    {
        Lockdep.AssertHeld(range.Lock);
        Lockdep.AssertHeld(vm.Lock);
        Lockdep.AssertHeld(vm.Resv.Lock);
        fence = null;
        using (range.Vm.Svm.NotifierLock.ReadGuard())
        {
            var err = xe.Hooks.Fire(HookPoint.BindPreCommit, range.Start, vm.Asid, range: range);
            if (err != 0)
            {
                return err;
            }

            if (range.PagesSeq != range.NotifierSeq || range.Unmapped || !range.HasDmaMapping)
            {
                return -Errno.EAGAIN;
            }

            range.TilePresent |= tileMask;
            range.TileInvalidated &= (byte)~tileMask;
        }

        fence = xe.Engines.SubmitPtUpdate();
        vm.Resv.AddFence(fence);
        return 0;
    }

    /// <summary><c>xe_vm_range_unbind</c> (D5): zap the range's PTEs on every tile. The GC drops the fence without waiting.</summary>
    [Requires("range.Lock")]
    [Requires("vm.Lock:read")]
    [Requires("vm.Resv.Lock")]
    public static int Unbind(XeDevice xe, Vm vm, SvmRange range, out DmaFence? fence)
    {
        Lockdep.AssertHeld(range.Lock);
        Lockdep.AssertHeld(vm.Lock);
        Lockdep.AssertHeld(vm.Resv.Lock);
        fence = null;
        var err = xe.Hooks.Fire(HookPoint.GcUnbind, range.Start, vm.Asid, range: range);
        if (err != 0)
        {
            return err;
        }

        using (range.Vm.Svm.NotifierLock.ReadGuard())
        {
            range.TilePresent = 0;
            range.TileInvalidated = 0;
        }

        fence = xe.Engines.SubmitPtUpdate();
        vm.Resv.AddFence(fence);
        return 0;
    }
}
