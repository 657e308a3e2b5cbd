using System.Reflection;
using System.Reflection.Emit;
using BenchmarkDotNet.Attributes;
using XeLocked.Annotations;
using XeLocked.Locking;

namespace XeLocked.Benchmarks;

/// <summary>
/// Tracker on: the cost of one acquisition that creates a new dependency edge in a graph of 1,000
/// classes and 10,000 edges (a random DAG, so no report): chain-cache miss, recursion and declared
/// checks, the breadth-first cycle search over what is reachable from the new lock, and the insert.
/// Each iteration starts again from the same 10,000-edge graph. With <see cref="Declared"/>, a
/// <c>[LockOrder]</c> of 200 further edges between the same classes (never observed, same direction
/// as the DAG, so still no report) is loaded first, so that the search also follows declared edges.
/// </summary>
[Config(typeof(BenchConfigs.Growth))]
public class LockdepGraphGrowthBenchmarks
{
    private const int Classes = 1_000;
    private const int Edges = 10_000;
    private const int NewEdgesPerIteration = 500;
    private const int DeclaredEdges = 200;

    private TrackedMutex[] _locks = null!;
    private (int From, int To)[] _base = null!;
    private (int From, int To)[] _fresh = null!;
    private int _next;

    /// <summary>Whether a declared order over the same classes is loaded.</summary>
    [Params(false, true)]
    public bool Declared { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        if (!Lockdep.Enabled)
        {
            throw new InvalidOperationException("this benchmark needs XELOCKED_LOCKDEP=1");
        }

        _locks = Enumerable.Range(0, Classes).Select(i => new TrackedMutex($"Graph.C{i:D4}")).ToArray();
        var rnd = new Random(42);
        var pairs = new HashSet<(int, int)>();
        while (pairs.Count < Edges + (NewEdgesPerIteration * 2) + DeclaredEdges)
        {
            var a = rnd.Next(Classes);
            var b = rnd.Next(Classes);
            if (a != b)
            {
                pairs.Add((Math.Min(a, b), Math.Max(a, b)));
            }
        }

        var all = pairs.ToArray();
        _base = all[..Edges];
        _fresh = all[Edges..(Edges + (NewEdgesPerIteration * 2))];
        if (Declared)
        {
            Lockdep.LoadDeclaredOrder(DeclaredOrderAssembly(all[(Edges + (NewEdgesPerIteration * 2))..]));
        }
    }

    [IterationSetup]
    public void Rebuild()
    {
        Lockdep.Reset();
        foreach (var (a, b) in _base)
        {
            Take(a, b);
        }

        if (Lockdep.Statistics.Edges != Edges)
        {
            throw new InvalidOperationException($"expected {Edges} edges, have {Lockdep.Statistics.Edges}");
        }

        _next = 0;
    }

    [Benchmark(Description = "new edge (1,000 classes, 10,000 edges)")]
    public void NewEdge()
    {
        var (a, b) = _fresh[_next++ % _fresh.Length];
        Take(a, b);
    }

    private void Take(int a, int b)
    {
        _locks[a].Lock();
        _locks[b].Lock();
        _locks[b].Unlock();
        _locks[a].Unlock();
    }

    /// <summary>An in-memory assembly with a type <c>Graph</c> whose fields <c>Cnnnn</c> carry <c>[LockOrder(Before = …)]</c> for <paramref name="edges"/>.</summary>
    private static Assembly DeclaredOrderAssembly((int From, int To)[] edges)
    {
        var ab = AssemblyBuilder.DefineDynamicAssembly(new AssemblyName("GraphGrowthOrder"), AssemblyBuilderAccess.Run);
        var tb = ab.DefineDynamicModule("main").DefineType("Bench.Graph", TypeAttributes.Public | TypeAttributes.Class | TypeAttributes.Sealed);
        var ctor = typeof(LockOrderAttribute).GetConstructor(Type.EmptyTypes)!;
        var before = typeof(LockOrderAttribute).GetProperty(nameof(LockOrderAttribute.Before))!;
        foreach (var group in edges.GroupBy(e => e.From))
        {
            var fb = tb.DefineField($"C{group.Key:D4}", typeof(TrackedMutex), FieldAttributes.Public | FieldAttributes.InitOnly);
            var inner = group.Select(e => $"Graph.C{e.To:D4}").ToArray();
            fb.SetCustomAttribute(new CustomAttributeBuilder(ctor, Array.Empty<object>(), new[] { before }, new object[] { inner }));
        }

        tb.CreateType();
        return ab;
    }
}
