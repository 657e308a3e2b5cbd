namespace XeLocked.Locking;

/// <summary>
/// The locks one live thread held when <see cref="Lockdep.HeldLocksOfAllThreads"/> looked, bottom
/// (outermost) first.
/// </summary>
/// <param name="ThreadId">The thread's managed id.</param>
/// <param name="ThreadName">The thread's name (null if unnamed).</param>
/// <param name="Locks">The held locks, outermost first; never empty.</param>
/// <param name="Exact">
/// True when two reads of the thread's held stack around the copy agreed (always the case for a
/// thread blocked on a lock, the case a hang report is about); false when the thread kept taking
/// and releasing locks while it was read, so the list is a best effort (the kernel does not even
/// print the locks of a running task).
/// </param>
public sealed record ThreadHeldLocks(int ThreadId, string? ThreadName, IReadOnlyList<HeldLockInfo> Locks, bool Exact)
{
    /// <summary>The thread as reports name it: <c>name/id</c>.</summary>
    public string Label => $"{ThreadName ?? "thread"}/{ThreadId}";
}
