using System;

namespace XeLocked.Annotations
{
    /// <summary>
    /// Which accesses of a <see cref="GuardedByAttribute"/> field may be made without its lock
    /// (<see cref="GuardedByAttribute.Lockless"/>). Writes other than the atomic ones always need the
    /// lock; so does every access the value does not name.
    /// </summary>
    /// <example>
    /// <code>
    /// // Double-checked locking: reads are lockless (the field is volatile), writes under _lock.
    /// [GuardedBy("_lock", Lockless = LocklessAccess.Reads)]
    /// private volatile Config? _config;
    ///
    /// // A counter bumped with Interlocked anywhere, reset under the lock, read with Volatile.Read.
    /// [GuardedBy("_lock", Lockless = LocklessAccess.Reads | LocklessAccess.Atomics)]
    /// private long _hits;
    /// </code>
    /// </example>
    [Flags]
    public enum LocklessAccess
    {
        /// <summary>No lockless access: every read and write needs the lock (the default).</summary>
        None = 0,

        /// <summary>
        /// Marked reads need no lock: a plain read of a <c>volatile</c> field, <c>Volatile.Read(ref field)</c>
        /// and <c>Interlocked.Read(ref field)</c> (the kernel's <c>READ_ONCE</c>). A plain read of a field
        /// that is not <c>volatile</c> still needs the lock: declare the field <c>volatile</c> or read it
        /// with <c>Volatile.Read</c>. On a property, every read of the property needs no lock (its getter
        /// is checked on its own). Writes still need the lock.
        /// </summary>
        Reads = 1,

        /// <summary>
        /// <c>Interlocked.*(ref field, …)</c> (<c>Increment</c>, <c>Add</c>, <c>Exchange</c>,
        /// <c>CompareExchange</c>, <c>And</c>, <c>Or</c>, <c>Read</c>, …) is an atomic access that needs
        /// no lock. Plain writes (assignment, <c>++</c>, <c>+=</c>) and <c>Volatile.Write</c> still need it.
        /// </summary>
        Atomics = 2,
    }
}
