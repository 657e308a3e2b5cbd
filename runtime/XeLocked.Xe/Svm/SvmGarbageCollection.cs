using XeLocked.Annotations;
using XeLocked.Locking;

namespace XeLocked.Xe;

/// <summary>
/// The SVM garbage collector (§3.7, P01): single runner under <c>GarbageCollector.Lock</c>, entered
/// from every SVM fault attempt and from the GC work item, both under <c>Vm.Lock</c> in read mode.
/// </summary>
internal static class SvmGarbageCollection
{
    /// <summary>
    /// <c>xe_svm_garbage_collector</c>: -ENOENT for a closed or banned VM; otherwise, under the GC
    /// mutex, take each unmapped range off the list and collect it. On failure the VM is killed.
    /// </summary>
    [Requires("vm.Lock:read")]
    public static int Run(XeDevice xe, Vm vm)
    {
        Lockdep.AssertHeld(vm.Lock); // D4: was lockdep_assert_held_write before P01
        if (vm.IsClosedOrBanned())
        {
            return -Errno.ENOENT;
        }

        var gc = vm.Svm.Gc;
        using (gc.Lock.Guard()) // P01: guard(mutex)(&garbage_collector.lock)
        {
            var collected = 0;
            var ret = 0;
            while (true)
            {
                SvmRange? range;
                using (gc.ListLock.Guard())
                {
                    range = gc.PopFirstLocked();
                }

                if (range == null)
                {
                    break;
                }

                xe.Hooks.Fire(HookPoint.GcBeforeRangeLock, range.Start, vm.Asid, range: range);
                var (start, end) = (range.Start, range.End);
                var err = CollectRange(xe, vm, range);
                if (err != 0)
                {
                    xe.Counters.Add(ModelCounter.Warnings); // drm_warn "Garbage collection failed"
                    vm.Kill();
                    return err;
                }

                collected++;
                err = SetDefaultAttr(xe, vm, start, end);
                if (err == -Errno.EAGAIN)
                {
                    ret = -Errno.EAGAIN; // the VMA changed: the fault re-looks it up (R7)
                }
            }

            if (collected > 0)
            {
                xe.Counters.Add(ModelCounter.GcRuns);
            }

            return ret;
        }
    }

    /// <summary>
    /// <c>xe_svm_range_set_default_attr</c>: if the collected range lies in a VMA whose attributes
    /// auto-reset, replace that VMA by one with default attributes
    /// (<c>xe_vm_alloc_cpu_addr_mirror_vma</c>: destroy + new VMA). Under read mode + the GC lock this
    /// is D2-legal, yet it races every reader of the tree (hazard H7); with
    /// <see cref="XeOptions.FixH7DeferAttrResetToWriter"/> it is deferred to the write-locked GC pass.
    /// </summary>
    /// <returns>-EAGAIN when the VMA tree changed, else 0.</returns>
    [Requires("vm.Lock:read")]
    [Requires("vm.Svm.Gc.Lock")]
    private static int SetDefaultAttr(XeDevice xe, Vm vm, ulong start, ulong end)
    {
        var vma = vm.FindVma(start);
        if (vma == null || !vma.AttrAutoReset)
        {
            return 0;
        }

        if (xe.Options.FixH7DeferAttrResetToWriter && !Lockdep.IsHeldType(vm.Lock, XeLocked.Annotations.LockMode.Write))
        {
            vm.Svm.Gc.DeferredAttrResets.Add((start, end));
            vm.Svm.Gc.Work?.QueueWork(); // the write-locked pass runs in the work item
            return 0;
        }

        vm.BeginGcTreeMutation();
        try
        {
            ResetVmaAttrs(xe, vm, vma);
        }
        finally
        {
            vm.EndGcTreeMutation();
        }

        return -Errno.EAGAIN;
    }

    [Requires("vm.Lock:read")]
    [Requires("vm.Svm.Gc.Lock")]
    private static void ResetVmaAttrs(XeDevice xe, Vm vm, Vma vma)
    {
        vm.DestroyVma(vma);
        xe.Hooks.Fire(HookPoint.GcDefaultAttrReset, vma.Start, vm.Asid);
        vm.InsertVma(new Vma(vm, vma.Start, vma.End, VmaKind.CpuAddrMirror, readOnly: false, preferVram: true));
        xe.Counters.Add(ModelCounter.GcAttrResets);
    }

    /// <summary>H7 fix: the GC work item's write-locked pass that applies the deferred default-attr resets.</summary>
    private static void ApplyDeferredAttrResets(XeDevice xe, Vm vm)
    {
        using (vm.Lock.WriteGuard())
        {
            if (vm.Closed)
            {
                return;
            }

            using (vm.Svm.Gc.Lock.Guard())
            {
                foreach (var (start, _) in vm.Svm.Gc.DeferredAttrResets)
                {
                    var vma = vm.FindVma(start);
                    if (vma != null && vma.AttrAutoReset)
                    {
                        ResetVmaAttrs(xe, vm, vma);
                    }
                }

                vm.Svm.Gc.DeferredAttrResets.Clear();
            }
        }
    }

    /// <summary>
    /// <c>__xe_svm_garbage_collector</c>: under the range lock, take a reference, mark the range
    /// removed, unbind it under the VM resv, and remove it from the tree under the range-tree lock;
    /// then drop the reference. Also called from <c>xe_svm_unmap_address_range</c> (write mode, no
    /// GC mutex).
    /// </summary>
    [Requires("vm.Lock:read")]
    public static int CollectRange(XeDevice xe, Vm vm, SvmRange range)
    {
        range.Lock.Lock();
        try
        {
            if (range.Removed)
            {
                return 0; // already collected (by the unmap path)
            }

            range.Get();
            range.Removed = true; // P01: mark before anything else

            int err;
            vm.Resv.ExecLock(xe.Counters); // xe_vm_lock(vm, false)
            try
            {
                err = SvmPages.Unbind(xe, vm, range, out _); // fence dropped without waiting
            }
            finally
            {
                vm.Resv.Lock.Unlock();
            }

            if (err != 0)
            {
                // H12: the seed returns here without the matching range_put.
                if (xe.Options.FixH12GcRefLeak)
                {
                    range.Put();
                }

                return err;
            }

            using (vm.Svm.RangeLock.Guard()) // P01: scoped_guard(mutex, &vm->svm.range_lock)
            {
                vm.Svm.Remove(range);
            }
        }
        finally
        {
            range.Lock.Unlock();
        }

        range.Put();
        xe.Counters.Add(ModelCounter.GcRangesRemoved);
        return 0;
    }

    /// <summary>
    /// <c>xe_svm_garbage_collector_work_func</c>: P01 takes <c>Vm.Lock</c> in read mode (was write).
    /// </summary>
    public static void WorkFunc(XeDevice xe, Vm vm)
    {
        using (xe.Policy.LockVmShared(vm))
        {
            _ = Run(xe, vm);
        }

        if (xe.Options.FixH7DeferAttrResetToWriter)
        {
            ApplyDeferredAttrResets(xe, vm);
        }
    }

    /// <summary>
    /// <c>xe_svm_unmap_address_range</c> (bind IOCTL, write mode): for each range straddling
    /// [start, end), evict it if in VRAM, collect it without the GC mutex (write mode excludes every
    /// reader), and take it off the GC list.
    /// </summary>
    [Requires("vm.Lock:write")]
    public static void UnmapAddressRange(XeDevice xe, Vm vm, ulong start, ulong end)
    {
        List<SvmRange> ranges;
        using (vm.Svm.RangeLock.Guard())
        {
            ranges = vm.Svm.RangesIn(start, end);
            foreach (var r in ranges)
            {
                r.Get();
            }
        }

        foreach (var r in ranges)
        {
            using (r.Lock.Guard())
            {
                if (!r.IsRemoved())
                {
                    SvmMigration.Evict(xe, r);
                }
            }

            _ = CollectRange(xe, vm, r);
            using (vm.Svm.Gc.ListLock.Guard())
            {
                vm.Svm.Gc.UnlinkLocked(r);
            }

            r.Put();
        }
    }
}
