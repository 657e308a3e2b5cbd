using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace XeLocked.Analyzers.WholeProgram
{
    /// <summary>
    /// Where a lock (or a call's receiver) is, relative to the object a method runs on: the first
    /// members of <c>this</c> through which it is reached (<see cref="Fields"/>; empty for <c>this</c>
    /// itself; default when it is not reached from <c>this</c> at all: a static, a parameter, another
    /// object) and its <see cref="LockDepth"/> (how many <c>[InnerLocks]</c> links away it is).
    /// Summaries keep one anchor per lock class, so that a call on an object can say which of the
    /// callee's acquisitions are on that object's own graph (see <see cref="AcquisitionSummaries"/>).
    /// </summary>
    internal readonly struct Anchor : IEquatable<Anchor>
    {
        /// <summary>More first members than this: treated as not reached from <c>this</c> (keeps summaries small).</summary>
        private const int MaxFields = 4;

        public Anchor(ImmutableArray<ISymbol> fields, LockDepth depth)
        {
            Fields = fields;
            Depth = fields.IsDefault ? LockDepth.Unknown : depth;
        }

        /// <summary>Not reached from <c>this</c>: a static, a parameter, a local, a call result.</summary>
        public static Anchor Elsewhere { get; } = new Anchor(default, LockDepth.Unknown);

        /// <summary><c>this</c> itself (a receiver), or a lock member of <c>this</c> reached through no member: <c>lock (this)</c>.</summary>
        public static Anchor Self { get; } = new Anchor(ImmutableArray<ISymbol>.Empty, LockDepth.Zero);

        /// <summary>The members of <c>this</c> the lock is reached through first (original definitions); default: not through <c>this</c>.</summary>
        public ImmutableArray<ISymbol> Fields { get; }

        public LockDepth Depth { get; }

        /// <summary>Reached from <c>this</c>.</summary>
        public bool IsRelative => !Fields.IsDefault;

        /// <summary>Reached through <paramref name="first"/> (a member of <c>this</c>) at <paramref name="depth"/>.</summary>
        public static Anchor Through(ISymbol first, LockDepth depth) => new Anchor(ImmutableArray.Create(first.OriginalDefinition), depth);

        /// <summary>Either anchor: the union of the members, the join of the depths.</summary>
        public static Anchor Join(Anchor a, Anchor b)
        {
            if (!a.IsRelative || !b.IsRelative)
            {
                return Elsewhere;
            }

            var fields = a.Fields;
            foreach (var f in b.Fields)
            {
                if (!fields.Contains(f, SymbolEqualityComparer.Default))
                {
                    fields = fields.Add(f);
                }
            }

            return fields.Length > MaxFields ? Elsewhere : new Anchor(fields, LockDepths.Join(a.Depth, b.Depth));
        }

        /// <summary>
        /// An acquisition at <paramref name="callee"/> (relative to the callee's <c>this</c>) seen from the
        /// caller, when the call's receiver is at this anchor (relative to the caller's <c>this</c>).
        /// </summary>
        public Anchor Then(Anchor callee)
        {
            if (!IsRelative || !callee.IsRelative)
            {
                return Elsewhere;
            }

            return new Anchor(Fields.IsEmpty ? callee.Fields : Fields, LockDepths.Add(Depth, callee.Depth));
        }

        public bool Equals(Anchor other) =>
            Depth == other.Depth && Fields.IsDefault == other.Fields.IsDefault &&
            (Fields.IsDefault || (Fields.Length == other.Fields.Length && Fields.All(f => other.Fields.Contains(f, SymbolEqualityComparer.Default))));

        public override bool Equals(object? obj) => obj is Anchor other && Equals(other);

        public override int GetHashCode() => ((int)Depth * 31) + (Fields.IsDefault ? -1 : Fields.Length);
    }
}
