namespace XeLocked.Analyzers.Dataflow
{
    /// <summary>The mode a lock is held in.</summary>
    internal enum HeldMode
    {
        /// <summary>An exclusive lock (monitor, <c>Lock</c>, exclusive primitive).</summary>
        Exclusive,

        /// <summary>A reader-writer lock in read (shared) mode.</summary>
        Read,

        /// <summary><c>ReaderWriterLockSlim</c>'s upgradeable read mode (a read hold that may become a write hold).</summary>
        UpgradeableRead,

        /// <summary>A reader-writer lock in write mode.</summary>
        Write,

        /// <summary>Held in a mode the analysis does not know (an any-mode assertion): satisfies any requirement.</summary>
        Unknown,

        /// <summary>
        /// A reader-writer lock held in read or write mode, not known which: the entry of a method
        /// declared <c>[Releases("rw:read | rw:write")]</c> ("releases it in whatever mode it is held"),
        /// and the mode of such a release at its call sites. It satisfies read requirements, not write
        /// ones, and may be released in either mode.
        /// </summary>
        ReadOrWrite,
    }

    /// <summary>How a held lock came to be held, which decides what the exit checks expect of it.</summary>
    internal enum HoldKind
    {
        /// <summary>Acquired in the body by an explicit call (<c>Lock()</c>, <c>Monitor.Enter</c>, a callee's <c>[Acquires]</c>).</summary>
        Explicit,

        /// <summary>Acquired in the body through a guard (<c>using</c>, <c>lock</c>): released when the guard is disposed.</summary>
        Scoped,

        /// <summary>Held on entry because of the method's own <c>[Requires]</c>/<c>[Releases]</c>.</summary>
        Contract,

        /// <summary>Known to be held because of an assertion (<c>[AssertsHeld]</c>, <c>Lockdep.AssertHeld</c>): not a leak at exit.</summary>
        Asserted,
    }

    /// <summary>Helpers over <see cref="HeldMode"/>.</summary>
    internal static class HeldModeExtensions
    {
        /// <summary>True when the hold may be a read hold only (it does not satisfy a write requirement).</summary>
        public static bool MayBeReadOnly(this HeldMode mode) => mode == HeldMode.Read || mode == HeldMode.UpgradeableRead || mode == HeldMode.ReadOrWrite;

        /// <summary>True when a release in <paramref name="mode"/> (or of a hold in it) is released in whatever mode the lock is held.</summary>
        public static bool IsModeAgnostic(this HeldMode mode) => mode == HeldMode.Unknown || mode == HeldMode.ReadOrWrite;

        public static string Describe(this HeldMode mode) => mode switch
        {
            HeldMode.Read => "read",
            HeldMode.UpgradeableRead => "upgradeable read",
            HeldMode.Write => "write",
            HeldMode.Exclusive => "exclusive",
            HeldMode.ReadOrWrite => "read-or-write",
            _ => "unknown",
        };
    }
}
