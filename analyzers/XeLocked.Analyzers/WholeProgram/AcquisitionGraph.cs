using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace XeLocked.Analyzers.WholeProgram
{
    /// <summary>
    /// The inferred lock-class graph of the compilation: an edge A → B when B is acquired while A
    /// is held somewhere, with the lexically first place it was seen (and, for a nesting through
    /// calls, the chain that explains it). Nodes are lock classes (original definitions of lock
    /// fields and properties), kept in a stable order. Built at compilation end, single-threaded.
    /// </summary>
    internal sealed class AcquisitionGraph
    {
        private readonly Dictionary<ISymbol, Dictionary<ISymbol, AcquisitionEdge>> _out =
            new Dictionary<ISymbol, Dictionary<ISymbol, AcquisitionEdge>>(SymbolEqualityComparer.Default);

        private readonly Dictionary<ISymbol, string> _keys = new Dictionary<ISymbol, string>(SymbolEqualityComparer.Default);

        /// <summary>
        /// Records "<paramref name="inner"/> acquired while <paramref name="outer"/> is held" at <paramref name="at"/>
        /// with the depth delta of that nesting; keeps the first witness and joins the deltas of every way the edge is made.
        /// </summary>
        public void Add(ISymbol outer, ISymbol inner, Location at, string via, LockDepth delta)
        {
            if (SymbolEqualityComparer.Default.Equals(outer, inner))
            {
                return;
            }

            Key(outer);
            Key(inner);
            if (!_out.TryGetValue(outer, out var edges))
            {
                _out[outer] = edges = new Dictionary<ISymbol, AcquisitionEdge>(SymbolEqualityComparer.Default);
            }

            if (!edges.TryGetValue(inner, out var old))
            {
                edges[inner] = new AcquisitionEdge(outer, inner, at, via, delta);
            }
            else if (Better(at, via, old))
            {
                edges[inner] = new AcquisitionEdge(outer, inner, at, via, LockDepths.Join(old.Delta, delta));
            }
            else
            {
                old.Delta = LockDepths.Join(old.Delta, delta);
            }
        }

        /// <summary>The lock classes, in a stable order.</summary>
        public IEnumerable<ISymbol> Nodes => _keys.Keys.OrderBy(k => _keys[k], System.StringComparer.Ordinal);

        /// <summary>The edges leaving <paramref name="node"/>, in a stable order.</summary>
        public IEnumerable<AcquisitionEdge> Out(ISymbol node) =>
            _out.TryGetValue(node, out var edges)
                ? edges.Values.OrderBy(e => _keys[e.Inner], System.StringComparer.Ordinal)
                : Enumerable.Empty<AcquisitionEdge>();

        /// <summary>The stable sort key of a node.</summary>
        public string Key(ISymbol node)
        {
            if (!_keys.TryGetValue(node, out var key))
            {
                _keys[node] = key = Witness.Key(node);
            }

            return key;
        }

        private static bool Better(Location at, string via, AcquisitionEdge old)
        {
            var c = Witness.Compare(at, old.At);
            return c < 0 || (c == 0 && via.Length < old.Via.Length);
        }
    }

    /// <summary>One inferred nesting: <see cref="Inner"/> acquired while <see cref="Outer"/> is held.</summary>
    internal sealed class AcquisitionEdge
    {
        public AcquisitionEdge(ISymbol outer, ISymbol inner, Location at, string via, LockDepth delta)
        {
            Outer = outer;
            Inner = inner;
            At = at;
            Via = via;
            Delta = delta;
        }

        /// <summary>
        /// How deep the inner lock's object is below the outer lock's object, over every way this
        /// nesting is made (<see cref="LockDepth"/>; see <see cref="InstanceCycles"/>).
        /// </summary>
        public LockDepth Delta { get; internal set; }

        /// <summary>The lock class held.</summary>
        public ISymbol Outer { get; }

        /// <summary>The lock class acquired while <see cref="Outer"/> is held.</summary>
        public ISymbol Inner { get; }

        /// <summary>The acquisition, or the call through which it happens.</summary>
        public Location At { get; }

        /// <summary>Empty for a direct acquisition; otherwise " (through f() → g(), which acquires it at File.cs:40)".</summary>
        public string Via { get; }
    }
}
