using System;

namespace XeLocked.Annotations
{
    /// <summary>
    /// Declares which locks protect a field or property. Reading the member needs the lock
    /// expression held, with every reader-writer lock in it in at least read mode; writing it needs
    /// every reader-writer lock in it in write mode. <see cref="Read"/> and <see cref="Write"/>
    /// override the requirement for one direction, and <see cref="Lockless"/> lets marked lockless reads
    /// or atomic (<c>Interlocked</c>) accesses through without the lock.
    /// </summary>
    /// <remarks>
    /// Paths start at a member of the containing instance (<c>Lock</c>, <c>Owner.Lock</c>,
    /// <c>this.Lock</c>) or name a static member (<c>Type.Member</c>). The grammar (docs/rules/XL0010.md):
    /// <c>|</c> separates alternatives, <c>&amp;</c> joins locks that are all needed, and
    /// <c>:read</c>/<c>:write</c> give a reader-writer lock's mode.
    /// </remarks>
    /// <example>
    /// <code>
    /// sealed class Vma
    /// {
    ///     public readonly TrackedMutex FaultLock = new("Vma.FaultLock");
    ///     public readonly Vm Vm;
    ///
    ///     // Reading: vm.Lock in write mode, or vm.Lock in read mode plus FaultLock.
    ///     [GuardedBy("Vm.Lock:write | (Vm.Lock:read &amp; FaultLock)")]
    ///     public ulong NotifierSeq;
    ///
    ///     // Readable under either, writable only under the write lock.
    ///     [GuardedBy("Vm.Lock", Write = "Vm.Lock:write")]
    ///     public ulong Flags;
    /// }
    /// </code>
    /// </example>
    [AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
    public sealed class GuardedByAttribute : Attribute
    {
        /// <summary>Creates the attribute from a lock expression that guards both reads and writes.</summary>
        /// <param name="expression">The lock expression (a lock expression: the grammar is on the XL0010 rule page, docs/rules/XL0010.md).</param>
        public GuardedByAttribute(string expression)
        {
            Expression = expression;
        }

        /// <summary>The lock expression given to the constructor.</summary>
        public string Expression { get; }

        /// <summary>When set, the lock expression that a read needs instead of <see cref="Expression"/>.</summary>
        public string? Read { get; set; }

        /// <summary>When set, the lock expression that a write needs instead of <see cref="Expression"/>.</summary>
        public string? Write { get; set; }

        /// <summary>
        /// The accesses that may be made without the lock (default <see cref="LocklessAccess.None"/>):
        /// <see cref="LocklessAccess.Reads"/> for marked lockless reads (a plain read of a <c>volatile</c>
        /// field, <c>Volatile.Read</c>, <c>Interlocked.Read</c>), <see cref="LocklessAccess.Atomics"/> for
        /// <c>Interlocked.*</c> on the field. Every other access, and every plain write, still needs the lock.
        /// </summary>
        /// <example>
        /// <code>
        /// sealed class Registry
        /// {
        ///     private readonly object _lock = new();
        ///
        ///     // Written under _lock, read without it: double-checked locking.
        ///     [GuardedBy("_lock", Lockless = LocklessAccess.Reads)]
        ///     private volatile Table? _table;
        ///
        ///     public Table Table
        ///     {
        ///         get
        ///         {
        ///             if (_table == null)              // lockless read of a volatile field
        ///             {
        ///                 lock (_lock)
        ///                 {
        ///                     if (_table == null)
        ///                     {
        ///                         _table = Table.Load(); // the write holds _lock
        ///                     }
        ///                 }
        ///             }
        ///
        ///             return _table;
        ///         }
        ///     }
        ///
        ///     // Counted with Interlocked anywhere; reset (a plain write) only under _lock.
        ///     [GuardedBy("_lock", Lockless = LocklessAccess.Reads | LocklessAccess.Atomics)]
        ///     private long _lookups;
        ///
        ///     public void Count() => Interlocked.Increment(ref _lookups);
        ///     public long Lookups => Volatile.Read(ref _lookups);
        ///     public void Reset() { lock (_lock) { _lookups = 0; } }
        /// }
        /// </code>
        /// </example>
        public LocklessAccess Lockless { get; set; }
    }
}
