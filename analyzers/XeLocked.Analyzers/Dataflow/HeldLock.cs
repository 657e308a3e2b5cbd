using System;
using System.Collections.Immutable;
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
            bool uncertain = false, bool upgraded = false, int depth = 1, SyntaxNode? scope = null,
            ImmutableArray<SyntaxNode> innerScopes = default, bool alsoRead = false)
        {
            InnerScopes = innerScopes.IsDefault ? ImmutableArray<SyntaxNode>.Empty : innerScopes;
            AlsoRead = alsoRead;
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

        /// <summary>
        /// The bodies of un-lowered <c>lock</c> statements that re-acquired the lock while it was
        /// already held (outermost first): leaving one gives up one level of the hold.
        /// </summary>
        public ImmutableArray<SyntaxNode> InnerScopes { get; }

        /// <summary>
        /// A <c>ReaderWriterLockSlim</c> upgradeable read hold that also entered read mode (the
        /// upgradeable→read downgrade): releasing the upgradeable read leaves a read hold, releasing
        /// the read leaves the upgradeable read.
        /// </summary>
        public bool AlsoRead { get; }

        /// <summary>How many times this thread holds it (1, or 2 meaning "more than once"; re-acquiring is XL0006).</summary>
        public int Depth { get; }

        /// <summary>The lock class for order checks (the lock field or property), or null.</summary>
        public ISymbol? LockClass => Path.LastMember;

        public HeldLock WithMode(HeldMode mode, bool upgraded, bool alsoRead = false) =>
            new HeldLock(Path, Flavor, mode, Kind, AcquiredAt, Uncertain, upgraded, Depth, Scope, InnerScopes, alsoRead);

        public HeldLock WithDepth(int depth) =>
            new HeldLock(Path, Flavor, Mode, Kind, AcquiredAt, Uncertain, Upgraded, System.Math.Min(depth, 2), Scope, InnerScopes, AlsoRead);

        /// <summary>Re-acquired by an un-lowered <c>lock</c> statement whose body is <paramref name="scope"/>.</summary>
        public HeldLock WithInnerScope(SyntaxNode scope) =>
            new HeldLock(Path, Flavor, Mode, Kind, AcquiredAt, Uncertain, Upgraded, System.Math.Min(Depth + 1, 2), Scope, InnerScopes.Add(scope), AlsoRead);

        /// <summary>The same hold with only the first <paramref name="count"/> inner scopes, one level given up per scope left.</summary>
        public HeldLock WithInnerScopes(int count) =>
            new HeldLock(Path, Flavor, Mode, Kind, AcquiredAt, Uncertain, Upgraded, System.Math.Max(1, Depth - (InnerScopes.Length - count)), Scope,
                InnerScopes.RemoveRange(count, InnerScopes.Length - count), AlsoRead);

        public HeldLock AsUncertain() => Uncertain ? this : new HeldLock(Path, Flavor, Mode, Kind, AcquiredAt, true, Upgraded, Depth, Scope, InnerScopes, AlsoRead);

        public bool Equals(HeldLock? other) =>
            other is not null && Path.Equals(other.Path) && Mode == other.Mode && Kind == other.Kind &&
            Uncertain == other.Uncertain && Upgraded == other.Upgraded && AlsoRead == other.AlsoRead && Depth == other.Depth &&
            ReferenceEquals(Scope, other.Scope) && SameScopes(InnerScopes, other.InnerScopes);

        private static bool SameScopes(ImmutableArray<SyntaxNode> a, ImmutableArray<SyntaxNode> b)
        {
            if (a.Length != b.Length)
            {
                return false;
            }

            for (var i = 0; i < a.Length; i++)
            {
                if (!ReferenceEquals(a[i], b[i]))
                {
                    return false;
                }
            }

            return true;
        }

        public override bool Equals(object? obj) => Equals(obj as HeldLock);

        public override int GetHashCode() => Path.GetHashCode() ^ ((int)Mode << 4) ^ ((int)Kind << 8) ^ (Uncertain ? 1 << 12 : 0);

        /// <summary>The lock as in messages: <c>vm.Lock</c> (read).</summary>
        public override string ToString() => Path.ToString();
    }
}
