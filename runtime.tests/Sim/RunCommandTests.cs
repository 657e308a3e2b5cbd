using System.Text.Json.Nodes;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using XeLocked.Sim;
using XeLocked.Sim.Cli;
using XeLocked.Sim.Scenarios;

namespace XeLocked.Runtime.Tests.Sim;

[TestClass]
public sealed class RunCommandTests
{
    private static (int Code, string Out, string Err, FakeScenario? Scenario) RunFake(string[] args, IReadOnlyList<string>? failures = null)
    {
        FakeScenario? created = null;
        var catalog = FakeScenario.Catalog(s => created = new FakeScenario(s, failures));
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = SimApp.RunAsync(args, new SimConsole(stdout, stderr, false), catalog).GetAwaiter().GetResult();
        return (code, stdout.ToString(), stderr.ToString(), created);
    }

    [TestMethod]
    [DataRow(new[] { "run", "--locking", "medium" }, "'medium'")]
    [DataRow(new[] { "run", "--workers", "0" }, "--workers: 0 is out of range; expected 1 to 8")]
    [DataRow(new[] { "run", "--workers", "9" }, "--workers: 9 is out of range")]
    [DataRow(new[] { "run", "--workers", "many" }, "many")]
    [DataRow(new[] { "run", "--faults", "0" }, "--faults: 0 is out of range")]
    [DataRow(new[] { "run", "--duration", "soon" }, "--duration: 'soon' is not a duration")]
    [DataRow(new[] { "run", "--duration", "0s" }, "--duration: must be more than zero")]
    [DataRow(new[] { "run", "--migration-latency", "-1ms" }, "--migration-latency: '-1ms' is negative")]
    [DataRow(new[] { "run", "--latency-scale", "1000" }, "--latency-scale: 1000 is out of range")]
    [DataRow(new[] { "run", "--vms", "0" }, "--vms: 0 is out of range")]
    [DataRow(new[] { "run", "--no-such-option" }, "--no-such-option")]
    public void BadOptionsExitWithUsageError(string[] args, string message)
    {
        var r = RunFake(args);
        Assert.AreEqual(ExitCodes.Usage, r.Code, r.Err);
        StringAssert.Contains(r.Err, message);
        StringAssert.Contains(r.Err, "Try 'XeLocked.Sim run --help'");
        Assert.IsNull(r.Scenario, "a scenario ran despite bad options");
    }

    [TestMethod]
    public void OptionsReachTheScenario()
    {
        var r = RunFake(["run", "--locking", "coarse", "-w", "3", "--faults", "123", "--seed", "9", "--duration", "2s",
                         "--migration-latency", "250us", "--latency-scale", "0.5"]);
        Assert.AreEqual(0, r.Code, r.Err);
        var s = r.Scenario!.Settings;
        Assert.AreEqual(("coarse", 3, 123L, 9), (s.Locking, s.Workers, s.Faults, s.Seed));
        Assert.AreEqual(TimeSpan.FromSeconds(2), s.Duration);
        Assert.AreEqual(TimeSpan.FromMicroseconds(250), s.Latencies.MigrationBase);
        Assert.AreEqual(0.5, s.Latencies.Scale);
        Assert.IsNull(s.Latencies.PtUpdate);
    }

    [TestMethod]
    public void PrintsProgressAndSummaryTable()
    {
        var r = RunFake(["run", "--faults", "1000"]);
        Assert.AreEqual(0, r.Code, r.Err);
        StringAssert.Contains(r.Out, "fake (fine) done: 1,000/1,000 acked");
        foreach (var row in new[] { "faults", "services", "chained", "acks", "ack latency p50", "ack latency p99", "services overlapped", "migrations overlapped", "max concurrent migrations", "lockdep reports" })
        {
            StringAssert.Contains(r.Out, row);
        }

        StringAssert.Contains(r.Out, "99.3 us");
        Assert.IsFalse(r.Out.Contains('\u001b'), "ANSI escapes in redirected output");
    }

    [TestMethod]
    public void WritesJson()
    {
        var path = Path.Combine(Path.GetTempPath(), $"xelocked-run-{Guid.NewGuid():N}.json");
        try
        {
            var r = RunFake(["run", "--faults", "500", "--json", path]);
            Assert.AreEqual(0, r.Code, r.Err);
            var o = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
            Assert.AreEqual("fine", (string?)o["locking"]);
            Assert.AreEqual(500, (long?)o["faults"]);
            Assert.AreEqual(500.0, (double?)o["faults_per_s"]);
            Assert.AreEqual(99.3, (double?)o["p99_us"]); // rounded to 0.1 µs
            Assert.AreEqual(true, (bool?)o["passed"]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public void FailedChecksExitOneWithMessage()
    {
        var r = RunFake(["run", "--faults", "10"], ["fault 7 was acked twice"]);
        Assert.AreEqual(ExitCodes.RunFailure, r.Code);
        StringAssert.Contains(r.Err, "FAILED: [fine] fault 7 was acked twice");
        StringAssert.Contains(r.Out, "acks", "the summary is still printed");
    }

    [TestMethod]
    public void JsonToADirectoryIsUsageError()
    {
        var r = RunFake(["run", "--json", Path.GetTempPath()]);
        Assert.AreEqual(ExitCodes.Usage, r.Code);
        StringAssert.Contains(r.Err, "is a directory");
    }

    [TestMethod]
    public void UnwritableJsonIsAFailureWithMessage()
    {
        var blocker = Path.GetTempFileName(); // a file where the JSON's folder should be
        try
        {
            var r = RunFake(["run", "--faults", "10", "--json", Path.Combine(blocker, "out.json")]);
            Assert.AreEqual(ExitCodes.RunFailure, r.Code);
            StringAssert.Contains(r.Err, "FAILED: cannot write the JSON to");
        }
        finally
        {
            File.Delete(blocker);
        }
    }

    [TestMethod]
    public void AScenarioThatThrowsIsAFailedRun()
    {
        var catalog = FakeScenario.Catalog(s => new FakeScenario(s)) with { Default = (_, _) => new ThrowingScenario() };
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = SimApp.RunAsync(["run"], new SimConsole(stdout, stderr, false), catalog).GetAwaiter().GetResult();
        Assert.AreEqual(ExitCodes.RunFailure, code);
        StringAssert.Contains(stderr.ToString(), "FAILED: thrower: the scenario threw System.InvalidOperationException: model bug");
    }

    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void InteractiveConsoleShowsLiveProgress()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var catalog = FakeScenario.Catalog(s => new FakeScenario(s));
        var code = SimApp.RunAsync(["run", "--faults", "42"], new SimConsole(stdout, stderr, IsInteractive: true), catalog).GetAwaiter().GetResult();
        Assert.AreEqual(0, code, stderr.ToString());
        StringAssert.Contains(stdout.ToString(), "fake (fine)");
        StringAssert.Contains(stdout.ToString(), "42 acked");
        StringAssert.Contains(stdout.ToString(), "100%");
    }

    private sealed class ThrowingScenario : IScenario
    {
        public string Label => "thrower";

        public XeLocked.Sim.Output.ProgressSample Sample() => default;

        public XeLocked.Sim.Output.RunReport Run(CancellationToken cancellationToken) => throw new InvalidOperationException("model bug");
    }
}
