using XeLocked.Annotations;
using XeLocked.Locking;

namespace XeLocked.Xe;

/// <summary>
/// Run-time lock assertions that also tell the analyzer a lock is held under another access path.
/// The seed writes <c>vm = xe_vma_vm(vma); lockdep_assert_held(&amp;vm->lock)</c>; a path-based
/// analysis cannot know that <c>vma.Vm</c> is the <c>vm</c> whose lock the caller took, so these
/// helpers check it at run time (lockdep) and state it for the analyzer (<c>[AssertsHeld]</c>).
/// </summary>
internal static class XeAssert
{
    /// <summary><c>lockdep_assert_held_write(&amp;xe_vma_vm(vma)->lock)</c>, and <paramref name="vma"/> belongs to <paramref name="vm"/>.</summary>
    [AssertsHeld("vma.Vm.Lock:write")]
    public static void VmaVmLockHeldWrite(Vm vm, Vma vma)
    {
        Lockdep.Assert(ReferenceEquals(vma.Vm, vm), $"{vma} does not belong to {vm}");
        Lockdep.AssertHeldWrite(vma.Vm.Lock);
    }

    /// <summary><c>lockdep_assert_held(&amp;xe_vma_vm(vma)->lock)</c>, and <paramref name="vma"/> belongs to <paramref name="vm"/>.</summary>
    [AssertsHeld("vma.Vm.Lock:read")]
    public static void VmaVmLockHeld(Vm vm, Vma vma)
    {
        Lockdep.Assert(ReferenceEquals(vma.Vm, vm), $"{vma} does not belong to {vm}");
        Lockdep.AssertHeld(vma.Vm.Lock);
    }

    /// <summary><c>xe_vm_assert_held(xe_vma_vm(vma))</c>: the VM's resv is held.</summary>
    [AssertsHeld("vma.Vm.Resv.Lock")]
    public static void VmaResvHeld(Vma vma) => Lockdep.AssertHeld(vma.Vm.Resv.Lock);

    /// <summary>The range belongs to <paramref name="vm"/> and its notifier lock is held (any mode).</summary>
    [AssertsHeld("range.Vm.Svm.NotifierLock:read")]
    public static void RangeNotifierHeld(Vm vm, SvmRange range)
    {
        Lockdep.Assert(ReferenceEquals(range.Vm, vm), $"{range} does not belong to {vm}");
        Lockdep.AssertHeld(range.Vm.Svm.NotifierLock);
    }

    /// <summary>The range's notifier lock is held in write mode (the notifier callback).</summary>
    [AssertsHeld("range.Vm.Svm.NotifierLock:write")]
    public static void RangeNotifierHeldWrite(SvmRange range) => Lockdep.AssertHeldWrite(range.Vm.Svm.NotifierLock);

    /// <summary>The userptr's notifier lock is held in write mode (the userptr invalidation).</summary>
    [AssertsHeld("uvma.Vm.Svm.NotifierLock:write")]
    public static void UserptrNotifierHeldWrite(UserptrVma uvma) => Lockdep.AssertHeldWrite(uvma.Vm.Svm.NotifierLock);

    /// <summary>
    /// The fault path's side of D1: the userptr's VM lock (any mode) and its fault lock are held — the
    /// second alternative of D1, under the access path <paramref name="uvma"/> (the caller took them
    /// as <c>vm.Lock</c> and <c>vma.FaultLock</c>).
    /// </summary>
    [AssertsHeld("uvma.Vm.Lock:read & uvma.FaultLock")]
    public static void UserptrFaultLocked(UserptrVma uvma)
    {
        Lockdep.AssertHeld(uvma.Vm.Lock);
        Lockdep.AssertHeld(uvma.FaultLock);
    }

    /// <summary>
    /// D1, <c>xe_vma_userptr_lockdep</c>: W(vm.Lock) or (R(vm.Lock) and the VMA's fault lock). Run-time
    /// only: <c>[AssertsHeld]</c> names locks, it cannot state a disjunction; the function carrying it
    /// has the disjunctive <c>[Requires]</c>.
    /// </summary>
    public static void UserptrLockdep(UserptrVma uvma) =>
        Lockdep.Assert(Lockdep.IsHeldType(uvma.Vm.Lock, LockMode.Write) ||
                       (Lockdep.IsHeldType(uvma.Vm.Lock, LockMode.Read) && Lockdep.IsHeld(uvma.FaultLock)),
            "xe_vma_userptr_lockdep: vm->lock held for write, or for read with vma->fault_lock");
}
