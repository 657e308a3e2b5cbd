using System;
using Microsoft.CodeAnalysis;
using XeLocked.Analyzers.Resolution;

namespace XeLocked.Analyzers.Dataflow
{
    /// <summary>
    /// One lock instance held at a program point: which (access path and kind), in which mode,
    /// how it was acquired and where. Immutable; equality ignores the acquisition site so that
    /// states reached along different paths compare equal.
    /// </summary>
    internal sealed class HeldLock : IEquatable<HeldLock>
    {
        public HeldLock(AccessPath path, LockFlavor flavor, HeldMode mode, HoldKind kind, Location? acquiredAt,
            bool uncertain = false, bool upgraded = false, int depth = 1, SyntaxNode? scope = null)
        {
            Depth = depth;
            Scope = scope;
            Path = path;
            Flavor = flavor;
            Mode = mode;
            Kind = kind;
            AcquiredAt = acquiredAt;
            Uncertain = uncertain;
            Upgraded = upgraded;
        }

        public AccessPath Path { get; }

        public LockFlavor Flavor { get; }

        public HeldMode Mode { get; }

        public HoldKind Kind { get; }

        /// <summary>The acquiring expression, or null for a lock held on entry.</summary>
        public Location? AcquiredAt { get; }

        /// <summary>
        /// Held on some paths into a join and not on others (already reported as XL0008): it does
        /// not count as held, and releasing it is not reported again.
        /// </summary>
        public bool Uncertain { get; }

        /// <summary>A write hold obtained from an upgradeable read hold; releasing it returns to upgradeable read.</summary>
        public bool Upgraded { get; }

        /// <summary>
        /// For a <c>lock</c> statement the graph does not lower (see <see cref="TransferFunction"/>):
        /// the statement body; the lock is released when control leaves it.
        /// </summary>
        public SyntaxNode? Scope { get; }

        /// <summary>How many times this thread holds it (1, or 2 meaning "more than once"; re-acquiring is XL0006).</summary>
        public int Depth { get; }

        /// <summary>The lock class for order checks (the lock field or property), or null.</summary>
        public ISymbol? LockClass => Path.LastMember;

        public HeldLock WithMode(HeldMode mode, bool upgraded) => new HeldLock(Path, Flavor, mode, Kind, AcquiredAt, Uncertain, upgraded, Depth, Scope);

        public HeldLock WithDepth(int depth) => new HeldLock(Path, Flavor, Mode, Kind, AcquiredAt, Uncertain, Upgraded, System.Math.Min(depth, 2), Scope);

        public HeldLock AsUncertain() => Uncertain ? this : new HeldLock(Path, Flavor, Mode, Kind, AcquiredAt, true, Upgraded, Depth, Scope);

        public bool Equals(HeldLock? other) =>
            other is not null && Path.Equals(other.Path) && Mode == other.Mode && Kind == other.Kind &&
            Uncertain == other.Uncertain && Upgraded == other.Upgraded && Depth == other.Depth && ReferenceEquals(Scope, other.Scope);

        public override bool Equals(object? obj) => Equals(obj as HeldLock);

        public override int GetHashCode() => Path.GetHashCode() ^ ((int)Mode << 4) ^ ((int)Kind << 8) ^ (Uncertain ? 1 << 12 : 0);

        /// <summary>The lock as in messages: <c>vm.Lock</c> (read).</summary>
        public override string ToString() => Path.ToString();
    }
}
