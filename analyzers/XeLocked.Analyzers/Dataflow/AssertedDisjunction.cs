using System;
using System.Collections.Immutable;
using System.Linq;

namespace XeLocked.Analyzers.Dataflow
{
    /// <summary>
    /// A disjunction asserted by a call to an <c>[AssertsHeld("a | (b &amp; c)")]</c> method: one of
    /// the alternatives is held, the analysis does not know which. A requirement is satisfied when
    /// it holds under every alternative. Immutable, with value equality.
    /// </summary>
    internal sealed class AssertedDisjunction : IEquatable<AssertedDisjunction>
    {
        public AssertedDisjunction(ImmutableArray<ImmutableArray<HeldLock>> alternatives) => Alternatives = alternatives;

        public ImmutableArray<ImmutableArray<HeldLock>> Alternatives { get; }

        public bool Equals(AssertedDisjunction? other) =>
            other is not null && other.Alternatives.Length == Alternatives.Length &&
            Alternatives.Zip(other.Alternatives, (a, b) => a.SequenceEqual(b)).All(x => x);

        public override bool Equals(object? obj) => Equals(obj as AssertedDisjunction);

        public override int GetHashCode() => Alternatives.Length;
    }
}
