using XeLocked.Annotations;

namespace XeLocked.Locking;

/// <summary>
/// What every tracked primitive tells the lockdep tracker and the assertions: its lock class and
/// whether, and in which mode, the calling thread holds it.
/// </summary>
public interface ITrackedLock
{
    /// <summary>The lockdep lock class, by convention <c>"TypeName.MemberName"</c> of the field that holds the lock.</summary>
    string ClassName { get; }

    /// <summary>Exclusive (mutex, spinlock) or reader-writer (rw-semaphore).</summary>
    LockKind Kind { get; }

    /// <summary>True when the calling thread holds the lock in any mode.</summary>
    bool IsHeldByCurrentThread { get; }

    /// <summary>
    /// The mode the calling thread holds the lock in, or <c>null</c> when it does not hold it.
    /// An exclusive lock held counts as <see cref="LockMode.Write"/>.
    /// </summary>
    LockMode? HeldModeByCurrentThread { get; }
}
