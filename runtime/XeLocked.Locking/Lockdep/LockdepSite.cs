using System.Runtime.CompilerServices;
using XeLocked.Annotations;

namespace XeLocked.Locking;

/// <summary>
/// A primitive's link to the lockdep tracker: its <see cref="LockdepMap"/> (none when the tracker is
/// off) and the validation around each acquisition, try-acquisition and release. Every call is a
/// no-op when the tracker is off: <see cref="Lockdep.Enabled"/> is a static read-only field the JIT
/// folds, so the tracker-off fast paths keep nothing of it. This part serves the thread-bound
/// primitives; the async locks' holds belong to async flows (<c>LockdepSite.Flows.cs</c>).
/// </summary>
internal readonly partial struct LockdepSite
{
    private readonly LockdepMap? _map;

    private LockdepSite(LockdepMap? map) => _map = map;

    /// <summary>The site of <paramref name="owner"/>: a new map when the tracker is on, none when it is off.</summary>
    public static LockdepSite For(ILockdepInstance owner) => new(Lockdep.Enabled ? new LockdepMap(owner) : null);

    /// <summary>The per-instance tracker state; null when the tracker is off.</summary>
    public LockdepMap? Map => _map;

    /// <summary>
    /// Before a blocking acquisition waits: validate it, as lockdep does (a deadlock is reported,
    /// not entered). <see cref="Abandoned"/> undoes it if the wait does not end with the lock held.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Acquiring(LockMode mode, int subclass, string file, int line)
    {
        if (Lockdep.Enabled)
        {
            LockdepHooks.Acquiring(_map!, mode, subclass, file, line);
        }
    }

    /// <summary>
    /// After a try-acquisition: records it when it <paramref name="succeeded"/> (it never waited, so
    /// it is exempt from the deadlock checks, as a lockdep trylock). Returns <paramref name="succeeded"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryAcquired(bool succeeded, LockMode mode, string file, int line)
    {
        if (Lockdep.Enabled && succeeded)
        {
            LockdepHooks.Acquired(_map!, mode, subclass: 0, trylock: true, file, line);
        }

        return succeeded;
    }

    /// <summary>
    /// Before a release: the tracker checks first (its per-thread stack is exact). False when the
    /// release must not touch the primitive (a bad unlock that was only recorded); always true
    /// when the tracker is off.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Releasing(LockMode mode, string file, int line) =>
        !Lockdep.Enabled || LockdepHooks.Releasing(_map!, mode, file, line);

    /// <summary>A blocking acquisition announced by <see cref="Acquiring"/> did not happen (the wait threw).</summary>
    public void Abandoned(LockMode mode)
    {
        if (Lockdep.Enabled)
        {
            LockdepHooks.Abandoned(_map!, mode);
        }
    }

    /// <summary>After a write hold became a read hold.</summary>
    public void Downgraded(string file, int line)
    {
        if (Lockdep.Enabled)
        {
            LockdepHooks.Downgraded(_map!, file, line);
        }
    }

    /// <summary>The calling thread acquires the instance it holds: a <c>RecursiveLocking</c> report (thrown in the throwing mode).</summary>
    public void Recursive(LockMode mode, int subclass, string file, int line)
    {
        if (Lockdep.Enabled)
        {
            LockdepHooks.RecursiveInstance(_map!, mode, subclass, file, line);
        }
    }

    /// <summary>
    /// Disposes the primitive once: freeing it while <paramref name="held"/> is a <c>HeldLockFreed</c>
    /// report (tracker on; thrown in the throwing mode) or an <see cref="InvalidOperationException"/>
    /// naming <paramref name="className"/> and <paramref name="what"/> (tracker off); it then stays
    /// usable and undisposed.
    /// </summary>
    /// <param name="disposed">The primitive's disposed flag (0, then 1).</param>
    /// <param name="held">Whether any thread holds the primitive now.</param>
    /// <param name="className">The primitive's lock class.</param>
    /// <param name="what">The primitive, with its article: "a mutex".</param>
    public void Dispose(ref int disposed, bool held, string className, string what) =>
        Dispose(_map, LockdepHooks.Freed, ref disposed, held, className, what);

    /// <summary>The disposal of <see cref="Dispose(ref int, bool, string, string)"/>, with the tracker's <paramref name="freed"/> hook of the primitive's kind.</summary>
    internal static void Dispose(LockdepMap? map, Action<LockdepMap, bool> freed, ref int disposed, bool held, string className, string what)
    {
        if (Volatile.Read(ref disposed) != 0)
        {
            return;
        }

        if (Lockdep.Enabled)
        {
            freed(map!, held);
        }
        else if (held)
        {
            throw new InvalidOperationException($"{className}: {what} was disposed while held.");
        }

        Volatile.Write(ref disposed, 1);
    }
}
