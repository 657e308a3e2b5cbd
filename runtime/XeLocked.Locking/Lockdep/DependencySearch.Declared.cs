namespace XeLocked.Locking;

/// <summary>
/// Beyond lockdep: the cycle search continued through the declared order. A cycle such as
/// <c>A →(declared) B →(observed) C →(new) A</c> is a deadlock the <c>[LockOrder]</c> promises
/// against, yet neither the declared check (C is not declared) nor the observed search (no path
/// A ⇝ C) sees it. Declared edges count as exclusive → exclusive (<c>EN</c>) dependencies for the
/// strong-path rules. Called under the graph lock.
/// </summary>
internal static partial class DependencySearch
{
    // Declared names reached by the current search (names are nodes of their own: a declared edge
    // may lead to a class the graph has never seen). Reused, bounded by the declared order.
    private static readonly HashSet<string> s_names = new(StringComparer.Ordinal);

    /// <summary>
    /// Continues the <see cref="FindCycle"/> that has just returned null (it visited everything
    /// reachable from the new class over observed edges) over the direct edges of
    /// <paramref name="order"/> as well, one declared edge at a time: first every path with one
    /// declared edge, then two, and so on, each level breadth-first. A match is therefore a path
    /// that needs the fewest declared edges, and always at least one.
    /// </summary>
    /// <param name="order">The declared order (not empty).</param>
    /// <param name="prev">The held class of the new edge <c>prev → next</c>.</param>
    /// <param name="prevRead">The mode <paramref name="prev"/> is held in.</param>
    /// <returns>The hops from the new class to <paramref name="prev"/>, or null.</returns>
    /// <exception cref="InvalidOperationException">Not called right after a <see cref="FindCycle"/> that found nothing.</exception>
    public static List<DependencyHop>? FindCycleThroughDeclared(DeclaredOrder order, LockClass prev, int prevRead)
    {
        var gen = s_generation;
        if (s_exhausted != gen)
        {
            throw new InvalidOperationException("FindCycleThroughDeclared continues a FindCycle that found nothing.");
        }

        s_exhausted = 0;
        var nodes = s_nodes;
        var names = s_names;
        names.Clear();
        var followed = 0; // nodes[..followed] have had their declared edges followed
        while (followed < nodes.Count)
        {
            // One more declared edge: out of every node reached with one fewer.
            var level = nodes.Count;
            for (; followed < level; followed++)
            {
                var n = nodes[followed];
                foreach (var e in n.Class?.DeclaredAfter(order) ?? order.DirectlyAfter(n.Declared!.Inner))
                {
                    if (!names.Add(e.Inner))
                    {
                        continue;
                    }

                    // Entered exclusively from an exclusive hold (EN): traversable from any state,
                    // arrives strong, so it closes the cycle however prev is held.
                    nodes.Add(new Node(null, false, followed, null, e));
                    if (e.Inner == prev.DeclaredName)
                    {
                        return HopsTo(nodes.Count - 1, prev);
                    }
                }
            }

            // Then observed edges from what those declared edges reached.
            var found = ExpandObserved(level, prev, prevRead, gen);
            if (found >= 0)
            {
                return HopsTo(found, prev);
            }
        }

        return null;
    }

    private static List<DependencyHop> HopsTo(int index, LockClass prev)
    {
        var nodes = s_nodes;
        var hops = new List<DependencyHop>();
        for (var i = index; nodes[i].Parent >= 0; i = nodes[i].Parent)
        {
            var n = nodes[i];
            if (n.Via is { } via)
            {
                hops.Add(new DependencyHop(via.From.DisplayName, via.To.DisplayName, via, null));
            }
            else if (n.Class is null)
            {
                var to = i == index ? prev.DisplayName : n.Declared!.Inner;
                hops.Add(new DependencyHop(DisplayName(nodes[n.Parent]), to, null, n.Declared));
            }

            // else: a class reached by its declared name, not a hop of its own.
        }

        hops.Reverse();
        return hops;
    }

    private static string DisplayName(Node n) => n.Class?.DisplayName ?? n.Declared!.Inner;
}
