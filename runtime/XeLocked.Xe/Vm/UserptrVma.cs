using XeLocked.Annotations;

namespace XeLocked.Xe;

/// <summary>
/// A userptr VMA (<c>struct xe_userptr_vma</c>): CPU pages pinned through an MMU interval notifier.
/// An invalidation bumps <see cref="NotifierSeq"/>; the next fault sees the pinned
/// <see cref="PagesSeq"/> differ (<c>check_repin</c>) and repins.
/// </summary>
public sealed class UserptrVma : Vma
{
    internal UserptrVma(Vm vm, ulong start, ulong end, bool readOnly)
        : base(vm, start, end, VmaKind.Userptr, readOnly, preferVram: false)
    {
    }

    /// <summary>The interval notifier's invalidate sequence number: bumped by every invalidation.</summary>
    [GuardedBy("Vm.Svm.NotifierLock:read", Write = "Vm.Svm.NotifierLock:write")]
    internal long NotifierSeq = 1;

    /// <summary>
    /// <c>userptr.pages.notifier_seq</c>: the sequence the pinned pages are valid for (0 = never pinned).
    /// Written by pin under D1: <c>Vm.Lock</c> write, or read plus <c>FaultLock</c>.
    /// </summary>
    [GuardedBy("Vm.Lock:write | (Vm.Lock:read & FaultLock)")]
    internal long PagesSeq;

    /// <summary>READ_ONCE of the notifier sequence (<c>mmu_interval_check_retry</c> is lockless).</summary>
    // Lockless by design (Volatile.Read): a seqcount read, re-validated under the notifier lock at pre-commit.
    internal long ReadNotifierSeqOnce() => Volatile.Read(ref NotifierSeq);
}
