using System.Collections.Immutable;

namespace XeLocked.Analyzers.Contracts
{
    /// <summary>
    /// The resolved <c>[GuardedBy]</c> of a field or property: what reading and what writing it
    /// requires. A reader-writer lock without a mode is needed in read mode for reads and in write
    /// mode for writes. Paths are relative to the member's containing instance (root <c>this</c>) or static.
    /// </summary>
    internal sealed class GuardContract
    {
        public GuardContract(ResolvedExpression? read, ResolvedExpression? write, ImmutableArray<ContractProblem> problems)
        {
            Read = read;
            Write = write;
            Problems = problems;
        }

        /// <summary>What a read requires, or null when the expression is invalid.</summary>
        public ResolvedExpression? Read { get; }

        /// <summary>What a write requires, or null when the expression is invalid.</summary>
        public ResolvedExpression? Write { get; }

        public ImmutableArray<ContractProblem> Problems { get; }
    }
}
