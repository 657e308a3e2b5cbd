using System;

namespace XeLocked.Annotations
{
    /// <summary>
    /// Marks a guard type: when a method marked <see cref="AcquiresAttribute"/> returns it, disposing
    /// the guard releases what that method acquired. <c>using var g = m.Guard();</c> holds
    /// <c>m</c> to the end of the scope, on every exit path.
    /// </summary>
    /// <example>
    /// <code>
    /// [ScopedLock]
    /// public readonly struct MutexGuard : IDisposable { ... }
    ///
    /// using (range.Lock.Guard()) { range.Removed = true; }
    /// </code>
    /// </example>
    [AttributeUsage(AttributeTargets.Struct | AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
    public sealed class ScopedLockAttribute : Attribute
    {
    }
}
