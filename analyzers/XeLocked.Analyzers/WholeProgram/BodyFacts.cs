using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace XeLocked.Analyzers.WholeProgram
{
    /// <summary>
    /// What one analyzed body contributes to the whole-program acquisition graph: the lock classes
    /// it acquires itself (its direct summary), the nestings it performs ("B acquired while A
    /// held", directly or through a callee's <c>[Acquires]</c>), and the calls into this
    /// compilation it makes with locks held. Built by one callback, then only read.
    /// </summary>
    internal sealed class BodyFacts
    {
        public BodyFacts(IMethodSymbol method) => Method = method;

        /// <summary>The body's method (canonical: see <see cref="Witness.Canonical"/>).</summary>
        public IMethodSymbol Method { get; }

        /// <summary>Lock class → the lexically first place this body acquires it.</summary>
        public Dictionary<ISymbol, Location> Acquires { get; } = new Dictionary<ISymbol, Location>(SymbolEqualityComparer.Default);

        /// <summary>Lock class → where this body's acquisitions of it are relative to <c>this</c> (joined).</summary>
        public Dictionary<ISymbol, Anchor> AcquireAnchors { get; } = new Dictionary<ISymbol, Anchor>(SymbolEqualityComparer.Default);

        /// <summary>
        /// The lock classes of which the body acquires an instance while holding another instance
        /// (XL0006's second form): what a <c>[NoLockEdge]</c> naming one class twice applies to.
        /// </summary>
        public HashSet<ISymbol> SameClassNestings { get; } = new HashSet<ISymbol>(SymbolEqualityComparer.Default);

        /// <summary>
        /// (outer class, inner class) → the lexically first acquisition nesting them (inner acquired while outer held),
        /// and the join of their depth deltas.
        /// </summary>
        public Dictionary<(ISymbol Outer, ISymbol Inner), (Location At, LockDepth Delta)> Nestings { get; } =
            new Dictionary<(ISymbol, ISymbol), (Location, LockDepth)>(ClassPairComparer.Instance);

        /// <summary>Calls into this compilation with locks held: the held classes, the callee, the call site.</summary>
        public List<HeldCall> HeldCalls { get; } = new List<HeldCall>();

        /// <summary>The (outer class, inner class) nestings this body declares false with <c>[NoLockEdge]</c>: not edges of the graph.</summary>
        public List<EdgeExemption> Exempt { get; } = new List<EdgeExemption>();

        /// <summary>The <c>[NoLockEdge]</c> that removes "<paramref name="inner"/> while <paramref name="outer"/>" from this body, if any.</summary>
        public EdgeExemption? FindExempt(ISymbol outer, ISymbol inner)
        {
            foreach (var e in Exempt)
            {
                if (SymbolEqualityComparer.Default.Equals(e.Outer, outer) && SymbolEqualityComparer.Default.Equals(e.Inner, inner))
                {
                    return e;
                }
            }

            return null;
        }

        public void AddAcquire(ISymbol lockClass, Location at, Anchor anchor)
        {
            if (!Acquires.TryGetValue(lockClass, out var old) || Witness.Before(at, old))
            {
                Acquires[lockClass] = at;
            }

            AcquireAnchors[lockClass] = AcquireAnchors.TryGetValue(lockClass, out var known) ? Anchor.Join(known, anchor) : anchor;
        }

        /// <summary>
        /// Records "<paramref name="inner"/> acquired while <paramref name="outer"/> held" at <paramref name="at"/> with its
        /// depth delta, keeping the lexically first place and joining the deltas.
        /// </summary>
        public void AddNesting(ISymbol outer, ISymbol inner, Location at, LockDepth delta)
        {
            var key = (outer, inner);
            if (!Nestings.TryGetValue(key, out var old))
            {
                Nestings[key] = (at, delta);
            }
            else
            {
                Nestings[key] = (Witness.Before(at, old.At) ? at : old.At, LockDepths.Join(old.Delta, delta));
            }
        }
    }

    /// <summary>A call made with locks held, to a method whose body may acquire more.</summary>
    internal sealed class HeldCall
    {
        public HeldCall(IReadOnlyList<ISymbol> heldClasses, IReadOnlyList<string> heldPaths, IReadOnlyList<LockDepth> receiverDepths,
            CallNode callee, Location site, IReadOnlyCollection<ISymbol>? fresh)
        {
            HeldClasses = heldClasses;
            HeldPaths = heldPaths;
            ReceiverDepths = receiverDepths;
            Callee = callee;
            Site = site;
            Fresh = fresh;
        }

        /// <summary>
        /// For each of <see cref="HeldClasses"/>, the depth of the call's receiver below the object whose
        /// lock of that class is held (<see cref="LockDepth.Zero"/>: the same object; positive: through
        /// <c>[InnerLocks]</c> members of it; unknown otherwise).
        /// </summary>
        public IReadOnlyList<LockDepth> ReceiverDepths { get; }

        /// <summary>The members of a new receiver its construction left fresh (<see cref="Ownership.FreshReceiver"/>), or null.</summary>
        public IReadOnlyCollection<ISymbol>? Fresh { get; }

        public IReadOnlyList<ISymbol> HeldClasses { get; }

        /// <summary>For each of <see cref="HeldClasses"/>, the access path of the first held lock of that class (<c>b.Lock</c>), for messages.</summary>
        public IReadOnlyList<string> HeldPaths { get; }

        /// <summary>
        /// Classes the call acquires by the callee's own contract (<c>[Acquires]</c>): the body's
        /// dataflow already saw those acquisitions at this call (XL0001 in the body, direct nestings here).
        /// </summary>
        public HashSet<ISymbol> ByContract { get; } = new HashSet<ISymbol>(SymbolEqualityComparer.Default);

        /// <summary>The called body, or the dispatch node of a virtual call.</summary>
        public CallNode Callee { get; }

        public Location Site { get; }
    }

    /// <summary>Equality of (outer, inner) lock-class pairs by symbol.</summary>
    internal sealed class ClassPairComparer : IEqualityComparer<(ISymbol Outer, ISymbol Inner)>
    {
        public static readonly ClassPairComparer Instance = new ClassPairComparer();

        public bool Equals((ISymbol Outer, ISymbol Inner) x, (ISymbol Outer, ISymbol Inner) y) =>
            SymbolEqualityComparer.Default.Equals(x.Outer, y.Outer) && SymbolEqualityComparer.Default.Equals(x.Inner, y.Inner);

        public int GetHashCode((ISymbol Outer, ISymbol Inner) obj) =>
            (SymbolEqualityComparer.Default.GetHashCode(obj.Outer) * 397) ^ SymbolEqualityComparer.Default.GetHashCode(obj.Inner);
    }
}
