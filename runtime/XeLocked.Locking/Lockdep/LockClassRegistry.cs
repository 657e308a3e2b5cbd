using System.Collections.Concurrent;

namespace XeLocked.Locking;

/// <summary>
/// Registers lock classes lazily on first acquisition (lockdep's <c>register_lock_class</c>),
/// keyed by (name, subclass). Lookups are lock-free; a primitive caches its class in its
/// <see cref="LockdepMap"/> so the registry is consulted once per instance and subclass.
/// </summary>
internal static class LockClassRegistry
{
    private static readonly ConcurrentDictionary<(string Name, int Subclass), LockClass> s_classes = new();
    private static int s_nextId;

    /// <summary>Number of classes registered so far.</summary>
    public static int Count => s_classes.Count;

    /// <summary>The class for (<paramref name="name"/>, <paramref name="subclass"/>), registered if new.</summary>
    public static LockClass Get(string name, int subclass)
    {
        if (s_classes.TryGetValue((name, subclass), out var c))
        {
            return c;
        }

        return s_classes.GetOrAdd((name, subclass), static k => new LockClass(Interlocked.Increment(ref s_nextId), k.Name, k.Subclass));
    }

    /// <summary>A snapshot of every class.</summary>
    public static LockClass[] Snapshot() => s_classes.Values.ToArray();
}
