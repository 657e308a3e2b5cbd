namespace XeLocked.Annotations
{
    /// <summary>
    /// The kind of a lock type declared with <see cref="LockPrimitiveAttribute"/>.
    /// </summary>
    /// <example>
    /// <code>
    /// [LockPrimitive(LockKind.ReaderWriter)]
    /// public sealed class MyRwLock { ... }
    /// </code>
    /// </example>
    public enum LockKind
    {
        /// <summary>One holder at a time (a mutex, a spinlock, a monitor). Lock expressions must not put a mode on it.</summary>
        Exclusive = 0,

        /// <summary>Many readers or one writer (a reader-writer semaphore). Lock expressions name it with <c>:read</c> or <c>:write</c>.</summary>
        ReaderWriter = 1,
    }
}
