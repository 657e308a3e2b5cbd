using System.Text.Json.Nodes;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using XeLocked.Sim;
using XeLocked.Sim.Cli;

namespace XeLocked.Runtime.Tests.Sim;

[TestClass]
public sealed class BenchCommandTests
{
    private static (int Code, string Out, string Err, List<string> Log) RunFake(params string[] args)
    {
        var log = new List<string>();
        var catalog = FakeScenario.Catalog(s => new FakeScenario(s), log);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = SimApp.RunAsync(args, new SimConsole(stdout, stderr, false), catalog).GetAwaiter().GetResult();
        return (code, stdout.ToString(), stderr.ToString(), log);
    }

    [TestMethod]
    public void HostCostsOffZeroesTheHostCostsOnly()
    {
        var settings = new List<XeLocked.Sim.Scenarios.ModelSettings>();
        var catalog = FakeScenario.Catalog(s => { settings.Add(s); return new FakeScenario(s); });
        var code = SimApp.RunAsync(["bench", "--workload", "svm", "--host-costs", "off"], new SimConsole(new StringWriter(), new StringWriter(), false), catalog)
            .GetAwaiter().GetResult();
        Assert.AreEqual(0, code);
        var off = XeLocked.Sim.Scenarios.ModelFactory.Options(settings.Single());
        Assert.AreEqual(TimeSpan.Zero, off.AsidLookupLatency);
        Assert.AreEqual(TimeSpan.Zero, off.VmaLookupLatency);
        Assert.AreEqual(TimeSpan.Zero, off.RangeLookupLatency);
        Assert.AreEqual(TimeSpan.Zero, off.ValidCheckLatency);
        Assert.AreEqual(TimeSpan.Zero, off.CtWriteLatency);
        var defaults = new XeLocked.Xe.XeOptions();
        Assert.AreEqual(defaults.CtDoorbellLatency, off.CtDoorbellLatency, "device latencies untouched");
        var on = XeLocked.Sim.Scenarios.ModelFactory.Options(settings.Single() with { Latencies = settings.Single().Latencies with { HostCosts = true } });
        Assert.AreEqual(defaults.RangeLookupLatency, on.RangeLookupLatency);
        Assert.IsTrue(on.RangeLookupLatency > TimeSpan.Zero);
    }

    [TestMethod]
    public void CompareJsonHasTheSpecFields()
    {
        var path = Path.Combine(Path.GetTempPath(), $"xelocked-bench-{Guid.NewGuid():N}.json");
        try
        {
            var r = RunFake("bench", "--compare", "--workload", "svm", "--faults", "100", "--json", path);
            Assert.AreEqual(0, r.Code, r.Err);
            CollectionAssert.AreEqual(new[] { "svm fine", "svm coarse" }, r.Log);
            var o = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
            foreach (var field in new[] { "locking", "workers", "faults", "faults_per_s", "p50_us", "p99_us", "services", "chained", "acks", "lockdep_reports", "fine", "coarse", "speedup" })
            {
                Assert.IsTrue(o.ContainsKey(field), $"missing \"{field}\"");
            }

            foreach (var side in new[] { "fine", "coarse" })
            {
                var s = o[side]!.AsObject();
                Assert.AreEqual(side, (string?)s["locking"]);
                Assert.AreEqual(8, (int?)s["workers"]);
                Assert.AreEqual(100, (long?)s["faults"]);
            }

            // The fake's fine run takes 1 s and its coarse run 4 s for the same faults.
            Assert.AreEqual(4.0, (double?)o["speedup"]);
            var target = o["targets"]!.AsArray().Single()!.AsObject();
            Assert.AreEqual("svm-parallel fine/coarse speedup", (string?)target["name"]);
            Assert.AreEqual(false, (bool?)target["met"]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public void AllWorkloadsRunAndReportTargets()
    {
        var path = Path.Combine(Path.GetTempPath(), $"xelocked-bench-{Guid.NewGuid():N}.json");
        try
        {
            var r = RunFake("bench", "--compare", "--storm-faults", "32", "--prefetch-ranges", "16", "--json", path);
            Assert.AreEqual(0, r.Code, r.Err);
            CollectionAssert.AreEqual(new[] { "svm fine", "svm coarse", "storm chaining=True faults=32", "storm chaining=False faults=32", "prefetch ranges=16" }, r.Log);
            var o = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
            Assert.AreEqual(3.0, (double?)o["prefetch"]!["ratio"]);
            Assert.IsNotNull(o["storm"]!["chaining"]);
            Assert.IsNotNull(o["storm"]!["no_chaining"]);
            Assert.AreEqual(4, o["targets"]!.AsArray().Count); // speedup, prefetch ratio, storm services, storm acks (the storm p99 ratio is retired)
            StringAssert.Contains(r.Out, "target prefetch threaded/single-threaded: 3.00 (target >= 2.8) met");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public void WithoutCompareRunsTheChosenLocking()
    {
        var r = RunFake("bench", "--workload", "svm", "--locking", "coarse");
        Assert.AreEqual(0, r.Code, r.Err);
        CollectionAssert.AreEqual(new[] { "svm coarse" }, r.Log);
    }

    [TestMethod]
    [DataRow(new[] { "bench", "--compare", "--locking", "coarse" }, "--locking cannot be combined with --compare")]
    [DataRow(new[] { "bench", "--compare", "--workload", "storm" }, "--compare applies to the svm workload")]
    [DataRow(new[] { "bench", "--workload", "everything" }, "'everything'")]
    [DataRow(new[] { "bench", "--storm-faults", "1" }, "--storm-faults: 1 is out of range")]
    [DataRow(new[] { "bench", "--prefetch-ranges", "5000" }, "--prefetch-ranges: 5000 is out of range")]
    [DataRow(new[] { "bench", "--json" }, "--json")]
    [DataRow(new[] { "bench", "--host-costs", "maybe" }, "'maybe'")]
    [DataRow(new[] { "bench", "--faults", "5000" }, "--faults: 5000 is out of range; expected 1 to 4,096")]
    public void BadOptionsExitWithUsageError(string[] args, string message)
    {
        var r = RunFake(args);
        Assert.AreEqual(ExitCodes.Usage, r.Code, r.Err);
        StringAssert.Contains(r.Err, message);
        Assert.AreEqual(0, r.Log.Count, "a workload ran despite bad options");
    }
}
