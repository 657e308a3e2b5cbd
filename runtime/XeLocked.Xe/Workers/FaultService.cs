using XeLocked.Annotations;
using XeLocked.Locking;

namespace XeLocked.Xe;

/// <summary><c>xe_pagefault_service</c>: the expensive path of one fault (§3.3).</summary>
internal static class FaultService
{
    /// <summary>
    /// Internal result of the v4 trylock variant when <c>Vm.Lock</c> is contended: the worker
    /// requeues the fault instead of acking it.
    /// </summary>
    public const int VmLockContended = -Errno.EAGAIN;

    /// <summary>Services <paramref name="pf"/>; returns 0 or a negated errno for the ack.</summary>
    public static int Service(XeDevice xe, PageFault pf)
    {
        if (pf.Nack)
        {
            return -Errno.EFAULT;
        }

        var vm = xe.AsidToVm(pf.Asid);
        if (vm == null)
        {
            xe.Counters.Add(ModelCounter.UnknownAsid);
            return -Errno.EINVAL;
        }

        var inFlight = Interlocked.Increment(ref xe.ServicesInFlight);
        xe.Counters.Max(ModelCounter.MaxConcurrentServices, inFlight);
        if (inFlight > 1)
        {
            pf.Gt!.Stats.Increment(GtStatId.ParallelPagefaultCount); // P12 [INFERRED rule]
        }

        try
        {
            return ServiceVm(xe, vm, pf);
        }
        finally
        {
            Interlocked.Decrement(ref xe.ServicesInFlight);
            vm.Put();
        }
    }

    private static int ServiceVm(XeDevice xe, Vm vm, PageFault pf)
    {
        if (!xe.Policy.FaultTrylock)
        {
            using (xe.Policy.LockVmShared(vm)) // P01: down_read (was down_write)
            {
                return ServiceLocked(xe, vm, pf);
            }
        }

        if (!xe.Policy.TryLockVmForFault(vm)) // v4-era down_read_trylock
        {
            return VmLockContended;
        }

        try
        {
            return ServiceLocked(xe, vm, pf);
        }
        finally
        {
            xe.Policy.UnlockVmShared(vm);
        }
    }

    [Requires("vm.Lock:read")]
    private static int ServiceLocked(XeDevice xe, Vm vm, PageFault pf)
    {
        xe.Hooks.Fire(HookPoint.AfterVmLock, pf.PageAddr, pf.Asid, pf.FaultId);
        if (vm.Closed)
        {
            xe.Counters.Add(ModelCounter.ClosedVm);
            return -Errno.ENOENT;
        }

        var vma = vm.FindVma(pf.PageAddr);
        xe.Time.Spin(xe.Options.VmaLookupLatency);
        if (vma == null)
        {
            xe.Counters.Add(ModelCounter.NoVma);
            return -Errno.EINVAL;
        }

        if (vma.ReadOnly && pf.Access != AccessType.Read)
        {
            return -Errno.EPERM;
        }

        var atomic = pf.Access == AccessType.Atomic;
        xe.Counters.Add(ModelCounter.SlowServices);
        return vma.Kind == VmaKind.CpuAddrMirror
            ? SvmFaultHandler.Handle(xe, vm, vma, pf, atomic)
            : VmaFaultHandler.Handle(xe, vm, vma, pf, atomic);
    }
}
