using System.Text.Json.Nodes;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using XeLocked.Sim;
using XeLocked.Sim.Cli;
using XeLocked.Sim.Scenarios;
using XeLocked.Xe;

namespace XeLocked.Runtime.Tests.Sim;

/// <summary>
/// The commands over the real Xe model, in-process and short (seconds). Not parallel with other
/// classes: the lockdep report count the runs check is process-wide.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class ModelCommandTests
{
    private static string TempJson() => Path.Combine(Path.GetTempPath(), $"xelocked-sim-{Guid.NewGuid():N}.json");

    private static (SimHarness.Result Result, JsonObject Json) RunWithJson(params string[] args)
    {
        var path = TempJson();
        try
        {
            var r = SimHarness.Run([.. args, "--json", path]);
            Assert.IsTrue(File.Exists(path), $"no JSON written; exit {r.ExitCode}\n{r.Out}\n{r.Error}");
            return (r, JsonNode.Parse(File.ReadAllText(path))!.AsObject());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public void RunDefaultScenarioAcksEveryFault()
    {
        var (r, o) = RunWithJson("run", "--faults", "3000", "--latency-scale", "0.2");
        Assert.AreEqual(0, r.ExitCode, r.Error + r.Out);
        Assert.AreEqual(3000, (long?)o["faults"]);
        Assert.AreEqual(3000, (long?)o["acks"], "every fault acked once");
        Assert.IsTrue((long?)o["services"] > 0);
        Assert.IsTrue((long?)o["chained"] > 0, "the default scenario's storms chain");
        Assert.IsTrue((double?)o["p99_us"] >= (double?)o["p50_us"]);
        Assert.AreEqual(0, (int?)o["lockdep_reports"]);
        StringAssert.Contains(r.Out, "ack latency p99");

        // The last progress line, the summary table and the JSON tell one story.
        var services = ((long)o["services"]!).ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
        var done = r.Out.Split('\n').Single(l => l.Contains(" done: ", StringComparison.Ordinal));
        StringAssert.Contains(done, $" {services} services,", $"progress and JSON disagree: {done}");
        var row = r.Out.Split('\n').Single(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^\W*services\s+\W"));
        StringAssert.Contains(row, services, $"table and JSON disagree: {row}");
        Assert.IsFalse(r.Out.Contains("last_fault_acks", StringComparison.Ordinal), "a snake_case key in the summary table");
        StringAssert.Contains(r.Out, "last fault acks");
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public void RunFailsOnALockdepReport()
    {
        // A failed lockdep assertion in a fault worker (lockdep_assert_held that does not hold),
        // injected through a model hook. An assertion leaves the tracker's dependency graph alone,
        // so no later test in this process sees a trace of it.
        var done = 0;
        var catalog = ScenarioCatalog.Model with
        {
            Default = (s, vms) => MixedScenario.Default(s, vms, xe => xe.Hooks.Set(HookPoint.AfterRangeLock, _ =>
            {
                if (Interlocked.Exchange(ref done, 1) == 0)
                {
                    XeLocked.Locking.Lockdep.Assert(false, "injected by RunFailsOnALockdepReport");
                }
            })),
        };
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = SimApp.RunAsync(["run", "--faults", "500", "--latency-scale", "0"], new SimConsole(stdout, stderr, false), catalog)
            .GetAwaiter().GetResult();
        Assert.AreEqual(ExitCodes.RunFailure, code, stderr.ToString());
        StringAssert.Contains(stderr.ToString(), "FAILED: [fine] lockdep AssertionFailed");
        StringAssert.Contains(stderr.ToString(), "injected by RunFailsOnALockdepReport");
        Assert.AreEqual(1, done);
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public void RunDurationCapsTheSubmission()
    {
        var (r, o) = RunWithJson("run", "--faults", "50000000", "--duration", "300ms", "--latency-scale", "1");
        Assert.AreEqual(0, r.ExitCode, r.Error);
        var faults = (long)o["faults"]!;
        Assert.IsTrue(faults is > 0 and < 50_000_000, $"faults {faults}");
        Assert.AreEqual(faults, (long?)o["acks"], "what was submitted is still drained and acked");
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public void BenchCompareFineBeatsCoarseOnParallelMigrations()
    {
        var (r, o) = RunWithJson("bench", "--compare", "--workload", "svm", "--faults", "128", "--workers", "8");
        Assert.AreEqual(0, r.ExitCode, r.Error + r.Out);
        var fine = o["fine"]!.AsObject();
        var coarse = o["coarse"]!.AsObject();
        Assert.AreEqual(128, (long?)fine["acks"]);
        Assert.AreEqual(128, (long?)coarse["acks"]);
        Assert.AreEqual(128, (long?)fine["services"], "distinct ranges: one service each");
        Assert.IsTrue((long?)fine["max_concurrent_migrations"] >= 2, "fine locking migrates in parallel");
        Assert.AreEqual(1, (long?)coarse["max_concurrent_migrations"], "coarse locking serializes the VM's faults");
        Assert.IsTrue((long?)fine["migrations_overlapped"] >= 1, "fine: some migration started while another ran");
        Assert.AreEqual(0, (long?)coarse["migrations_overlapped"], "coarse: none did");
        // How much faster is measured by `bench` (docs/sim.md), not asserted here: wall-clock
        // ratios on a shared machine are noise. The JSON must carry the ratio of the two runs.
        Assert.AreEqual((double)fine["faults_per_s"]! / (double)coarse["faults_per_s"]!, (double)o["speedup"]!, 0.02 + 0.02 * (double)o["speedup"]!);
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public void BenchStormIsOneServicePerStorm()
    {
        var (r, o) = RunWithJson("bench", "--workload", "storm", "--storm-faults", "32", "--latency-scale", "1");
        Assert.AreEqual(0, r.ExitCode, r.Error + r.Out);
        var on = o["storm"]!["chaining"]!.AsObject();
        var off = o["storm"]!["no_chaining"]!.AsObject();
        var storms = StormScenario.Rounds;
        var others = (long)StormScenario.OtherFaultsPerStorm * storms; // one fresh range, one service each
        Assert.AreEqual(storms + others, (long?)on["services"], "one service per storm with chaining, one per unrelated fault");
        Assert.AreEqual(32L * storms + others, (long?)on["acks"]);
        Assert.AreEqual(32L * storms + others, (long?)off["services"], "without the storm cache every fault is serviced");
        Assert.AreEqual(32L * storms + others, (long?)off["acks"]);
        foreach (var run in new[] { on, off })
        {
            // The unrelated faults' latency is reported apart from the storm's, each acked once.
            var other = run["other_faults"]!.AsObject();
            Assert.AreEqual(others, (long?)other["faults"]);
            Assert.AreEqual(others, (long?)other["acked"]);
            Assert.IsTrue((double)other["p50_us"]! > 0 && (double)other["p99_us"]! >= (double)other["p50_us"]!);
        }

        // How much lower is measured by `bench` (docs/sim.md), not asserted: the JSON carries the ratios.
        var ratio = (double)off["other_faults"]!["p99_us"]! / (double)on["other_faults"]!["p99_us"]!;
        Assert.AreEqual(ratio, (double)o["storm"]!["other_p99_ratio"]!, 0.01 + 0.01 * ratio);
        var targets = o["targets"]!.AsArray().Select(t => (string)t!["name"]!).ToArray();
        CollectionAssert.Contains(targets, "storm services per storm (chaining on)");
        CollectionAssert.DoesNotContain(targets, "storm ack p99 no-chaining/chaining", "the storm's own p99 is not a target");
        Assert.IsTrue(o["targets"]!.AsArray().Where(t => ((string)t!["name"]!).StartsWith("storm", StringComparison.Ordinal)).All(t => (bool)t!["met"]!));
        StringAssert.Contains(r.Out, "their ack latency p99");
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public void BenchPrefetchThreadedMigratesInParallel()
    {
        var (r, o) = RunWithJson("bench", "--workload", "prefetch", "--prefetch-ranges", "8", "--workers", "4");
        Assert.AreEqual(0, r.ExitCode, r.Error + r.Out);
        var p = o["prefetch"]!.AsObject();
        Assert.AreEqual(0, p["failures"]!.AsArray().Count);
        Assert.IsTrue((long?)p["max_concurrent_migrations"] >= 2, "threaded prefetch migrates in parallel");
        // The speed ratio itself is measured by `bench` (docs/sim.md), not asserted: wall-clock ratios
        // on a shared machine are noise. The JSON must carry the ratio of the two timings.
        Assert.AreEqual((double)p["single_threaded_s"]! / (double)p["threaded_s"]!, (double)p["ratio"]!, 0.02 + 0.05 * (double)p["ratio"]!);
    }

    [TestMethod]
    [Timeout(120_000, CooperativeCancellation = true)]
    public void ShortStressHoldsTheInvariants()
    {
        var (r, o) = RunWithJson("stress", "--faults", "5000", "--watchdog", "10s");
        Assert.AreEqual(0, r.ExitCode, r.Error);
        Assert.AreEqual(true, (bool?)o["passed"]);
        Assert.AreEqual(0, (int?)o["lockdep_reports"]);
        Assert.AreEqual((long?)o["faults"], (long?)o["acks"] + (long?)o["stats"]!["squashed"], "each fault acked once or squashed by a reset");
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public void StressWatchdogReportsAHang()
    {
        using var gate = new ManualResetEventSlim(false);
        var serviced = 0;
        var catalog = ScenarioCatalog.Model with
        {
            // Every service after the 200th blocks until the test ends: acks stop with faults outstanding.
            Stress = s => MixedScenario.Stress(s, faithful: false, xe => xe.Hooks.Set(HookPoint.BeforeService, _ =>
            {
                if (Interlocked.Increment(ref serviced) > 200)
                {
                    gate.Wait();
                }
            })),
        };
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        try
        {
            var code = SimApp.RunAsync(["stress", "--faults", "5000", "--watchdog", "500ms"], new SimConsole(stdout, stderr, false), catalog)
                .GetAwaiter().GetResult();
            Assert.AreEqual(ExitCodes.RunFailure, code, stderr.ToString());
            StringAssert.Contains(stderr.ToString(), "hang: no progress for");
            StringAssert.Contains(stderr.ToString(), "pagefault_info");
            StringAssert.Contains(stderr.ToString(), "Vm.Lock: ");
        }
        finally
        {
            gate.Set(); // let the blocked workers finish
        }
    }

    /// <summary>The hang report lists each stuck thread's held locks (lockdep's <c>debug_show_all_locks</c>).</summary>
    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public void StressWatchdogShowsTheStuckThreadsHeldLocks()
    {
        Assert.IsTrue(XeLocked.Locking.Lockdep.Enabled, "the test suite runs with lockdep on");
        using var gate = new ManualResetEventSlim(false);
        var inRange = 0;
        var catalog = ScenarioCatalog.Model with
        {
            // SVM services after the 100th block holding vm->lock (read) and the range lock, until the test ends.
            Stress = s => MixedScenario.Stress(s, faithful: false, xe => xe.Hooks.Set(HookPoint.AfterRangeLock, _ =>
            {
                if (Interlocked.Increment(ref inRange) > 100)
                {
                    gate.Wait();
                }
            })),
        };
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        try
        {
            var code = SimApp.RunAsync(["stress", "--faults", "5000", "--watchdog", "500ms"], new SimConsole(stdout, stderr, false), catalog)
                .GetAwaiter().GetResult();
            Assert.AreEqual(ExitCodes.RunFailure, code, stderr.ToString());
            var err = stderr.ToString();
            StringAssert.Contains(err, "hang: no progress for");
            StringAssert.Contains(err, "Showing all locks held in the system:");
            // A stuck worker: vm->lock (read) taken by the fault service, then the range lock.
            StringAssert.Matches(err, new System.Text.RegularExpressions.Regex(
                @"locks held by [^\n]+:\r?\n #0: \(Vm\.Lock\)\{read\}, at: [^\n]*LockingPolicy\.cs:\d+\r?\n #1: \(SvmRange\.Lock\)\{write\}, at: [^\n]*SvmFaultHandler\.cs:\d+"));
        }
        finally
        {
            gate.Set(); // let the blocked workers finish
        }
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public void GraphObserveClassifiesTheEdgesOfARun()
    {
        Assert.IsTrue(XeLocked.Locking.Lockdep.Enabled, "the test suite runs with lockdep on");
        var settings = new ModelSettings("fine", 4, 2000, 1, null, LatencySettings.ModelDefaults with { Scale = 0.1 });
        var (h, report) = XeLocked.Sim.Commands.GraphCommand.Observe(MixedScenario.Default(settings, 2));
        Assert.IsTrue(report.Passed, string.Join("\n", report.Failures));
        var origins = h.Edges.ToDictionary(e => (e.Outer, e.Inner), e => e.Origin);
        // The fault path nests the per-range lock inside vm->lock (read): declared, and seen.
        Assert.AreEqual(XeLocked.Sim.Graph.EdgeOrigin.DeclaredAndObserved, origins[("Vm.Lock", "SvmRange.Lock")]);
        // Nothing the run did contradicts the declared order (lockdep would also have reported it).
        var inverted = h.Edges.Where(e => e.Origin == XeLocked.Sim.Graph.EdgeOrigin.ObservedInverted).ToList();
        Assert.AreEqual(0, inverted.Count, string.Join(", ", inverted));
        // The declared hierarchy covers every nesting the run made (the work-queue pool lock is declared innermost).
        var undeclared = h.Edges.Where(e => e.Origin == XeLocked.Sim.Graph.EdgeOrigin.ObservedUndeclared).ToList();
        var where = XeLocked.Locking.Lockdep.ObservedEdges
            .Where(e => undeclared.Any(u => u.Outer == XeLocked.Sim.Commands.GraphCommand.BaseClass(e.From) && u.Inner == XeLocked.Sim.Commands.GraphCommand.BaseClass(e.To)))
            .Select(e => $"{e.From} (taken at {e.FromFile}:{e.FromLine}) -> {e.To} (at {e.File}:{e.Line})");
        Assert.AreEqual(0, undeclared.Count, string.Join("; ", where));
        // Only the model's classes: edges other tests' locks made are filtered out.
        CollectionAssert.IsSubsetOf(h.Classes.ToList(), XeLocked.Sim.Commands.GraphCommand.ReadModelHierarchy().Classes.ToList());
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public void GraphObserveCommandDrawsObservedEdges()
    {
        var r = SimHarness.Run("graph", "--observe", "--format", "dot");
        Assert.AreEqual(0, r.ExitCode, r.Error);
        StringAssert.StartsWith(r.Out, "digraph lock_hierarchy {");
        StringAssert.Contains(r.Out, "Vm_Lock -> SvmRange_Lock [penwidth=2, label=\"observed\"];");
        Assert.IsFalse(r.Out.Contains("INVERTED", StringComparison.Ordinal), r.Out);
    }

    [TestMethod]
    public void GraphObserveCannotUpdateTheDoc()
    {
        var r = SimHarness.Run("graph", "--observe", "--check-doc", "docs/lock-hierarchy.md");
        Assert.AreEqual(ExitCodes.Usage, r.ExitCode);
        StringAssert.Contains(r.Error, "--observe cannot be combined");
    }
}
