using XeLocked.Annotations;

namespace XeLocked.Xe;

/// <summary>VM lifetime, binds, prefetch and the CPU side (munmap, invalidation, eviction).</summary>
public sealed partial class XeDevice
{
    /// <summary>Creates a fault-mode VM with a fresh ASID (USM lock, write mode) and registers it.</summary>
    [Excludes("UsmLock")]
    public Vm CreateVm()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        using (UsmLock.WriteGuard())
        {
            var asid = _nextAsid;
            while (_asidToVm.ContainsKey(asid) || asid == 0)
            {
                asid++;
            }

            _nextAsid = asid + 1;
            var vm = new Vm(this, asid);
            vm.Svm.Gc.Work = new WorkItem($"gc/{asid}", () => SvmGarbageCollection.WorkFunc(this, vm), FaultWq);
            _asidToVm.Add(asid, vm);
            return vm;
        }
    }

    /// <summary>The open VM with <paramref name="asid"/>, or null.</summary>
    [Excludes("UsmLock")]
    public Vm? LookupVm(uint asid)
    {
        using (UsmLock.ReadGuard())
        {
            return _asidToVm.TryGetValue(asid, out var vm) ? vm : null;
        }
    }

    /// <summary>
    /// Closes the VM (§3.12): mark it closed (write mode: later faults get -ENOENT), unregister its
    /// notifiers, flush the GC work, destroy every VMA and range, <c>xe_svm_fini</c> under the range
    /// lock, drop it from the ASID map and put the map's reference. In-flight faults keep the VM
    /// object alive through their references until they finish.
    /// </summary>
    /// <returns>0, or -ENOENT when already closed.</returns>
    [Excludes("vm.Lock")]
    public int CloseVm(Vm vm)
    {
        ArgumentNullException.ThrowIfNull(vm);
        using (vm.Lock.WriteGuard())
        {
            if (vm.Closed)
            {
                return -Errno.ENOENT;
            }

            vm.Closed = true;
        }

        using (vm.Mm.MmapLock.WriteGuard())
        {
            vm.Mm.SvmSubscribed = false; // mmu_interval_notifier_remove: waits for in-flight invalidations
        }

        vm.Svm.Gc.Work?.Flush(Timeout.InfiniteTimeSpan); // xe_svm_close

        using (vm.Lock.WriteGuard())
        {
            foreach (var vma in vm.AllVmas())
            {
                VmBind.DestroyVmaLocked(this, vm, vma);
            }
        }

        Hooks.Fire(HookPoint.BeforeSvmFini, 0, vm.Asid);
        using (vm.Svm.RangeLock.Guard())
        {
            vm.Svm.Fini(); // xe_svm_fini: scoped_guard(mutex, &vm->svm.range_lock) drm_gpusvm_fini
        }

        using (vm.Svm.Gc.ListLock.Guard())
        {
            while (vm.Svm.Gc.PopFirstLocked() != null)
            {
            }
        }

        using (UsmLock.WriteGuard())
        {
            _asidToVm.Remove(vm.Asid);
        }

        vm.Put();
        return 0;
    }

    /// <summary>Binds a BO-backed VMA over [start, start+size) (VM-private BO; faulted in on first GPU access).</summary>
    [Excludes("vm.Lock")]
    public int MapBo(Vm vm, ulong start, ulong size, bool readOnly = false, bool preferVram = true) =>
        VmBind.Map(this, Checked(vm), start, start + size, VmaKind.Bo, readOnly, preferVram, cpuMap: false);

    /// <summary>Binds a userptr VMA over CPU memory [start, start+size) (CPU-mapped if it was not).</summary>
    [Excludes("vm.Lock")]
    public int MapUserptr(Vm vm, ulong start, ulong size, bool readOnly = false) =>
        VmBind.Map(this, Checked(vm), start, start + size, VmaKind.Userptr, readOnly, preferVram: false, cpuMap: true);

    /// <summary>
    /// Binds a CPU-address-mirror (SVM) VMA over [start, start+size). <paramref name="cpuMap"/>: also
    /// map that CPU range (malloc'ed memory); <paramref name="preferVram"/>: faults migrate to VRAM.
    /// </summary>
    [Excludes("vm.Lock")]
    public int MapSvm(Vm vm, ulong start, ulong size, bool preferVram = true, bool cpuMap = true) =>
        VmBind.Map(this, Checked(vm), start, start + size, VmaKind.CpuAddrMirror, readOnly: false, preferVram, cpuMap);

    /// <summary>
    /// madvise on an SVM VMA: [start, start+size) (2 MiB aligned) gets <paramref name="preferVram"/>
    /// with auto-reset attributes; the VMA is split around it (write mode). When the CPU later unmaps
    /// part of it, the GC resets the attributes by re-splitting the VMA (hazard H7).
    /// </summary>
    [Excludes("vm.Lock")]
    public int Madvise(Vm vm, ulong start, ulong size, bool preferVram) =>
        VmBind.Madvise(this, Checked(vm), start, start + size, preferVram);

    /// <summary>Unbinds the VMAs inside [start, start+size) (write mode).</summary>
    [Excludes("vm.Lock")]
    public int Unmap(Vm vm, ulong start, ulong size, bool allowSvmUnmap = true) =>
        VmBind.Unmap(this, Checked(vm), start, start + size, allowSvmUnmap);

    /// <summary>The prefetch-only bind IOCTL over [start, start+size) (read mode, P02; threaded, P03).</summary>
    /// <param name="vm">The VM (of this device).</param>
    /// <param name="start">Start address.</param>
    /// <param name="size">Size in bytes.</param>
    /// <param name="target">VRAM (migrate) or SRAM.</param>
    /// <param name="threaded">
    /// True (P03): a VRAM prefetch of several ranges migrates them on the prefetch workqueue, up to
    /// <c>num_pf_work</c> at once. False: the pre-P03 loop, every range in the calling thread in order
    /// (for comparing the two on one call).
    /// </param>
    /// <returns>0 or a negated errno.</returns>
    [Excludes("vm.Lock")]
    public int Prefetch(Vm vm, ulong start, ulong size, PrefetchTarget target = PrefetchTarget.Vram, bool threaded = true) =>
        VmPrefetch.Prefetch(this, Checked(vm), start, start + size, target, threaded);

    /// <summary>CPU mmap of [start, start+size) in the VM's process.</summary>
    [Excludes("vm.Mm.MmapLock")]
    public void CpuMap(Vm vm, ulong start, ulong size)
    {
        Checked(vm);
        using (vm.Mm.MmapLock.WriteGuard())
        {
            vm.Mm.Map(start, start + size);
        }
    }

    /// <summary>CPU munmap of [start, start+size): the MMU notifier (event UNMAP) hands ranges to the GC.</summary>
    [Excludes("vm.Mm.MmapLock")]
    public void CpuUnmap(Vm vm, ulong start, ulong size)
    {
        Checked(vm);
        using (vm.Mm.MmapLock.WriteGuard())
        {
            vm.Mm.Unmap(start, start + size);
            MmuNotifier.Invalidate(this, vm, start, start + size, MmuEvent.Unmap);
        }
    }

    /// <summary>A CPU-side invalidation that is not an unmap (mprotect, page migration): PTEs zapped, sequences bumped.</summary>
    [Excludes("vm.Mm.MmapLock")]
    public void CpuInvalidate(Vm vm, ulong start, ulong size)
    {
        Checked(vm);
        using (vm.Mm.MmapLock.WriteGuard())
        {
            MmuNotifier.Invalidate(this, vm, start, start + size, MmuEvent.Invalidate);
        }
    }

    /// <summary>
    /// TTM evicts the VM's VRAM (§3.10): SVM pages migrate back to RAM (notifier event MIGRATE: PTEs
    /// zapped, no GC) and BOs lose residency (move notify under the resv: PTEs invalidated).
    /// </summary>
    [Excludes("vm.Lock")]
    public void EvictVram(Vm vm)
    {
        Checked(vm);
        List<Vma> vmas;
        using (vm.Lock.ReadGuard())
        {
            vmas = vm.AllVmas();
        }

        using (vm.Resv.Lock.Guard())
        {
            foreach (var vma in vmas.Where(v => v.Kind == VmaKind.Bo))
            {
                EvictBoLocked(vm, vma);
            }
        }

        using (vm.Mm.MmapLock.WriteGuard())
        {
            MmuNotifier.Invalidate(this, vm, 0, ulong.MaxValue, MmuEvent.Migrate);
        }
    }

    [Requires("vm.Resv.Lock")]
    private void EvictBoLocked(Vm vm, Vma vma)
    {
        XeAssert.VmaResvHeld(vma);
        if (vma.BoInVram)
        {
            _ = Engines.Migrate(vma.Size, toVram: false);
        }

        vma.BoResident = false;
        vma.BoInVram = false;
        vma.TileInvalidated |= vma.TilePresent;
        _ = vm;
    }

    private Vm Checked(Vm vm)
    {
        ArgumentNullException.ThrowIfNull(vm);
        if (!ReferenceEquals(vm.Xe, this))
        {
            throw new ArgumentException("the VM belongs to another device", nameof(vm));
        }

        return vm;
    }
}
