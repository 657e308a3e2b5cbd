namespace XeLocked.Locking;

/// <summary>
/// The global class graph (lockdep's <c>list_entries</c>): every edge stored forward in
/// <see cref="LockClass.After"/> and backward in <see cref="LockClass.Before"/>, and indexed by
/// (from, to) so that a repeated pair only ORs in its new dependency type. All members are called
/// under the graph lock. Size is bounded by the number of distinct class pairs ever nested, not by
/// the number of acquisitions.
/// </summary>
internal static class DependencyGraph
{
    private static readonly Dictionary<long, DependencyEdge> s_edges = new();

    // Classes with at least one forward edge, by declared name: where a search that arrives at a
    // name through a declared edge continues over observed edges. Bounded by the classes.
    private static readonly Dictionary<string, List<LockClass>> s_byDeclaredName = new(StringComparer.Ordinal);

    /// <summary>Number of edges.</summary>
    public static int Count => s_edges.Count;

    /// <summary>The edge <paramref name="from"/> → <paramref name="to"/>, or null.</summary>
    public static DependencyEdge? Find(LockClass from, LockClass to) =>
        s_edges.TryGetValue(Key(from, to), out var e) ? e : null;

    /// <summary>Adds a new edge (the pair must not exist yet).</summary>
    public static DependencyEdge Add(LockClass from, LockClass to, int dep, in HeldStackEntry prev, string file, int line)
    {
        var e = new DependencyEdge(from, to, dep, prev.File, prev.Line, file, line, ReportBuilder.ThreadLabel());
        s_edges.Add(Key(from, to), e);
        if (from.After.Count == 0)
        {
            if (!s_byDeclaredName.TryGetValue(from.DeclaredName, out var named))
            {
                s_byDeclaredName[from.DeclaredName] = named = new List<LockClass>(1);
            }

            named.Add(from);
        }

        from.After.Add(e);
        to.Before.Add(e);
        return e;
    }

    /// <summary>
    /// The classes known under <paramref name="declaredName"/> (<see cref="LockClass.DeclaredName"/>:
    /// every subclass, and simple and qualified spellings) that have forward edges, or null.
    /// </summary>
    public static List<LockClass>? ClassesNamed(string declaredName) =>
        s_byDeclaredName.TryGetValue(declaredName, out var named) ? named : null;

    /// <summary>Every edge (a snapshot).</summary>
    public static DependencyEdge[] Snapshot() => s_edges.Values.ToArray();

    /// <summary>Forgets every edge (for <see cref="Lockdep.Reset"/>).</summary>
    public static void Clear()
    {
        foreach (var e in s_edges.Values)
        {
            e.From.After.Clear();
            e.To.Before.Clear();
        }

        s_edges.Clear();
        s_byDeclaredName.Clear();
    }

    private static long Key(LockClass from, LockClass to) => ((long)from.Id << 32) | (uint)to.Id;
}
