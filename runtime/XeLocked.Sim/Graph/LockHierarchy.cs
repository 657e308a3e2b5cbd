using XeLocked.Locking;

namespace XeLocked.Sim.Graph;

/// <summary>Where an edge of the lock hierarchy comes from.</summary>
public enum EdgeOrigin
{
    /// <summary>Declared by a <c>[LockOrder]</c> attribute (<c>After</c> or <c>Before</c>).</summary>
    Declared,

    /// <summary>Observed by lockdep in a run and also declared.</summary>
    DeclaredAndObserved,

    /// <summary>Observed by lockdep, not declared, but implied by the declared order (transitively).</summary>
    ObservedImplied,

    /// <summary>Observed by lockdep with no declared order between the two classes.</summary>
    ObservedUndeclared,

    /// <summary>Observed by lockdep against the declared order: the run took the locks the wrong way round.</summary>
    ObservedInverted,
}

/// <summary>One edge "<see cref="Outer"/> is held while <see cref="Inner"/> is acquired".</summary>
/// <param name="Outer">The lock class acquired first (outside).</param>
/// <param name="Inner">The lock class acquired second (inside).</param>
/// <param name="Origin">Declared, observed, or both.</param>
public sealed record LockEdge(string Outer, string Inner, EdgeOrigin Origin);

/// <summary>
/// The model's lock hierarchy: the lock classes (<c>"TypeName.MemberName"</c>) and the ordered
/// edges between them, sorted so that every rendering is deterministic.
/// </summary>
public sealed class LockHierarchy
{
    /// <summary>Creates a hierarchy from classes and edges; both are de-duplicated and sorted.</summary>
    /// <param name="classes">The lock classes; classes named only by an edge are added.</param>
    /// <param name="edges">The edges.</param>
    public LockHierarchy(IEnumerable<string> classes, IEnumerable<LockEdge> edges)
        : this(classes, edges, null)
    {
    }

    /// <summary>A hierarchy of <paramref name="classes"/> and the edges of the declared <paramref name="order"/>.</summary>
    internal LockHierarchy(IEnumerable<string> classes, DeclaredOrder order)
        : this(classes, order.Edges.Select(e => new LockEdge(e.Outer, e.Inner, EdgeOrigin.Declared)), order)
    {
    }

    private LockHierarchy(IEnumerable<string> classes, IEnumerable<LockEdge> edges, DeclaredOrder? order)
    {
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentNullException.ThrowIfNull(edges);
        Edges = edges
            .GroupBy(e => (e.Outer, e.Inner))
            .Select(g => g.OrderBy(e => e.Origin).Last())
            .OrderBy(e => e.Outer, StringComparer.Ordinal)
            .ThenBy(e => e.Inner, StringComparer.Ordinal)
            .ToArray();
        Classes = classes
            .Concat(Edges.SelectMany(e => new[] { e.Outer, e.Inner }))
            .Distinct(StringComparer.Ordinal)
            .OrderBy(c => c, StringComparer.Ordinal)
            .ToArray();
        _order = order ?? DeclaredOrder.Of(Edges
            .Where(e => e.Origin is EdgeOrigin.Declared or EdgeOrigin.DeclaredAndObserved)
            .Select(e => new LockOrderEdge(e.Outer, e.Inner, DeclaredBy: string.Empty)));
    }

    // The declared edges as the run-time tracker holds them: WithObserved asks it what they imply.
    private readonly DeclaredOrder _order;

    /// <summary>Every lock class, sorted ordinally.</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>Every edge, one per ordered pair (the strongest origin wins), sorted by outer then inner class.</summary>
    public IReadOnlyList<LockEdge> Edges { get; }

    /// <summary>
    /// Adds the edges lockdep observed in a run, classified against the declared order: declared,
    /// implied by it transitively, undeclared, or inverted.
    /// </summary>
    /// <param name="observed">Pairs (outer, inner) of lock classes that lockdep saw nested.</param>
    /// <returns>A new hierarchy with the declared edges and the classified observed ones.</returns>
    public LockHierarchy WithObserved(IEnumerable<(string Outer, string Inner)> observed)
    {
        ArgumentNullException.ThrowIfNull(observed);
        var declared = Edges.Where(e => e.Origin is EdgeOrigin.Declared or EdgeOrigin.DeclaredAndObserved)
            .Select(e => (e.Outer, e.Inner)).ToHashSet();
        var edges = Edges.ToList();
        foreach (var (outer, inner) in observed.Distinct())
        {
            if (outer == inner)
            {
                continue; // nesting of one class (subclasses): not an order edge between classes
            }

            var origin = declared.Contains((outer, inner)) ? EdgeOrigin.DeclaredAndObserved
                : _order.MustPrecede(outer, inner) ? EdgeOrigin.ObservedImplied
                : _order.MustPrecede(inner, outer) ? EdgeOrigin.ObservedInverted
                : EdgeOrigin.ObservedUndeclared;
            edges.Add(new LockEdge(outer, inner, origin));
        }

        return new LockHierarchy(Classes, edges, _order);
    }
}
