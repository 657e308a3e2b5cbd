using Microsoft.VisualStudio.TestTools.UnitTesting;
using XeLocked.Sim;
using XeLocked.Sim.Cli;
using XeLocked.Sim.Scenarios;

namespace XeLocked.Runtime.Tests.Sim;

[TestClass]
public sealed class StressCommandTests
{
    private static (int Code, string Out, string Err, List<string> Log, List<ModelSettings> Settings) RunFake(params string[] args)
    {
        var log = new List<string>();
        var settings = new List<ModelSettings>();
        var catalog = FakeScenario.Catalog(s => { settings.Add(s); return new FakeScenario(s); }, log);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = SimApp.RunAsync(args, new SimConsole(stdout, stderr, false), catalog).GetAwaiter().GetResult();
        return (code, stdout.ToString(), stderr.ToString(), log, settings);
    }

    [TestMethod]
    public void DefaultsAreTheLongRunWithoutSimulatedTime()
    {
        var r = RunFake("stress");
        Assert.AreEqual(0, r.Code, r.Err);
        CollectionAssert.AreEqual(new[] { "stress vms=6 watchdog=00:00:30" }, r.Log);
        var s = r.Settings.Single();
        Assert.AreEqual(1_000_000L, s.Faults);
        Assert.AreEqual(8, s.Workers);
        Assert.AreEqual(0.0, s.Latencies.Scale, "stress races, it does not time: latencies off unless asked");
    }

    [TestMethod]
    public void OptionsReachTheScenario()
    {
        var r = RunFake("stress", "--faults", "1234", "--vms", "3", "--watchdog", "2s", "--latency-scale", "0.5", "--locking", "coarse");
        Assert.AreEqual(0, r.Code, r.Err);
        CollectionAssert.AreEqual(new[] { "stress vms=3 watchdog=00:00:02" }, r.Log);
        var s = r.Settings.Single();
        Assert.AreEqual((1234L, "coarse", 0.5), (s.Faults, s.Locking, s.Latencies.Scale));
    }

    [TestMethod]
    [DataRow(new[] { "stress", "--faults", "-5" }, "--faults: -5 is out of range")]
    [DataRow(new[] { "stress", "--watchdog", "10ms" }, "--watchdog: '10ms' is too short")]
    [DataRow(new[] { "stress", "--watchdog", "never" }, "--watchdog: 'never' is not a duration")]
    [DataRow(new[] { "stress", "--lockdep", "maybe" }, "'maybe'")]
    [DataRow(new[] { "stress", "--vms", "65" }, "--vms: 65 is out of range")]
    [DataRow(new[] { "stress", "extra" }, "'extra'")]
    public void BadOptionsExitWithUsageError(string[] args, string message)
    {
        var r = RunFake(args);
        Assert.AreEqual(ExitCodes.Usage, r.Code, r.Err);
        StringAssert.Contains(r.Err, message);
        StringAssert.Contains(r.Err, "Try 'XeLocked.Sim stress --help'");
        Assert.AreEqual(0, r.Log.Count);
    }
}
