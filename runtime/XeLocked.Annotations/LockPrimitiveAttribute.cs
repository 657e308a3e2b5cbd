using System;

namespace XeLocked.Annotations
{
    /// <summary>
    /// Declares a user-defined lock type. Its members carry <see cref="AcquiresAttribute"/>,
    /// <see cref="ReleasesAttribute"/> and <see cref="TryAcquiresAttribute"/> on <c>"this"</c> (with a
    /// mode for a <see cref="LockKind.ReaderWriter"/> lock), and a field or property of this type is
    /// a lock that lock expressions can name.
    /// </summary>
    /// <example>
    /// <code>
    /// [LockPrimitive(LockKind.Exclusive)]
    /// public sealed class TrackedMutex
    /// {
    ///     [Acquires("this")] public void Lock() { ... }
    ///     [TryAcquires(true, "this")] public bool TryLock() { ... }
    ///     [Releases("this")] public void Unlock() { ... }
    /// }
    /// </code>
    /// </example>
    [AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false, Inherited = true)]
    public sealed class LockPrimitiveAttribute : Attribute
    {
        /// <summary>Creates the attribute.</summary>
        /// <param name="kind">Exclusive or reader-writer.</param>
        public LockPrimitiveAttribute(LockKind kind)
        {
            Kind = kind;
        }

        /// <summary>Exclusive or reader-writer.</summary>
        public LockKind Kind { get; }

        /// <summary>
        /// True when holding the lock across an <c>await</c> is safe (it is not bound to a thread,
        /// like <c>SemaphoreSlim</c>). Locks that are not async-aware held across an <c>await</c>
        /// are XL0013.
        /// </summary>
        public bool AsyncAware { get; set; }
    }
}
