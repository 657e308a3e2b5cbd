using XeLocked.Annotations;

namespace XeLocked.Locking;

/// <summary>
/// Every thread's held-lock stack, for <see cref="Lockdep.HeldLocksOfAllThreads"/> (the kernel's
/// <c>for_each_process_thread</c> walk of <c>debug_show_all_locks</c>). A stack registers itself once,
/// when its thread first takes a tracked lock; the registry holds it weakly, so a finished thread's
/// stack is still finalized (and its <c>HeldAtExit</c> check still runs).
/// </summary>
/// <remarks>
/// <see cref="s_lock"/> is a plain (untracked) lock held only to add, copy or prune the list, never
/// while a stack is read: a watchdog calling <see cref="Snapshot"/> never waits for a tracked lock
/// or for a thread that holds one.
/// </remarks>
internal static class HeldStackRegistry
{
    /// <summary>Attempts to read a changing stack before settling for an inexact copy.</summary>
    private const int ReadAttempts = 8;

    private static readonly Lock s_lock = new();

    /// <summary>Registered stacks (weak); protected by <see cref="s_lock"/>.</summary>
    private static readonly List<WeakReference<HeldStack>> s_stacks = new();

    /// <summary>Registrations since the last prune; protected by <see cref="s_lock"/>.</summary>
    private static int s_sincePrune;

    /// <summary>Registers the calling thread's new stack.</summary>
    public static void Register(HeldStack stack)
    {
        lock (s_lock)
        {
            s_stacks.Add(new WeakReference<HeldStack>(stack));
            if (++s_sincePrune >= 256)
            {
                s_sincePrune = 0;
                s_stacks.RemoveAll(w => !w.TryGetTarget(out var s) || s.Owner is not { IsAlive: true });
            }
        }
    }

    /// <summary>The held locks of every live thread that holds at least one, by thread id.</summary>
    public static List<ThreadHeldLocks> Snapshot()
    {
        HeldStack[] stacks;
        lock (s_lock)
        {
            var live = new List<HeldStack>(s_stacks.Count);
            foreach (var w in s_stacks)
            {
                if (w.TryGetTarget(out var s) && s.Owner is { IsAlive: true })
                {
                    live.Add(s);
                }
            }

            stacks = live.ToArray();
        }

        var result = new List<ThreadHeldLocks>();
        foreach (var s in stacks)
        {
            if (Read(s) is { } t)
            {
                result.Add(t);
            }
        }

        result.Sort((a, b) => a.ThreadId.CompareTo(b.ThreadId));
        return result;
    }

    /// <summary>
    /// Copies another thread's stack without stopping it: read its version, chain key and depth,
    /// copy the entries, read them again. Entries are only written after a version bump, so equal
    /// reads mean no entry below the depth changed during the copy (a pop alone changes the depth;
    /// coming back to the same depth and key through pushes changes the version): the copy is one
    /// state the stack was in. The writer's order is guaranteed by x64's store order (and by the
    /// volatile writes for the JIT); on weakly ordered CPUs a copy marked exact is best effort. A
    /// thread blocked on a lock does not change its stack, so its copy is always exact.
    /// </summary>
    private static ThreadHeldLocks? Read(HeldStack s)
    {
        HeldLockInfo[]? last = null;
        for (var attempt = 0; attempt < ReadAttempts; attempt++)
        {
            var version = Volatile.Read(ref s.Version);
            var key = Volatile.Read(ref s.ChainKey);
            var depth = Volatile.Read(ref s.Depth);
            var entries = Volatile.Read(ref s.Entries);
            if (depth <= 0)
            {
                return null;
            }

            depth = Math.Min(depth, entries.Length);
            var copy = new HeldLockInfo[depth];
            var torn = false;
            for (var i = 0; i < depth; i++)
            {
                var e = entries[i];
                if (e.Map is null)
                {
                    torn = true; // cleared by a release in progress
                    break;
                }

                copy[i] = new HeldLockInfo(e.Class.DisplayName, e.Read == ReadKind.Exclusive ? LockMode.Write : LockMode.Read,
                    e.Trylock, e.File ?? string.Empty, e.Line);
            }

            if (!torn)
            {
                last = copy;
                Interlocked.MemoryBarrier();
                if (Volatile.Read(ref s.Version) == version && Volatile.Read(ref s.ChainKey) == key &&
                    Volatile.Read(ref s.Depth) == depth && ReferenceEquals(Volatile.Read(ref s.Entries), entries))
                {
                    return new ThreadHeldLocks(s.ThreadId, s.ThreadName, copy, Exact: true);
                }
            }

            Thread.Yield();
        }

        return last is null ? null : new ThreadHeldLocks(s.ThreadId, s.ThreadName, last, Exact: false);
    }
}
