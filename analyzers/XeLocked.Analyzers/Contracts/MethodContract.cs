using System.Collections.Immutable;

namespace XeLocked.Analyzers.Contracts
{
    /// <summary>
    /// The resolved lock contract of a method, accessor, local function or lambda: what callers
    /// must hold (<c>[Requires]</c>), what it acquires, releases, try-acquires, excludes and asserts.
    /// Paths are relative to the method (root <c>this</c>, a parameter, or static). Invalid
    /// expressions are left out (they are reported as XL0010 on the declaration).
    /// </summary>
    internal sealed class MethodContract
    {
        public static readonly MethodContract Empty = new MethodContract(
            ImmutableArray<ResolvedExpression>.Empty, ImmutableArray<ResolvedFactor>.Empty, ImmutableArray<ResolvedFactor>.Empty,
            ImmutableArray<TryAcquireFactor>.Empty, ImmutableArray<ResolvedFactor>.Empty, ImmutableArray<ResolvedFactor>.Empty,
            skipBody: false, ImmutableArray<ContractProblem>.Empty, ImmutableArray<ResolvedExpression>.Empty);

        public MethodContract(
            ImmutableArray<ResolvedExpression> requires,
            ImmutableArray<ResolvedFactor> acquires,
            ImmutableArray<ResolvedFactor> releases,
            ImmutableArray<TryAcquireFactor> tryAcquires,
            ImmutableArray<ResolvedFactor> excludes,
            ImmutableArray<ResolvedFactor> assertsHeld,
            bool skipBody,
            ImmutableArray<ContractProblem> problems,
            ImmutableArray<ResolvedExpression> assertedDisjunctions,
            string? inferredFrom = null)
        {
            InferredFrom = inferredFrom;
            AssertedDisjunctions = assertedDisjunctions;
            Requires = requires;
            Acquires = acquires;
            Releases = releases;
            TryAcquires = tryAcquires;
            Excludes = excludes;
            AssertsHeld = assertsHeld;
            SkipBody = skipBody;
            Problems = problems;
        }

        /// <summary>Every <c>[Requires]</c> (all apply; each may have alternatives).</summary>
        public ImmutableArray<ResolvedExpression> Requires { get; }

        public ImmutableArray<ResolvedFactor> Acquires { get; }

        public ImmutableArray<ResolvedFactor> Releases { get; }

        public ImmutableArray<TryAcquireFactor> TryAcquires { get; }

        public ImmutableArray<ResolvedFactor> Excludes { get; }

        public ImmutableArray<ResolvedFactor> AssertsHeld { get; }

        /// <summary><c>[AssertsHeld]</c> expressions with alternatives: one of them holds after the call.</summary>
        public ImmutableArray<ResolvedExpression> AssertedDisjunctions { get; }

        /// <summary><c>[NoLockAnalysis]</c>: the body is not analyzed (the contract still applies to callers).</summary>
        public bool SkipBody { get; }

        /// <summary>XL0010/XL0005 problems found while resolving the contract.</summary>
        public ImmutableArray<ContractProblem> Problems { get; }

        /// <summary>
        /// Not declared: inferred from the body of a contract-less wrapper method (by the dataflow
        /// layer's <c>InferredContractStore</c>); the text says what in the body it was inferred from.
        /// Null for a declared contract.
        /// </summary>
        public string? InferredFrom { get; }

        /// <summary>True when a call to the method changes or checks the held locks.</summary>
        public bool AffectsCallers =>
            !Requires.IsEmpty || !Acquires.IsEmpty || !Releases.IsEmpty || !TryAcquires.IsEmpty || !Excludes.IsEmpty || !AssertsHeld.IsEmpty || !AssertedDisjunctions.IsEmpty;
    }

    /// <summary>A lock a method acquires exactly when it returns <see cref="Success"/>.</summary>
    internal sealed class TryAcquireFactor
    {
        public TryAcquireFactor(bool success, ResolvedFactor factor)
        {
            Success = success;
            Factor = factor;
        }

        public bool Success { get; }

        public ResolvedFactor Factor { get; }
    }
}
