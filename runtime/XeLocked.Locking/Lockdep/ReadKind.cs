namespace XeLocked.Locking;

/// <summary>
/// Lockdep's <c>read</c> argument of <c>lock_acquire</c>: how a lock is held. Part of the chain key
/// and of the dependency type of every edge.
/// </summary>
internal static class ReadKind
{
    /// <summary>Exclusive: mutex, spinlock, rw-semaphore write (<c>read == 0</c>, "E"/"W").</summary>
    public const int Exclusive = 0;

    /// <summary>Shared, non-recursive: rw-semaphore read; a waiting writer blocks it (<c>read == 1</c>, "r").</summary>
    public const int Shared = 1;

    /// <summary>Shared, recursive: only a writer <i>holding</i> the lock blocks it (<c>read == 2</c>, "R").</summary>
    public const int SharedRecursive = 2;

    /// <summary>The word used in reports.</summary>
    public static string Describe(int read) => read switch
    {
        Exclusive => "write",
        Shared => "read",
        _ => "recursive read",
    };

    /// <summary>The verb used in the "possible unsafe locking scenario" table.</summary>
    public static string ScenarioVerb(int read) => read == Exclusive ? "lock" : "rlock";
}
