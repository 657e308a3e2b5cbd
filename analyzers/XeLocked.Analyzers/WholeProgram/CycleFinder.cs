using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using XeLocked.LockExpressions;

namespace XeLocked.Analyzers.WholeProgram
{
    /// <summary>
    /// Finds the cycles of an <see cref="AcquisitionGraph"/> to report: the strongly connected
    /// components (<see cref="StronglyConnected"/>), then within each component, for every edge
    /// u → v in a stable order, the shortest way back from v to u (<see cref="ShortestPath"/>). Each
    /// cycle found is rotated to start at its smallest class and reported once, so every edge on a cycle is covered by at least one report
    /// and the same cycle is never reported twice. Polynomial (each edge one search), unlike listing
    /// every elementary cycle.
    /// </summary>
    internal static class CycleFinder
    {
        public static List<List<AcquisitionEdge>> Find(AcquisitionGraph graph, CancellationToken ct)
        {
            var result = new List<List<AcquisitionEdge>>();
            var seen = new HashSet<string>(System.StringComparer.Ordinal);
            foreach (var component in Components(graph))
            {
                if (component.Count < 2)
                {
                    continue;
                }

                var members = new HashSet<ISymbol>(component, SymbolEqualityComparer.Default);
                foreach (var u in component)
                {
                    foreach (var edge in graph.Out(u).Where(e => members.Contains(e.Inner)))
                    {
                        ct.ThrowIfCancellationRequested();
                        var back = ShortestPathBack(graph, edge.Inner, u, members);
                        if (back == null)
                        {
                            continue;
                        }

                        var cycle = new List<AcquisitionEdge> { edge };
                        cycle.AddRange(back);
                        cycle = Rotate(graph, cycle);
                        if (seen.Add(Key(graph, cycle)))
                        {
                            result.Add(cycle);
                        }
                    }
                }
            }

            return result;
        }

        /// <summary>
        /// Rotates a cycle so that it starts at the edge leaving its smallest class: the one form of
        /// a cycle, whichever edge it was found from (<see cref="InstanceCycles"/> uses it too).
        /// </summary>
        public static List<AcquisitionEdge> Rotate(AcquisitionGraph graph, List<AcquisitionEdge> cycle)
        {
            var start = 0;
            for (var i = 1; i < cycle.Count; i++)
            {
                if (string.CompareOrdinal(graph.Key(cycle[i].Outer), graph.Key(cycle[start].Outer)) < 0)
                {
                    start = i;
                }
            }

            return cycle.Skip(start).Concat(cycle.Take(start)).ToList();
        }

        /// <summary>A rotated cycle's identity: its classes' keys in order, for "reported once".</summary>
        public static string Key(AcquisitionGraph graph, List<AcquisitionEdge> cycle) => string.Join("→", cycle.Select(e => graph.Key(e.Outer)));

        private static List<AcquisitionEdge>? ShortestPathBack(AcquisitionGraph graph, ISymbol from, ISymbol to, HashSet<ISymbol> within) =>
            SymbolEqualityComparer.Default.Equals(from, to)
                ? new List<AcquisitionEdge>()
                : ShortestPath.Find(from, n => SymbolEqualityComparer.Default.Equals(n, to),
                    n => graph.Out(n).Where(e => within.Contains(e.Inner)), e => e.Inner, SymbolEqualityComparer.Default);

        /// <summary>The strongly connected components, each sorted by class key.</summary>
        private static List<List<ISymbol>> Components(AcquisitionGraph graph)
        {
            var result = StronglyConnected.Components(graph.Nodes, n => graph.Out(n).Select(e => e.Inner), SymbolEqualityComparer.Default);
            foreach (var component in result)
            {
                component.Sort((a, b) => string.CompareOrdinal(graph.Key(a), graph.Key(b)));
            }

            return result;
        }
    }
}
