using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace XeLocked.Analyzers.WholeProgram
{
    /// <summary>
    /// Finds the cycles of an <see cref="AcquisitionGraph"/> to report: the strongly connected
    /// components (Tarjan), then within each component, for every edge u → v in a stable order, the
    /// shortest way back from v to u (breadth-first). Each cycle found is rotated to start at its
    /// smallest class and reported once, so every edge on a cycle is covered by at least one report
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
                        var back = ShortestPath(graph, edge.Inner, u, members);
                        if (back == null)
                        {
                            continue;
                        }

                        var cycle = new List<AcquisitionEdge> { edge };
                        cycle.AddRange(back);
                        cycle = Rotate(graph, cycle);
                        if (seen.Add(string.Join("→", cycle.Select(e => graph.Key(e.Outer)))))
                        {
                            result.Add(cycle);
                        }
                    }
                }
            }

            return result;
        }

        /// <summary>Rotates a cycle so that it starts at the edge leaving its smallest class.</summary>
        private static List<AcquisitionEdge> Rotate(AcquisitionGraph graph, List<AcquisitionEdge> cycle)
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

        private static List<AcquisitionEdge>? ShortestPath(AcquisitionGraph graph, ISymbol from, ISymbol to, HashSet<ISymbol> within)
        {
            var previous = new Dictionary<ISymbol, AcquisitionEdge>(SymbolEqualityComparer.Default);
            var visited = new HashSet<ISymbol>(SymbolEqualityComparer.Default) { from };
            var queue = new Queue<ISymbol>();
            queue.Enqueue(from);
            while (queue.Count > 0)
            {
                var n = queue.Dequeue();
                if (SymbolEqualityComparer.Default.Equals(n, to))
                {
                    var path = new List<AcquisitionEdge>();
                    for (var at = to; !SymbolEqualityComparer.Default.Equals(at, from); at = previous[at].Outer)
                    {
                        path.Add(previous[at]);
                    }

                    path.Reverse();
                    return path;
                }

                foreach (var e in graph.Out(n))
                {
                    if (within.Contains(e.Inner) && visited.Add(e.Inner))
                    {
                        previous[e.Inner] = e;
                        queue.Enqueue(e.Inner);
                    }
                }
            }

            return null;
        }

        /// <summary>Tarjan's strongly connected components (iterative, so deep graphs do not overflow the stack).</summary>
        private static List<List<ISymbol>> Components(AcquisitionGraph graph)
        {
            var index = new Dictionary<ISymbol, int>(SymbolEqualityComparer.Default);
            var low = new Dictionary<ISymbol, int>(SymbolEqualityComparer.Default);
            var onStack = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
            var stack = new Stack<ISymbol>();
            var result = new List<List<ISymbol>>();
            var next = 0;
            foreach (var root in graph.Nodes)
            {
                if (index.ContainsKey(root))
                {
                    continue;
                }

                var work = new Stack<(ISymbol Node, IEnumerator<AcquisitionEdge> Edges)>();
                index[root] = low[root] = next++;
                stack.Push(root);
                onStack.Add(root);
                work.Push((root, graph.Out(root).GetEnumerator()));
                while (work.Count > 0)
                {
                    var (node, edges) = work.Peek();
                    if (edges.MoveNext())
                    {
                        var w = edges.Current.Inner;
                        if (!index.ContainsKey(w))
                        {
                            index[w] = low[w] = next++;
                            stack.Push(w);
                            onStack.Add(w);
                            work.Push((w, graph.Out(w).GetEnumerator()));
                        }
                        else if (onStack.Contains(w))
                        {
                            low[node] = System.Math.Min(low[node], index[w]);
                        }

                        continue;
                    }

                    work.Pop();
                    if (work.Count > 0)
                    {
                        var parent = work.Peek().Node;
                        low[parent] = System.Math.Min(low[parent], low[node]);
                    }

                    if (low[node] == index[node])
                    {
                        var component = new List<ISymbol>();
                        ISymbol member;
                        do
                        {
                            member = stack.Pop();
                            onStack.Remove(member);
                            component.Add(member);
                        }
                        while (!SymbolEqualityComparer.Default.Equals(member, node));

                        component.Sort((a, b) => string.CompareOrdinal(graph.Key(a), graph.Key(b)));
                        result.Add(component);
                    }
                }
            }

            return result;
        }
    }
}
