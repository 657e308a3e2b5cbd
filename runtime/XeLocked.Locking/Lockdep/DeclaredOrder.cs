using System.Reflection;
using XeLocked.Annotations;
using XeLocked.LockExpressions;

namespace XeLocked.Locking;

/// <summary>
/// The order declared with <c>[LockOrder]</c>, closed transitively (beyond lockdep: a single
/// out-of-order acquisition is reported the first time it happens, with no cycle observed).
/// Immutable snapshots, replaced atomically under the graph lock by <see cref="Load"/>; read on
/// the chain-miss slow path only.
/// </summary>
internal sealed class DeclaredOrder
{
    private static DeclaredOrder s_current = new(Array.Empty<LockOrderEdge>());

    private readonly Dictionary<string, LockOrderEdge[]> _after;
    private readonly Dictionary<string, HashSet<string>> _before;

    private DeclaredOrder(IReadOnlyList<LockOrderEdge> edges)
    {
        Edges = edges;
        _after = edges.GroupBy(e => e.Outer, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);

        // The transitive closure, one search per class with edges out: declared orders are small
        // (tens of classes), and the result is read on the slow path only.
        _before = _after.Keys.ToDictionary(k => k, k => ShortestPath.Reachable(k, Successors, StringComparer.Ordinal), StringComparer.Ordinal);
    }

    private IEnumerable<string> Successors(string name) => DirectlyAfter(name).Select(e => e.Inner);

    /// <summary>The current declared order.</summary>
    public static DeclaredOrder Current => Volatile.Read(ref s_current);

    /// <summary>The direct declared edges.</summary>
    public IReadOnlyList<LockOrderEdge> Edges { get; }

    /// <summary>
    /// The name under which <c>[LockOrder]</c> knows a class: the <see cref="LockClassName.Key"/>
    /// of <paramref name="name"/> (<c>"Ns.Vm.Lock"</c> → <c>"Vm.Lock"</c>), so simple and
    /// qualified names agree. A name that is not a lock class name (<see cref="LockClassName"/>'s
    /// grammar) is its own key: no <c>[LockOrder]</c> can name it.
    /// </summary>
    public static string Normalize(string name) =>
        LockClassName.TryParse(name, out var parsed, out _) ? parsed.Key : name;

    /// <summary>True when the declared order puts <paramref name="first"/> before <paramref name="second"/> (transitively).</summary>
    public bool MustPrecede(string first, string second) =>
        _before.TryGetValue(first, out var after) && after.Contains(second);

    /// <summary>
    /// The direct declared edges out of <paramref name="name"/> (a <see cref="LockClass.DeclaredName"/>):
    /// the classes declared to be taken after it, for the search of cycles that mix declared and
    /// observed edges (<see cref="DependencySearch.FindCycleThroughDeclared"/>).
    /// </summary>
    public LockOrderEdge[] DirectlyAfter(string name) =>
        _after.TryGetValue(name, out var edges) ? edges : Array.Empty<LockOrderEdge>();

    /// <summary>A shortest declared path <paramref name="first"/> → … → <paramref name="second"/> (for reports).</summary>
    public List<LockOrderEdge> Explain(string first, string second) =>
        first == second ? new List<LockOrderEdge>()
            : ShortestPath.Find(first, n => n == second, DirectlyAfter, e => e.Inner, StringComparer.Ordinal) ?? new List<LockOrderEdge>();

    /// <summary>
    /// Reads every <c>[LockOrder]</c> on the fields and properties of <paramref name="assembly"/>,
    /// merges it with what was loaded before, and installs the transitive closure. A declared cycle
    /// is rejected (nothing changes). Previously validated chains are forgotten, so that they are
    /// checked against the new order.
    /// </summary>
    /// <exception cref="InvalidOperationException">The declared edges form a cycle, or a name is malformed.</exception>
    public static void Load(Assembly assembly)
    {
        var found = Collect(assembly);
        lock (LockdepState.GraphLock)
        {
            var merged = Merge(s_current.Edges, found);

            if (FindCycle(merged) is { } cycle)
            {
                throw new InvalidOperationException(
                    "The declared [LockOrder] edges form a cycle, so no acquisition order can satisfy them: " +
                    string.Join(" --> ", cycle.Select(e => e.Outer).Append(cycle[0].Outer)) + Environment.NewLine +
                    string.Join(Environment.NewLine, cycle.Select(e => $"  {e.Outer} before {e.Inner}, declared by {e.DeclaredBy}")));
            }

            Volatile.Write(ref s_current, new DeclaredOrder(merged));
            ChainCache.Clear();
        }
    }

    /// <summary>
    /// The order declared in <paramref name="assemblies"/> alone, read as <see cref="Load"/> reads
    /// it but not installed (and not checked for cycles: a reader may want to show one). The Sim's
    /// graph is drawn from it.
    /// </summary>
    /// <exception cref="InvalidOperationException">A name is malformed.</exception>
    public static DeclaredOrder Read(params Assembly[] assemblies)
    {
        ArgumentNullException.ThrowIfNull(assemblies);
        var edges = new List<LockOrderEdge>();
        foreach (var assembly in assemblies)
        {
            edges = Merge(edges, Collect(assembly));
        }

        return new DeclaredOrder(edges);
    }

    /// <summary>An order made of <paramref name="edges"/> (duplicates of one pair kept once), not installed.</summary>
    public static DeclaredOrder Of(IEnumerable<LockOrderEdge> edges) => new(Merge(Array.Empty<LockOrderEdge>(), edges));

    private static List<LockOrderEdge> Merge(IEnumerable<LockOrderEdge> first, IEnumerable<LockOrderEdge> then)
    {
        var merged = new List<LockOrderEdge>(first);
        var seen = new HashSet<(string, string)>(merged.Select(e => (e.Outer, e.Inner)));
        foreach (var e in then)
        {
            if (seen.Add((e.Outer, e.Inner)))
            {
                merged.Add(e);
            }
        }

        return merged;
    }

    /// <summary>Forgets the declared order (tests).</summary>
    public static void Clear()
    {
        lock (LockdepState.GraphLock)
        {
            Volatile.Write(ref s_current, new DeclaredOrder(Array.Empty<LockOrderEdge>()));
            ChainCache.Clear();
        }
    }

    private static List<LockOrderEdge> Collect(Assembly assembly)
    {
        Type?[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException ex)
        {
            types = ex.Types;
        }

        const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var edges = new List<LockOrderEdge>();
        foreach (var type in types)
        {
            if (type is null)
            {
                continue;
            }

            foreach (var member in type.GetFields(All).Cast<MemberInfo>().Concat(type.GetProperties(All)))
            {
                var attr = member.GetCustomAttribute<LockOrderAttribute>(inherit: false);
                if (attr is null)
                {
                    continue;
                }

                var self = LockClassName.OfMember(type.Name, member.Name).Key;
                var by = $"{type.FullName}.{member.Name}";
                foreach (var outer in attr.After ?? Array.Empty<string>())
                {
                    edges.Add(new LockOrderEdge(CheckName(outer, by), self, by));
                }

                foreach (var inner in attr.Before ?? Array.Empty<string>())
                {
                    edges.Add(new LockOrderEdge(self, CheckName(inner, by), by));
                }
            }
        }

        return edges;
    }

    private static string CheckName(string? name, string by)
    {
        if (!LockClassName.TryParse(name, out var parsed, out var error))
        {
            throw new InvalidOperationException(
                $"[LockOrder] on {by} names the lock class \"{name}\": {error!.Message} (column {error.Column}).");
        }

        return parsed.Key;
    }

    /// <summary>
    /// A cycle of <paramref name="edges"/>, or null: the shortest one through the first class (in
    /// ordinal order) that is on a cycle.
    /// </summary>
    private static List<LockOrderEdge>? FindCycle(List<LockOrderEdge> edges)
    {
        var outgoing = edges.GroupBy(e => e.Outer, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        IEnumerable<LockOrderEdge> Out(string c) => outgoing.TryGetValue(c, out var e) ? e : Array.Empty<LockOrderEdge>();
        var roots = outgoing.Keys.OrderBy(k => k, StringComparer.Ordinal).ToList();
        var onCycle = new HashSet<string>(StringComparer.Ordinal);
        foreach (var component in StronglyConnected.Components(roots, c => Out(c).Select(e => e.Inner), StringComparer.Ordinal))
        {
            if (component.Count > 1 || Out(component[0]).Any(e => e.Inner == component[0]))
            {
                onCycle.UnionWith(component);
            }
        }

        var start = roots.FirstOrDefault(onCycle.Contains);
        return start is null ? null : ShortestPath.Find(start, c => c == start, Out, e => e.Inner, StringComparer.Ordinal);
    }
}
