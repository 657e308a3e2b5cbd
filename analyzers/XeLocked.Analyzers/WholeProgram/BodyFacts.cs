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

        /// <summary>(outer class, inner class) → the lexically first acquisition nesting them (inner acquired while outer held).</summary>
        public Dictionary<(ISymbol Outer, ISymbol Inner), Location> Nestings { get; } = new Dictionary<(ISymbol, ISymbol), Location>(ClassPairComparer.Instance);

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

        public void AddAcquire(ISymbol lockClass, Location at)
        {
            if (!Acquires.TryGetValue(lockClass, out var old) || Witness.Before(at, old))
            {
                Acquires[lockClass] = at;
            }
        }

        /// <summary>Records "<paramref name="inner"/> acquired while <paramref name="outer"/> held" at <paramref name="at"/>, keeping the lexically first place.</summary>
        public void AddNesting(ISymbol outer, ISymbol inner, Location at)
        {
            var key = (outer, inner);
            if (!Nestings.TryGetValue(key, out var old) || Witness.Before(at, old))
            {
                Nestings[key] = at;
            }
        }
    }

    /// <summary>A call made with locks held, to a method whose body may acquire more.</summary>
    internal sealed class HeldCall
    {
        public HeldCall(IReadOnlyList<ISymbol> heldClasses, IReadOnlyList<string> heldPaths, CallNode callee, Location site)
        {
            HeldClasses = heldClasses;
            HeldPaths = heldPaths;
            Callee = callee;
            Site = site;
        }

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
