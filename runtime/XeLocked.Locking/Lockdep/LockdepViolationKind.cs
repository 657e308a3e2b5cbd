namespace XeLocked.Locking;

/// <summary>What a lockdep report is about.</summary>
public enum LockdepViolationKind
{
    /// <summary>"possible circular locking dependency detected": a new edge closes a cycle in the class graph.</summary>
    CircularDependency,

    /// <summary>"possible recursive locking detected": a class is acquired while an instance of it is held.</summary>
    RecursiveLocking,

    /// <summary>"bad unlock balance detected": a release of a lock not held, or in the other mode.</summary>
    BadUnlockBalance,

    /// <summary>A lock taken while a lock that the declared <c>[LockOrder]</c> puts after it is held.</summary>
    DeclaredOrderViolation,

    /// <summary>"held lock freed": a lock disposed or finalized while held.</summary>
    HeldLockFreed,

    /// <summary>A lock still held when a thread or a worker item ended (<c>Lockdep.AssertNoLocksHeld()</c>).</summary>
    HeldAtExit,

    /// <summary>A <c>Lockdep.Assert*</c> assertion failed.</summary>
    AssertionFailed,

    /// <summary>"BUG: MAX_LOCK_DEPTH too low!": a thread holds more locks at once than the tracker allows (48, as lockdep).</summary>
    LimitExceeded,
}
