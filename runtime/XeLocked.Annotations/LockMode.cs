namespace XeLocked.Annotations
{
    /// <summary>
    /// The mode a reader-writer lock is held or required in. Shared by the analyzer
    /// (the <c>:read</c> / <c>:write</c> suffix of a lock expression) and the run-time tracker
    /// (<c>Lockdep.IsHeldType(x, LockMode.Read)</c>).
    /// </summary>
    /// <example>
    /// <code>
    /// [Requires("vm.Lock:read")]   // LockMode.Read: held in read or write mode
    /// [Requires("vm.Lock:write")]  // LockMode.Write: held in write mode
    /// </code>
    /// </example>
    public enum LockMode
    {
        /// <summary>Shared mode. As a requirement it is satisfied by a read or a write hold.</summary>
        Read = 0,

        /// <summary>Exclusive mode. An exclusive lock that is held counts as held in this mode.</summary>
        Write = 1,
    }
}
