using BenchmarkDotNet.Attributes;
using XeLocked.Locking;

namespace XeLocked.Benchmarks;

/// <summary>
/// Tracker on: the cost of one acquisition that creates a new dependency edge in a graph of 1,000
/// classes and 10,000 edges (a random DAG, so no report): chain-cache miss, recursion and declared
/// checks, the breadth-first cycle search over what is reachable from the new lock, and the insert.
/// Each iteration starts again from the same 10,000-edge graph.
/// </summary>
[Config(typeof(BenchConfigs.Growth))]
public class LockdepGraphGrowthBenchmarks
{
    private const int Classes = 1_000;
    private const int Edges = 10_000;
    private const int NewEdgesPerIteration = 500;

    private TrackedMutex[] _locks = null!;
    private (int From, int To)[] _base = null!;
    private (int From, int To)[] _fresh = null!;
    private int _next;

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
        while (pairs.Count < Edges + (NewEdgesPerIteration * 2))
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
        _fresh = all[Edges..];
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
}
