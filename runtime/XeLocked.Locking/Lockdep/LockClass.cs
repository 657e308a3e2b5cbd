namespace XeLocked.Locking;

/// <summary>
/// One lock class (the kernel's <c>struct lock_class</c>): a class name plus a subclass. Every
/// instance constructed with the same name is the same class; <c>LockNested(n)</c> makes subclass
/// <c>n</c> a class of its own. Classes are never freed (they are few: one per distinct name and
/// subclass), so a <see cref="LockClass"/> reference held in a thread's stack stays valid across
/// <see cref="Lockdep.Reset"/>.
/// </summary>
internal sealed class LockClass
{
    public LockClass(int id, string name, int subclass)
    {
        Id = id;
        Name = name;
        Subclass = subclass;
        DisplayName = subclass == 0 ? name : $"{name}/{subclass}";
        DeclaredName = DeclaredOrder.Normalize(name);
    }

    /// <summary>Dense index, part of the chain key (the kernel's <c>class_idx</c>).</summary>
    public int Id { get; }

    /// <summary>The class name given to the primitive's constructor.</summary>
    public string Name { get; }

    /// <summary>0 for <c>Lock()</c>, n for <c>LockNested(n)</c>.</summary>
    public int Subclass { get; }

    /// <summary>The name printed in reports: <c>Name</c>, then <c>/S</c> if the subclass is not 0 (as lockdep prints it).</summary>
    public string DisplayName { get; }

    /// <summary>The name under which <c>[LockOrder]</c> knows this class (<c>Type.Member</c>).</summary>
    public string DeclaredName { get; }

    /// <summary>Forward edges: classes taken while this one was held (<c>locks_after</c>). Guarded by the graph lock.</summary>
    public List<DependencyEdge> After { get; } = new();

    /// <summary>Backward edges: classes held when this one was taken (<c>locks_before</c>). Guarded by the graph lock.</summary>
    public List<DependencyEdge> Before { get; } = new();

    /// <summary>BFS generation marks, one per <c>only_xr</c> state. Guarded by the graph lock.</summary>
    public int BfsMarkStrong;

    /// <inheritdoc cref="BfsMarkStrong"/>
    public int BfsMarkOnlyXr;

    // DeclaredAfter's cache: the declared order it was computed for, and the result (graph lock).
    private DeclaredOrder? _declaredOf;
    private LockOrderEdge[] _declaredAfter = Array.Empty<LockOrderEdge>();

    /// <summary>
    /// The direct edges of <paramref name="order"/> out of <see cref="DeclaredName"/>, cached per
    /// order so that a search does not hash the name at every class it visits. Called under the graph lock.
    /// </summary>
    public LockOrderEdge[] DeclaredAfter(DeclaredOrder order)
    {
        if (!ReferenceEquals(_declaredOf, order))
        {
            _declaredAfter = order.DirectlyAfter(DeclaredName);
            _declaredOf = order;
        }

        return _declaredAfter;
    }

    /// <inheritdoc/>
    public override string ToString() => DisplayName;
}
