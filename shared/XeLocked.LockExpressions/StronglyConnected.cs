using System;
using System.Collections.Generic;

namespace XeLocked.LockExpressions
{
    /// <summary>
    /// The one strongly-connected-components search of the analyzer (the declared order's and the
    /// acquisition graph's cycles) and of the runtime (the declared order's cycle check): Tarjan's
    /// algorithm, iterative (an explicit stack of successor enumerators, no recursion), so a deep
    /// graph cannot overflow the stack. Deterministic: the components come out in Tarjan's order
    /// (reverse topological), given the order of <c>roots</c> and of each node's successors.
    /// Shared plumbing of the analyzer and the runtime, not a user API.
    /// </summary>
    public static class StronglyConnected
    {
        /// <summary>
        /// The strongly connected components of the graph reachable from <paramref name="roots"/>
        /// (visited in that order), every node in exactly one component, each component in the
        /// order Tarjan pops it (its root last).
        /// </summary>
        public static List<List<T>> Components<T>(IEnumerable<T> roots, Func<T, IEnumerable<T>> successors, IEqualityComparer<T> comparer)
            where T : notnull
        {
            var index = new Dictionary<T, int>(comparer);
            var low = new Dictionary<T, int>(comparer);
            var onStack = new HashSet<T>(comparer);
            var stack = new Stack<T>();
            var result = new List<List<T>>();
            var work = new Stack<(T Node, IEnumerator<T> Next)>();
            var counter = 0;
            foreach (var root in roots)
            {
                if (index.ContainsKey(root))
                {
                    continue;
                }

                Enter(root);
                while (work.Count > 0)
                {
                    var (node, next) = work.Peek();
                    if (next.MoveNext())
                    {
                        var w = next.Current;
                        if (!index.ContainsKey(w))
                        {
                            Enter(w);
                        }
                        else if (onStack.Contains(w))
                        {
                            low[node] = Math.Min(low[node], index[w]);
                        }

                        continue;
                    }

                    next.Dispose();
                    work.Pop();
                    if (work.Count > 0)
                    {
                        var parent = work.Peek().Node;
                        low[parent] = Math.Min(low[parent], low[node]);
                    }

                    if (low[node] == index[node])
                    {
                        var component = new List<T>();
                        T member;
                        do
                        {
                            member = stack.Pop();
                            onStack.Remove(member);
                            component.Add(member);
                        }
                        while (!comparer.Equals(member, node));

                        result.Add(component);
                    }
                }
            }

            return result;

            void Enter(T v)
            {
                index[v] = low[v] = counter++;
                stack.Push(v);
                onStack.Add(v);
                work.Push((v, successors(v).GetEnumerator()));
            }
        }
    }
}
