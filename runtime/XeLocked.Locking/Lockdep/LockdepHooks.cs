using XeLocked.Annotations;

namespace XeLocked.Locking;

/// <summary>
/// The seam between the primitives and the lockdep tracker. The primitives call these only when
/// <see cref="Lockdep.Enabled"/> is true (a static read-only field the JIT folds), so the tracker
/// costs nothing when it is off.
/// </summary>
internal static class LockdepHooks
{
    /// <summary>Before a blocking acquisition waits (lockdep's <c>lock_acquire</c>, trylock = 0).</summary>
    public static void Acquiring(LockdepMap map, LockMode mode, int subclass, string file, int line) =>
        LockValidator.Acquire(map, ToRead(mode), subclass, trylock: false, file, line);

    /// <summary>After a successful try-acquisition (lockdep's <c>lock_acquire</c>, trylock = 1).</summary>
    public static void Acquired(LockdepMap map, LockMode mode, int subclass, bool trylock, string file, int line) =>
        LockValidator.Acquire(map, ToRead(mode), subclass, trylock, file, line);

    /// <summary>Before a release. Returns false when the release must not touch the primitive (a bad unlock that was only recorded).</summary>
    public static bool Releasing(LockdepMap map, LockMode mode, string file, int line) =>
        LockValidator.Release(map, ToRead(mode), file, line);

    /// <summary>
    /// A blocking acquisition announced by <see cref="Acquiring"/> did not happen (the wait was
    /// interrupted): undo it, as lockdep's <c>lock_release</c> after a failed
    /// <c>mutex_lock_interruptible</c>.
    /// </summary>
    public static void Abandoned(LockdepMap map, LockMode mode) =>
        LockValidator.Release(map, ToRead(mode), file: "", line: 0);

    /// <summary>After a write hold became a read hold.</summary>
    public static void Downgraded(LockdepMap map, string file, int line)
    {
        _ = (file, line);
        LockValidator.Downgrade(map);
    }

    /// <summary>When the primitive is disposed; <paramref name="held"/> tells whether some thread holds it.</summary>
    public static void Freed(LockdepMap map, bool held) => LockValidator.Freed(map, held);

    /// <summary>
    /// The calling thread acquires an instance it holds already: reports <c>RecursiveLocking</c>
    /// (throws in the throwing mode). The caller then refuses the acquisition.
    /// </summary>
    public static void RecursiveInstance(LockdepMap map, LockMode mode, int subclass, string file, int line) =>
        LockValidator.RecursiveInstance(map, ToRead(mode), subclass, file, line);

    private static int ToRead(LockMode mode) => mode == LockMode.Read ? ReadKind.Shared : ReadKind.Exclusive;
}

/// <summary>The seam between the async primitives and the tracker: the same hooks, with the async flow that holds.</summary>
internal static class AsyncLockdepHooks
{
    /// <summary>Before a blocking (or timed) async acquisition waits; false (nothing recorded) when the flow holds the lock already.</summary>
    public static bool Acquiring(AsyncFlow flow, LockdepMap map, LockMode mode, string file, int line) =>
        LockValidator.AcquireInFlow(flow, map, ToRead(mode), subclass: 0, trylock: false, file, line);

    /// <summary>After a successful non-blocking try-acquisition; false (nothing recorded) when the flow held the lock already.</summary>
    public static bool TryAcquired(AsyncFlow flow, LockdepMap map, LockMode mode, string file, int line) =>
        LockValidator.AcquireInFlow(flow, map, ToRead(mode), subclass: 0, trylock: true, file, line);

    /// <summary>Before a release by <paramref name="flow"/>; false when the primitive must not be touched.</summary>
    public static bool Releasing(AsyncFlow? flow, LockdepMap map, LockMode mode, string? holder, string file, int line) =>
        LockValidator.ReleaseInFlow(flow, map, ToRead(mode), holder, file, line);

    /// <summary>An announced acquisition did not happen (cancelled, timed out).</summary>
    public static void Abandoned(AsyncFlow flow, LockdepMap map, LockMode mode) =>
        LockValidator.AbandonInFlow(flow, map, ToRead(mode));

    /// <summary>The mode <paramref name="flow"/> holds the lock in, or null.</summary>
    public static LockMode? HeldMode(AsyncFlow flow, LockdepMap map) =>
        LockValidator.HeldInFlow(flow, map) switch
        {
            < 0 => null,
            ReadKind.Exclusive => LockMode.Write,
            _ => LockMode.Read,
        };

    /// <summary>The flow acquires a lock it holds: report (throws in the throwing mode).</summary>
    public static void Recursive(AsyncFlow flow, LockdepMap map, LockMode mode, string file, int line, bool syncWait) =>
        LockValidator.RecursiveInFlow(flow, map, ToRead(mode), file, line, syncWait);

    /// <summary>When the primitive is disposed.</summary>
    public static void Freed(LockdepMap map, bool held) => LockValidator.FreedAsync(map, held);

    private static int ToRead(LockMode mode) => mode == LockMode.Read ? ReadKind.Shared : ReadKind.Exclusive;
}
