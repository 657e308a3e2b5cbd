using XeLocked.Annotations;

namespace XeLocked.Xe;

/// <summary>Userptr pin / repin (§3.13, P01 D1).</summary>
internal static class Userptr
{
    /// <summary><c>xe_vma_userptr_check_repin</c>: the notifier sequence moved since the pages were pinned.</summary>
    [Requires("uvma.Vm.Lock:write | (uvma.Vm.Lock:read & uvma.FaultLock)")]
    public static bool CheckRepin(UserptrVma uvma) => uvma.PagesSeq != uvma.ReadNotifierSeqOnce();

    /// <summary>
    /// <c>xe_vma_userptr_pin_pages</c>: asserts D1 (W(vm.Lock), or R(vm.Lock) + fault lock), then
    /// collects the pages under the mmap lock and records the sequence they are valid for.
    /// </summary>
    /// <returns>0, or -EFAULT when the CPU range is no longer mapped.</returns>
    [Requires("uvma.Vm.Lock:write | (uvma.Vm.Lock:read & uvma.FaultLock)")]
    public static int PinPages(XeDevice xe, UserptrVma uvma)
    {
        XeAssert.UserptrLockdep(uvma); // xe_vma_userptr_lockdep (D1)
        if (uvma.Vm.IsVmaDestroyed(uvma))
        {
            return 0;
        }

        var seq = uvma.ReadNotifierSeqOnce(); // mmu_interval_read_begin
        using (uvma.Vm.Mm.MmapLock.ReadGuard())
        {
            if (!uvma.Vm.Mm.IsMapped(uvma.Start, uvma.End))
            {
                return -Errno.EFAULT;
            }

            xe.Engines.PinUserptr();
        }

        uvma.PagesSeq = seq;
        uvma.Vm.ClearUserptrInvalidated(uvma);
        xe.Counters.Add(ModelCounter.UserptrRepins);
        xe.Hooks.Fire(HookPoint.UserptrPinned, uvma.Start, uvma.Vm.Asid, vma: uvma);
        return 0;
    }
}
