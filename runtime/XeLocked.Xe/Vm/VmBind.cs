using XeLocked.Annotations;

namespace XeLocked.Xe;

/// <summary>
/// The VM bind IOCTL's map and unmap (§3.8): <c>Vm.Lock</c> in write mode, which excludes every fault
/// worker, the GC worker and every prefetch of the VM for the duration.
/// </summary>
internal static class VmBind
{
    /// <summary>Maps a new VMA over [start, end). Overlapping an existing VMA is -EINVAL (the model does not split).</summary>
    public static int Map(XeDevice xe, Vm vm, ulong start, ulong end, VmaKind kind, bool readOnly, bool preferVram, bool cpuMap)
    {
        if (end <= start || (start & (Svm.Chunk4K - 1)) != 0 || (end & (Svm.Chunk4K - 1)) != 0)
        {
            return -Errno.EINVAL;
        }

        using (vm.Lock.WriteGuard())
        {
            xe.Hooks.Fire(HookPoint.BindUnderWriteLock, start, vm.Asid);
            if (vm.Closed)
            {
                return -Errno.ENOENT;
            }

            if (vm.VmasIn(start, end).Count != 0)
            {
                return -Errno.EINVAL;
            }

            Vma vma = kind == VmaKind.Userptr
                ? new UserptrVma(vm, start, end, readOnly)
                : new Vma(vm, start, end, kind, readOnly, preferVram);

            if (cpuMap || vma is UserptrVma)
            {
                using (vm.Mm.MmapLock.WriteGuard())
                {
                    if (cpuMap && !vm.Mm.IsMapped(start, end))
                    {
                        vm.Mm.Map(start, end);
                    }

                    if (vma is UserptrVma uvma)
                    {
                        vm.Mm.Subscribe(uvma);
                    }
                }
            }

            vm.InsertVma(vma); // new_vma + xe_vma_op_commit (D2)
            return 0;
        }
    }

    /// <summary>
    /// Unmaps the VMAs inside [start, end) (each must lie fully inside). A CPU-address-mirror VMA with
    /// live GPU mappings is -EBUSY unless <paramref name="allowSvmUnmap"/>; its ranges go through
    /// <c>xe_svm_unmap_address_range</c>.
    /// </summary>
    public static int Unmap(XeDevice xe, Vm vm, ulong start, ulong end, bool allowSvmUnmap)
    {
        using (vm.Lock.WriteGuard())
        {
            xe.Hooks.Fire(HookPoint.BindUnderWriteLock, start, vm.Asid);
            if (vm.Closed)
            {
                return -Errno.ENOENT;
            }

            var vmas = vm.VmasIn(start, end);
            if (vmas.Count == 0 || vmas.Any(v => v.Start < start || v.End > end))
            {
                return -Errno.EINVAL;
            }

            if (!allowSvmUnmap)
            {
                foreach (var v in vmas)
                {
                    if (v.Kind == VmaKind.CpuAddrMirror && HasLiveSvmMappings(vm, v))
                    {
                        return -Errno.EBUSY;
                    }
                }
            }

            foreach (var vma in vmas)
            {
                DestroyVmaLocked(xe, vm, vma);
            }

            return 0;
        }
    }

    /// <summary>
    /// The madvise IOCTL on a CPU-address-mirror VMA: split it so that [start, end) (2 MiB aligned)
    /// gets <paramref name="preferVram"/> with auto-reset attributes (reset by the GC when unmapped).
    /// </summary>
    public static int Madvise(XeDevice xe, Vm vm, ulong start, ulong end, bool preferVram)
    {
        if (end <= start || (start & (Svm.Chunk2M - 1)) != 0 || (end & (Svm.Chunk2M - 1)) != 0)
        {
            return -Errno.EINVAL;
        }

        using (vm.Lock.WriteGuard())
        {
            if (vm.Closed)
            {
                return -Errno.ENOENT;
            }

            var v = vm.FindVma(start);
            if (v == null || v.Kind != VmaKind.CpuAddrMirror || end > v.End)
            {
                return -Errno.EINVAL;
            }

            XeAssert.VmaVmLockHeldWrite(vm, v);
            vm.DestroyVma(v);
            if (v.Start < start)
            {
                vm.InsertVma(new Vma(vm, v.Start, start, VmaKind.CpuAddrMirror, false, v.PreferVram, v.AttrAutoReset));
            }

            vm.InsertVma(new Vma(vm, start, end, VmaKind.CpuAddrMirror, false, preferVram, attrAutoReset: true));
            if (end < v.End)
            {
                vm.InsertVma(new Vma(vm, end, v.End, VmaKind.CpuAddrMirror, false, v.PreferVram, v.AttrAutoReset));
            }

            return 0;
        }
    }

    /// <summary>Unbinds and destroys one VMA under the write lock (also used by VM close).</summary>
    [Requires("vm.Lock:write")]
    public static void DestroyVmaLocked(XeDevice xe, Vm vm, Vma vma)
    {
        XeAssert.VmaVmLockHeldWrite(vm, vma);
        if (vma.Kind == VmaKind.CpuAddrMirror)
        {
            SvmGarbageCollection.UnmapAddressRange(xe, vm, vma.Start, vma.End);
        }
        else
        {
            VmaBind.UnbindAndWait(xe, vma);
        }

        if (vma is UserptrVma uvma)
        {
            using (vm.Mm.MmapLock.WriteGuard())
            {
                vm.Mm.Unsubscribe(uvma);
            }
        }

        vm.DestroyVma(vma);
    }

    [Requires("vm.Lock:write")]
    private static bool HasLiveSvmMappings(Vm vm, Vma vma)
    {
        using (vm.Svm.RangeLock.Guard())
        {
            return vm.Svm.RangesIn(vma.Start, vma.End).Any(r => r.ReadStateOnce().TilePresent != 0);
        }
    }
}
