using XeLocked.Annotations;

namespace XeLocked.Xe;

/// <summary>
/// The seam between fine and coarse locking: the only code that differs between the series and the
/// pre-series baseline. Everything else (services, GC, prefetch, acks) is shared.
/// </summary>
/// <remarks>
/// The contract the analyzer sees is the weaker one, <c>vm.Lock:read</c> ("held in read or write
/// mode"): every caller only relies on that. Coarse locking takes write mode at run time, which
/// satisfies every read requirement. The release, <see cref="UnlockVmShared"/>, is declared without
/// a mode (<c>[Releases("vm.Lock:read | vm.Lock:write")]</c>: released in whatever mode it is held), so each policy
/// releases in the mode it took and callers need not know which. The overrides restate the base
/// contract (the one callers are checked against).
/// </remarks>
internal abstract class LockingPolicy
{
    public static LockingPolicy For(XeOptions o) =>
        o.Locking == LockingMode.Fine ? new FineLockingPolicy(o.FaultVmLock) : new CoarseLockingPolicy();

    public abstract LockingMode Mode { get; }

    /// <summary>Number of page-fault queues: 1 (P04) or one per worker (pre-series, ASID-hashed).</summary>
    public abstract int QueueCount(int numPfWork);

    /// <summary>The queue a fault of <paramref name="asid"/> goes to.</summary>
    public abstract int QueueIndex(uint asid, int queueCount);

    /// <summary>
    /// <c>Vm.Lock</c> for a fault service, the GC worker or a prefetch-only bind: read (fine) or
    /// write (coarse).
    /// </summary>
    [Acquires("vm.Lock:read")]
    public abstract VmLockHold LockVmShared(Vm vm);

    /// <summary>
    /// The v4-era trylock variant for the fault service (fine only): false when a writer holds or
    /// waits. Coarse locking always blocks. Release with <see cref="UnlockVmShared"/>.
    /// </summary>
    [TryAcquires(true, "vm.Lock:read")]
    public abstract bool TryLockVmForFault(Vm vm);

    /// <summary>Releases a hold taken by <see cref="TryLockVmForFault"/> (in the mode the policy took it).</summary>
    [Releases("vm.Lock:read | vm.Lock:write")]
    public abstract void UnlockVmShared(Vm vm);

    /// <summary>True when faults use the trylock + requeue variant.</summary>
    public abstract bool FaultTrylock { get; }
}

/// <summary>The series: read mode for faults, GC and prefetch-only binds.</summary>
internal sealed class FineLockingPolicy : LockingPolicy
{
    private readonly FaultVmLockKind _kind;

    public FineLockingPolicy(FaultVmLockKind kind) => _kind = kind;

    public override LockingMode Mode => LockingMode.Fine;

    public override bool FaultTrylock => _kind == FaultVmLockKind.TrylockRequeue;

    public override int QueueCount(int numPfWork) => 1;

    public override int QueueIndex(uint asid, int queueCount) => 0;

    [Acquires("vm.Lock:read")]
    public override VmLockHold LockVmShared(Vm vm)
    {
        vm.Lock.LockRead();
        return new VmLockHold(vm, write: false);
    }

    [TryAcquires(true, "vm.Lock:read")]
    public override bool TryLockVmForFault(Vm vm) => vm.Lock.TryLockRead();

    [Releases("vm.Lock:read | vm.Lock:write")]
    public override void UnlockVmShared(Vm vm) => vm.Lock.UnlockRead();
}

/// <summary>The pre-series baseline: write mode for every fault, GC run and bind; ASID-hashed queues.</summary>
internal sealed class CoarseLockingPolicy : LockingPolicy
{
    public override LockingMode Mode => LockingMode.Coarse;

    public override bool FaultTrylock => false;

    public override int QueueCount(int numPfWork) => numPfWork;

    public override int QueueIndex(uint asid, int queueCount) => (int)(asid % (uint)queueCount);

    [Acquires("vm.Lock:read")]
    public override VmLockHold LockVmShared(Vm vm)
    {
        vm.Lock.LockWrite();
        return new VmLockHold(vm, write: true);
    }

    [TryAcquires(true, "vm.Lock:read")]
    public override bool TryLockVmForFault(Vm vm)
    {
        vm.Lock.LockWrite();
        return true;
    }

    // Mode-agnostic release: this policy took write mode (above, under the base's read contract, which a
    // write hold satisfies), so it releases write mode; callers only know "held in some mode".
    [Releases("vm.Lock:read | vm.Lock:write")]
    public override void UnlockVmShared(Vm vm) => vm.Lock.UnlockWrite();
}
