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

    /// <summary>Number of edges.</summary>
    public static int Count => s_edges.Count;

    /// <summary>The edge <paramref name="from"/> → <paramref name="to"/>, or null.</summary>
    public static DependencyEdge? Find(LockClass from, LockClass to) =>
        s_edges.TryGetValue(Key(from, to), out var e) ? e : null;

    /// <summary>Adds a new edge (the pair must not exist yet).</summary>
    public static DependencyEdge Add(LockClass from, LockClass to, int dep, in HeldLock prev, string file, int line)
    {
        var e = new DependencyEdge(from, to, dep, prev.File, prev.Line, file, line, ReportBuilder.ThreadLabel());
        s_edges.Add(Key(from, to), e);
        from.After.Add(e);
        to.Before.Add(e);
        return e;
    }

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
    }

    private static long Key(LockClass from, LockClass to) => ((long)from.Id << 32) | (uint)to.Id;
}
