namespace XeLocked.Locking;

/// <summary>
/// Breadth-first search for a <b>strong</b> path in the dependency graph (lockdep's
/// <c>check_noncircular</c> / <c>__bfs</c> with the 2020 recursive-read rules): a path that never
/// enters a lock as a recursive reader (-(xR)->) and then leaves it from a shared hold (-(Sx)->).
/// Breadth-first so the reported cycle is the shortest. Called under the graph lock.
/// </summary>
/// <remarks>
/// Deviation from lockdep (deliberate, see docs/lockdep.md): a class is marked visited per
/// <c>only_xr</c> state, not once, so a weak arrival at a class cannot hide a later strong arrival
/// (lockdep's single mark can, a rare false negative). Each class is expanded at most twice.
/// </remarks>
internal static class DependencySearch
{
    private static int s_generation;

    // The BFS queue, reused from search to search (the search runs under the graph lock), so a
    // new edge costs no allocation proportional to the graph.
    private static readonly List<Node> s_nodes = new();

    private readonly record struct Node(LockClass Class, bool OnlyXr, int Parent, DependencyEdge? Via);

    /// <summary>
    /// Looks for a strong path from <paramref name="next"/> (about to be acquired in mode
    /// <paramref name="nextRead"/>) to <paramref name="prev"/> (held in mode <paramref name="prevRead"/>):
    /// with the new edge <c>prev → next</c> it would close a deadlock cycle.
    /// </summary>
    /// <returns>The path's edges from <paramref name="next"/> to <paramref name="prev"/> (empty when they are the same class), or null.</returns>
    public static List<DependencyEdge>? FindCycle(LockClass next, int nextRead, LockClass prev, int prevRead)
    {
        var gen = ++s_generation;
        var nodes = s_nodes;
        nodes.Clear();
        var rootOnlyXr = nextRead == ReadKind.SharedRecursive;
        Mark(next, rootOnlyXr, gen);
        nodes.Add(new Node(next, rootOnlyXr, -1, null));
        if (Matches(nodes[0], prev, prevRead))
        {
            return new List<DependencyEdge>();
        }

        for (var head = 0; head < nodes.Count; head++)
        {
            var n = nodes[head];
            foreach (var e in n.Class.After)
            {
                var dep = e.Dep;
                if (n.OnlyXr)
                {
                    // Entered as a recursive reader: leaving from a shared hold does not block.
                    dep &= ~(DependencyEdge.SR | DependencyEdge.SN);
                }

                if (dep == 0)
                {
                    continue;
                }

                var childOnlyXr = (dep & (DependencyEdge.SN | DependencyEdge.EN)) == 0;
                if (!Mark(e.To, childOnlyXr, gen))
                {
                    continue;
                }

                var child = new Node(e.To, childOnlyXr, head, e);
                nodes.Add(child);
                if (Matches(child, prev, prevRead))
                {
                    return PathTo(nodes, nodes.Count - 1);
                }
            }
        }

        return null;
    }

    /// <summary>
    /// The path closes a deadlock at <paramref name="prev"/> unless it arrives there only as a
    /// recursive reader and <paramref name="prev"/> is held shared (<c>hlock_conflict</c>).
    /// </summary>
    private static bool Matches(Node n, LockClass prev, int prevRead) =>
        ReferenceEquals(n.Class, prev) && (prevRead == ReadKind.Exclusive || !n.OnlyXr);

    private static bool Mark(LockClass c, bool onlyXr, int gen)
    {
        if (onlyXr)
        {
            if (c.BfsMarkOnlyXr == gen)
            {
                return false;
            }

            c.BfsMarkOnlyXr = gen;
            return true;
        }

        if (c.BfsMarkStrong == gen)
        {
            return false;
        }

        c.BfsMarkStrong = gen;
        return true;
    }

    private static List<DependencyEdge> PathTo(List<Node> nodes, int index)
    {
        var path = new List<DependencyEdge>();
        for (var i = index; nodes[i].Via is { } via; i = nodes[i].Parent)
        {
            path.Add(via);
        }

        path.Reverse();
        return path;
    }
}
