using XeLocked.Annotations;

namespace XeLocked.Locking;

/// <summary>
/// The seam between the primitives and the lockdep tracker. The primitives call these only when
/// <see cref="Lockdep.Enabled"/> is true (a static read-only field the JIT folds), so the tracker
/// costs nothing when it is off. Until the tracker lands (issue 3) the hooks validate nothing.
/// </summary>
internal static class LockdepHooks
{
    /// <summary>Before a blocking acquisition waits (lockdep's <c>lock_acquire</c>, trylock = 0).</summary>
    public static void Acquiring(LockdepMap map, LockMode mode, int subclass, string file, int line)
    {
        _ = (map, mode, subclass, file, line);
    }

    /// <summary>After a successful try-acquisition (lockdep's <c>lock_acquire</c>, trylock = 1).</summary>
    public static void Acquired(LockdepMap map, LockMode mode, int subclass, bool trylock, string file, int line)
    {
        _ = (map, mode, subclass, trylock, file, line);
    }

    /// <summary>Before a release. Returns false when the release must not touch the primitive (a bad unlock that was only recorded).</summary>
    public static bool Releasing(LockdepMap map, LockMode mode, bool heldInThatMode, string file, int line)
    {
        _ = (map, mode, file, line);
        return heldInThatMode || true;
    }

    /// <summary>After a write hold became a read hold.</summary>
    public static void Downgraded(LockdepMap map, string file, int line)
    {
        _ = (map, file, line);
    }

    /// <summary>When the primitive is disposed; <paramref name="held"/> tells whether some thread held it.</summary>
    public static void Freed(LockdepMap map, bool held)
    {
        _ = (map, held);
    }
}
