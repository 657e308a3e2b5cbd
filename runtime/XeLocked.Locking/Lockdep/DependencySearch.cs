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
/// Beyond lockdep, a search that finds nothing can be continued through the declared order
/// (<c>DependencySearch.Declared.cs</c>).
/// </remarks>
internal static partial class DependencySearch
{
    private static int s_generation;

    // The generation of the last FindCycle that visited everything reachable without a match:
    // FindCycleThroughDeclared continues that search (DependencySearch.Declared.cs).
    private static int s_exhausted;

    // The BFS queue, reused from search to search (the search runs under the graph lock), so a
    // new edge costs no allocation proportional to the graph.
    private static readonly List<Node> s_nodes = new();

    /// <summary>
    /// A search state: a class reached in an <c>only_xr</c> state through the observed edge
    /// <c>Via</c> (null at the root and for a class reached by name); or, with <c>Class</c> null, a
    /// declared name reached through the declared edge <c>Declared</c> (its <c>Inner</c>).
    /// </summary>
    private readonly record struct Node(LockClass? Class, bool OnlyXr, int Parent, DependencyEdge? Via, LockOrderEdge? Declared = null);

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

        var found = ExpandObserved(0, prev, prevRead, gen);
        if (found < 0)
        {
            s_exhausted = gen;
            return null;
        }

        return PathTo(nodes, found);
    }

    /// <summary>
    /// Breadth-first over observed edges from every node at <paramref name="head"/> or later (and
    /// those it adds); a declared name is continued from the classes known under it. Returns the
    /// index of the first node that matches <paramref name="prev"/>, or -1 when none is reachable.
    /// </summary>
    private static int ExpandObserved(int head, LockClass prev, int prevRead, int gen)
    {
        var nodes = s_nodes;
        for (; head < nodes.Count; head++)
        {
            var n = nodes[head];
            if (n.Class is null)
            {
                // A declared name (never the root): the classes the graph knows under it, entered
                // as a declared edge enters them, exclusively.
                if (DependencyGraph.ClassesNamed(n.Declared!.Inner) is { } named)
                {
                    foreach (var c in named)
                    {
                        if (Mark(c, onlyXr: false, gen))
                        {
                            nodes.Add(new Node(c, false, head, null));
                            if (Matches(nodes[^1], prev, prevRead))
                            {
                                return nodes.Count - 1;
                            }
                        }
                    }
                }

                continue;
            }

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
                    return nodes.Count - 1;
                }
            }
        }

        return -1;
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
