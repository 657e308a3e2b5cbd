using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace XeLocked.Analyzers.WholeProgram
{
    /// <summary>
    /// Drops the class-level cycles that cannot close between instances, a step on the cycles
    /// <see cref="CycleFinder"/> found. A cycle whose every edge has a known depth delta ≥ 0 (zero,
    /// positive or non-negative: <see cref="AcquisitionEdge.Delta"/>) and at least one positive delta
    /// would need an object below itself in an <c>[InnerLocks]</c> tree: each thread goes down the
    /// tree, outer before inner, and the cycle is not an instance cycle. Every other cycle is kept.
    /// For each dropped cycle, every edge of it whose delta is not positive is searched again for a
    /// way back that avoids positive edges (<see cref="CycleFinder"/> keeps the shortest way back
    /// only, which may have gone through one), so a cycle of same-object nestings is still reported.
    /// </summary>
    internal static class InstanceCycles
    {
        /// <summary>The cycles of <paramref name="found"/> that may close between instances, plus the ones found again without positive edges.</summary>
        public static List<List<AcquisitionEdge>> Filter(AcquisitionGraph graph, List<List<AcquisitionEdge>> found, CancellationToken ct)
        {
            var result = new List<List<AcquisitionEdge>>();
            var seen = new HashSet<string>(System.StringComparer.Ordinal);
            var dropped = new List<List<AcquisitionEdge>>();
            foreach (var cycle in found)
            {
                if (GoesDown(cycle))
                {
                    dropped.Add(cycle);
                }
                else if (seen.Add(CycleFinder.Key(graph, cycle)))
                {
                    result.Add(cycle);
                }
            }

            foreach (var cycle in dropped)
            {
                foreach (var edge in cycle.Where(e => e.Delta != LockDepth.Positive))
                {
                    ct.ThrowIfCancellationRequested();
                    if (WayBackAvoidingPositive(graph, edge) is List<AcquisitionEdge> back)
                    {
                        var again = new List<AcquisitionEdge> { edge };
                        again.AddRange(back);
                        again = CycleFinder.Rotate(graph, again);
                        if (seen.Add(CycleFinder.Key(graph, again)))
                        {
                            result.Add(again);
                        }
                    }
                }
            }

            return result;
        }

        /// <summary>Every delta known and ≥ 0, one of them positive: the cycle cannot close between instances.</summary>
        public static bool GoesDown(List<AcquisitionEdge> cycle) =>
            cycle.All(e => e.Delta != LockDepth.Unknown) && cycle.Any(e => e.Delta == LockDepth.Positive);

        /// <summary>The shortest way from the edge's acquired class back to its held class over edges whose delta is not positive.</summary>
        private static List<AcquisitionEdge>? WayBackAvoidingPositive(AcquisitionGraph graph, AcquisitionEdge edge)
        {
            var previous = new Dictionary<ISymbol, AcquisitionEdge>(SymbolEqualityComparer.Default);
            var visited = new HashSet<ISymbol>(SymbolEqualityComparer.Default) { edge.Inner };
            var queue = new Queue<ISymbol>();
            queue.Enqueue(edge.Inner);
            while (queue.Count > 0)
            {
                var n = queue.Dequeue();
                if (SymbolEqualityComparer.Default.Equals(n, edge.Outer))
                {
                    var path = new List<AcquisitionEdge>();
                    for (var at = edge.Outer; !SymbolEqualityComparer.Default.Equals(at, edge.Inner); at = previous[at].Outer)
                    {
                        path.Add(previous[at]);
                    }

                    path.Reverse();
                    return path;
                }

                foreach (var e in graph.Out(n))
                {
                    if (e.Delta != LockDepth.Positive && visited.Add(e.Inner))
                    {
                        previous[e.Inner] = e;
                        queue.Enqueue(e.Inner);
                    }
                }
            }

            return null;
        }
    }
}
