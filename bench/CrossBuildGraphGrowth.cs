using System.Diagnostics;
using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.Loader;

namespace XeLocked.Benchmarks;

/// <summary>
/// The graph-growth measurement (<see cref="LockdepGraphGrowthBenchmarks"/>) as a load-robust A/B
/// between two <b>builds</b> of XeLocked.Locking — say main and a branch changing the validator —
/// loaded side by side in their own <see cref="AssemblyLoadContext"/>s (so each has its own tracker
/// state) and driven by reflection. Each round, for each build in turn (the order alternates):
/// <c>Lockdep.Reset()</c>, rebuild the same 10,000-edge random DAG over 1,000 classes (not timed),
/// then time 500 acquisitions that each add a new edge. Reported: per-build medians and the median
/// and quartiles of the per-round ratio B/A, which is far less sensitive to other processes than
/// two BenchmarkDotNet runs one after the other.
/// <c>dotnet run -c Release --project bench -- --ab-graph-growth &lt;dirA&gt; &lt;dirB&gt; [--declared] [rounds]</c>,
/// each dir holding a Release build's <c>XeLocked.Locking.dll</c> and <c>XeLocked.Annotations.dll</c>
/// (e.g. <c>bench/bin/Release/net10.0</c> of two checkouts). <c>--declared</c> loads the 200-edge
/// declared order of the benchmark's <c>Declared = true</c> case into both.
/// </summary>
public static class CrossBuildGraphGrowth
{
    private const int Classes = 1_000;
    private const int Edges = 10_000;
    private const int NewEdges = 500;
    private const int DeclaredEdges = 200;

    public static void Run(string dirA, string dirB, bool declared, int rounds)
    {
        Environment.SetEnvironmentVariable("XELOCKED_LOCKDEP", "1"); // read by each build when it is first used
        var rnd = new Random(42);
        var pairs = new HashSet<(int, int)>();
        while (pairs.Count < Edges + (NewEdges * 2) + DeclaredEdges)
        {
            var a = rnd.Next(Classes);
            var b = rnd.Next(Classes);
            if (a != b)
            {
                pairs.Add((Math.Min(a, b), Math.Max(a, b)));
            }
        }

        var all = pairs.ToArray();
        var baseEdges = all[..Edges];
        var fresh = all[Edges..(Edges + (NewEdges * 2))];
        var builds = new[] { new Build(dirA, declared ? all[(Edges + (NewEdges * 2))..] : null), new Build(dirB, declared ? all[(Edges + (NewEdges * 2))..] : null) };
        var times = new[] { new List<double>(), new List<double>() };
        var ratios = new List<double>();
        var warm = Stopwatch.StartNew();
        for (var r = 0; ratios.Count < rounds; r++)
        {
            var t = new double[2];
            foreach (var v in r % 2 == 0 ? new[] { 0, 1 } : new[] { 1, 0 })
            {
                builds[v].Rebuild(baseEdges);
                var sw = Stopwatch.StartNew();
                for (var i = 0; i < NewEdges; i++)
                {
                    builds[v].Take(fresh[((r & 1) * NewEdges) + i]);
                }

                t[v] = sw.Elapsed.TotalMicroseconds / NewEdges;
            }

            if (warm.ElapsedMilliseconds < 2_000 || r < 2)
            {
                continue; // warm-up: past tiered compilation
            }

            times[0].Add(t[0]);
            times[1].Add(t[1]);
            ratios.Add(t[1] / t[0]);
        }

        Console.WriteLine($"graph growth, {(declared ? "with" : "without")} a declared order; {rounds} rounds of {NewEdges} new edges per build");
        Console.WriteLine($"  A {dirA}: median {Quantile(times[0], 0.5):F2} us/op");
        Console.WriteLine($"  B {dirB}: median {Quantile(times[1], 0.5):F2} us/op");
        Console.WriteLine($"  B/A per round: median {Quantile(ratios, 0.5):F3} (quartiles {Quantile(ratios, 0.25):F3}-{Quantile(ratios, 0.75):F3})");
    }

    private static double Quantile(List<double> xs, double q)
    {
        var s = xs.OrderBy(x => x).ToList();
        return s[(int)(q * (s.Count - 1))];
    }

    /// <summary>Loads the XeLocked assemblies of one build directory, everything else from the default context.</summary>
    private sealed class BuildContext(string dir) : AssemblyLoadContext($"build:{dir}")
    {
        protected override Assembly? Load(AssemblyName name)
        {
            var path = Path.GetFullPath(Path.Combine(dir, name.Name + ".dll"));
            return name.Name!.StartsWith("XeLocked.", StringComparison.Ordinal) && File.Exists(path) ? LoadFromAssemblyPath(path) : null;
        }
    }

    private sealed class Build
    {
        private static readonly object[] NoArgs = Array.Empty<object>();
        private static readonly object[] CallerInfo = { "", 0 };
        private readonly MethodInfo _lock;
        private readonly MethodInfo _unlock;
        private readonly MethodInfo _reset;
        private readonly MethodInfo _statistics;
        private readonly PropertyInfo _edges;
        private readonly object[] _locks;

        public Build(string dir, (int From, int To)[]? declared)
        {
            var alc = new BuildContext(dir);
            var locking = alc.LoadFromAssemblyName(new AssemblyName("XeLocked.Locking"));
            var mutex = locking.GetType("XeLocked.Locking.TrackedMutex", throwOnError: true)!;
            var lockdep = locking.GetType("XeLocked.Locking.Lockdep", throwOnError: true)!;
            if (!(bool)lockdep.GetField("Enabled")!.GetValue(null)!)
            {
                throw new InvalidOperationException($"the tracker is off in {dir}");
            }

            _lock = mutex.GetMethods().Single(m => m.Name == "Lock" && m.GetParameters().Length == 2);
            _unlock = mutex.GetMethods().Single(m => m.Name == "Unlock" && m.GetParameters().Length == 2);
            _reset = lockdep.GetMethod("Reset")!;
            _statistics = lockdep.GetProperty("Statistics")!.GetGetMethod()!;
            _edges = _statistics.ReturnType.GetProperty("Edges")!;
            var ctor = mutex.GetConstructor(new[] { typeof(string) })!;
            _locks = Enumerable.Range(0, Classes).Select(i => ctor.Invoke(new object[] { $"Graph.C{i:D4}" })).ToArray();
            if (declared is not null)
            {
                var attribute = alc.LoadFromAssemblyName(new AssemblyName("XeLocked.Annotations")).GetType("XeLocked.Annotations.LockOrderAttribute", throwOnError: true)!;
                var ab = AssemblyBuilder.DefineDynamicAssembly(new AssemblyName($"GraphGrowthOrder{Math.Abs(dir.GetHashCode())}"), AssemblyBuilderAccess.Run);
                var tb = ab.DefineDynamicModule("main").DefineType("Bench.Graph", TypeAttributes.Public | TypeAttributes.Class | TypeAttributes.Sealed);
                var before = attribute.GetProperty("Before")!;
                foreach (var group in declared.GroupBy(e => e.From))
                {
                    var fb = tb.DefineField($"C{group.Key:D4}", typeof(object), FieldAttributes.Public | FieldAttributes.InitOnly);
                    var inner = group.Select(e => $"Graph.C{e.To:D4}").ToArray();
                    fb.SetCustomAttribute(new CustomAttributeBuilder(attribute.GetConstructor(Type.EmptyTypes)!, Array.Empty<object>(), new[] { before }, new object[] { inner }));
                }

                tb.CreateType();
                lockdep.GetMethod("LoadDeclaredOrder")!.Invoke(null, new object[] { ab });
            }
        }

        public void Rebuild((int From, int To)[] edges)
        {
            _reset.Invoke(null, NoArgs);
            foreach (var e in edges)
            {
                Take(e);
            }

            if ((int)_edges.GetValue(_statistics.Invoke(null, NoArgs))! != edges.Length)
            {
                throw new InvalidOperationException("the rebuilt graph does not have the expected edges");
            }
        }

        public void Take((int From, int To) e)
        {
            _lock.Invoke(_locks[e.From], CallerInfo);
            _lock.Invoke(_locks[e.To], CallerInfo);
            _unlock.Invoke(_locks[e.To], CallerInfo);
            _unlock.Invoke(_locks[e.From], CallerInfo);
        }
    }
}
