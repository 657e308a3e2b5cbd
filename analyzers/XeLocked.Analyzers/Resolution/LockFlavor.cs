namespace XeLocked.Analyzers.Resolution
{
    /// <summary>What kind of lock a type is, as far as the analyzer is concerned.</summary>
    internal enum LockFlavor
    {
        /// <summary>Not a lock: a value type (other than a <c>[LockPrimitive]</c> struct) or an unresolved path.</summary>
        None = 0,

        /// <summary>A plain reference type used as a monitor (<c>lock (_sync)</c>): exclusive.</summary>
        Monitor,

        /// <summary><c>System.Threading.Lock</c>: exclusive.</summary>
        ThreadingLock,

        /// <summary><c>System.Threading.ReaderWriterLockSlim</c>: reader-writer.</summary>
        ReaderWriterLockSlim,

        /// <summary>A <c>[LockPrimitive(LockKind.Exclusive)]</c> type.</summary>
        PrimitiveExclusive,

        /// <summary>A <c>[LockPrimitive(LockKind.ReaderWriter)]</c> type.</summary>
        PrimitiveReaderWriter,

        /// <summary>
        /// <c>System.Threading.SemaphoreSlim</c> used as a lock (binary, or named by an annotation):
        /// exclusive, not owned by a thread, async-aware.
        /// </summary>
        SemaphoreSlim,

        /// <summary>
        /// An interface, type parameter or abstract base whose concrete lock kind is unknown
        /// (e.g. <c>ITrackedLock</c>): modes are accepted and not required.
        /// </summary>
        Opaque,
    }

    /// <summary>Helpers over <see cref="LockFlavor"/>.</summary>
    internal static class LockFlavorExtensions
    {
        public static bool IsLock(this LockFlavor flavor) => flavor != LockFlavor.None;

        public static bool IsReaderWriter(this LockFlavor flavor) =>
            flavor == LockFlavor.ReaderWriterLockSlim || flavor == LockFlavor.PrimitiveReaderWriter;

        public static bool IsExclusive(this LockFlavor flavor) =>
            flavor == LockFlavor.Monitor || flavor == LockFlavor.ThreadingLock || flavor == LockFlavor.PrimitiveExclusive ||
            flavor == LockFlavor.SemaphoreSlim;
    }
}
