namespace XeLocked.LockExpressions
{
    /// <summary>The mode suffix written on a factor of a lock expression.</summary>
    public enum LockModeSpec
    {
        /// <summary>No suffix: an exclusive lock, or a reader-writer lock whose mode the context supplies.</summary>
        None = 0,

        /// <summary><c>:read</c>: held in read or write mode.</summary>
        Read = 1,

        /// <summary><c>:write</c>: held in write mode.</summary>
        Write = 2,
    }
}
