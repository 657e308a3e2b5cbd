using System;
using System.Collections.Generic;

namespace XeLocked.LockExpressions
{
    /// <summary>
    /// The one general shortest-path search of the analyzer (the declared order's closure and
    /// cycles, the acquisition graph's cycles) and of the runtime (the declared order: its closure,
    /// its cycle, its explanations; the Sim's graph asks the declared order): breadth-first over
    /// the edges of a graph, the edges of a node followed in the order given, so the path found is
    /// the shortest and, among the shortest, the first in that order. The runtime tracker's
    /// dependency search (<c>DependencySearch</c>) stays its own: it is lockdep's allocation-free
    /// <c>__bfs</c> over read/write states on the acquisition path. Shared plumbing of the analyzer
    /// and the runtime, not a user API.
    /// </summary>
    public static class ShortestPath
    {
        /// <summary>
        /// The shortest non-empty path from <paramref name="from"/> to a node that satisfies
        /// <paramref name="isTarget"/> (<paramref name="from"/> itself only by a cycle back to it),
        /// as its edges in order, or null when there is none.
        /// </summary>
        /// <param name="from">The start node.</param>
        /// <param name="isTarget">True for a node the path may end at.</param>
        /// <param name="edges">The edges out of a node, in the order they are tried.</param>
        /// <param name="head">The node an edge leads to.</param>
        /// <param name="comparer">Node equality.</param>
        public static List<TEdge>? Find<TNode, TEdge>(TNode from, Func<TNode, bool> isTarget, Func<TNode, IEnumerable<TEdge>> edges,
            Func<TEdge, TNode> head, IEqualityComparer<TNode> comparer)
            where TNode : notnull
        {
            var via = new Dictionary<TNode, (TNode From, TEdge Edge)>(comparer);
            var visited = new HashSet<TNode>(comparer) { from };
            var queue = new Queue<TNode>();
            queue.Enqueue(from);
            while (queue.Count > 0)
            {
                var node = queue.Dequeue();
                foreach (var e in edges(node))
                {
                    var n = head(e);
                    if (isTarget(n))
                    {
                        var path = new List<TEdge> { e };
                        for (var at = node; !comparer.Equals(at, from); at = via[at].From)
                        {
                            path.Add(via[at].Edge);
                        }

                        path.Reverse();
                        return path;
                    }

                    if (visited.Add(n))
                    {
                        via[n] = (node, e);
                        queue.Enqueue(n);
                    }
                }
            }

            return null;
        }

        /// <summary>Every node reachable from <paramref name="from"/> by a non-empty path (breadth-first).</summary>
        public static HashSet<TNode> Reachable<TNode>(TNode from, Func<TNode, IEnumerable<TNode>> successors, IEqualityComparer<TNode> comparer)
            where TNode : notnull
        {
            var reached = new HashSet<TNode>(comparer);
            Find(from, n => { reached.Add(n); return false; }, successors, n => n, comparer);
            return reached;
        }
    }
}
