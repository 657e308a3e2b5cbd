using System.Collections.Immutable;

namespace XeLocked.Analyzers.Contracts
{
    /// <summary>
    /// <c>[GuardedBy(…, Lockless = …)]</c>: the accesses a guarded member allows without its lock.
    /// The values are those of <c>XeLocked.Annotations.LocklessAccess</c>.
    /// </summary>
    [System.Flags]
    internal enum LocklessAccess
    {
        None = 0,

        /// <summary>Marked lockless reads.</summary>
        Reads = 1,

        /// <summary><c>Interlocked.*</c> on the field.</summary>
        Atomics = 2,
    }

    /// <summary>
    /// The resolved <c>[GuardedBy]</c> of a field or property: what reading and what writing it
    /// requires. A reader-writer lock without a mode is needed in read mode for reads and in write
    /// mode for writes. Paths are relative to the member's containing instance (root <c>this</c>) or static.
    /// </summary>
    internal sealed class GuardContract
    {
        public GuardContract(ResolvedExpression? read, ResolvedExpression? write, ImmutableArray<ContractProblem> problems, LocklessAccess lockless = LocklessAccess.None)
        {
            Lockless = lockless;
            Read = read;
            Write = write;
            Problems = problems;
        }

        /// <summary>What a read requires, or null when the expression is invalid.</summary>
        public ResolvedExpression? Read { get; }

        /// <summary>What a write requires, or null when the expression is invalid.</summary>
        public ResolvedExpression? Write { get; }

        public ImmutableArray<ContractProblem> Problems { get; }

        /// <summary>The accesses the member allows without the lock (<c>Lockless = …</c>).</summary>
        public LocklessAccess Lockless { get; }

        /// <summary>Marked reads (a plain read of a <c>volatile</c> field, <c>Volatile.Read</c>, <c>Interlocked.Read</c>) need no lock.</summary>
        public bool LocklessReads => (Lockless & LocklessAccess.Reads) != 0;

        /// <summary><c>Interlocked.*</c> on the field needs no lock.</summary>
        public bool LocklessAtomics => (Lockless & LocklessAccess.Atomics) != 0;
    }
}
