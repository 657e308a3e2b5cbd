using Microsoft.VisualStudio.TestTools.UnitTesting;
using XeLocked.Locking;
using XeLocked.Runtime.Tests.Lockdep.Support;

namespace XeLocked.Runtime.Tests.Lockdep;

/// <summary>
/// The <c>lib/locking-selftest.c</c> scenarios (<see cref="SelftestScenarios"/>) against every
/// primitive they apply to, in both modes: the exact report kind, raised by the exact operation,
/// and the locks' state consistent afterwards.
/// </summary>
[TestClass]
public sealed class SelftestTests
{
    public static IEnumerable<object[]> Rows =>
        from s in SelftestScenarios.All
        from kind in new[] { "mutex", "spin", "rwsem" }
        where SelftestScenarios.AppliesTo(s, kind)
        select new object[] { s.Name, kind };

    public static string RowName(System.Reflection.MethodInfo method, object[] row) => $"{method.Name}({row[0]}, {row[1]})";

    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    [DynamicData(nameof(Rows), DynamicDataDisplayName = nameof(RowName))]
    public void ThrowingMode_ExactOperationRaisesExactKind(string name, string kind)
    {
        var scenario = SelftestScenarios.All.Single(s => s.Name == name);
        using var capture = XeLocked.Locking.Lockdep.CaptureReports(LockdepMode.Throw);
        var script = new LockScript(scenario.Script, kind);
        var failedAt = -1;
        LockdepViolationKind? failedKind = null;
        try
        {
            for (var i = 0; i < script.Count; i++)
            {
                try
                {
                    script.Step(i);
                }
                catch (LockdepViolationException ex)
                {
                    failedAt = i;
                    failedKind = ex.Report.Kind;
                    Assert.AreSame(ex.Report, capture.Reports[^1], "the thrown report is the recorded one");
                    break;
                }
            }

            Assert.AreEqual(scenario.Expected, failedKind, $"{name} on {kind}: kind");
            Assert.AreEqual(scenario.FailAt, failedAt, $"{name} on {kind}: failing operation");
            Assert.AreEqual(scenario.Expected is null ? 0 : 1, capture.Reports.Count, "exactly one report");
            AssertConsistent(script, scenario.Script);
        }
        finally
        {
            script.Cleanup();
        }

        Assert.AreEqual(0, HeldStack.CurrentOrNull?.Depth ?? 0, "the held stack is empty after cleanup");
    }

    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    [DynamicData(nameof(Rows), DynamicDataDisplayName = nameof(RowName))]
    public void RecordingMode_ReportsAtTheSameOperationAndCarriesOn(string name, string kind)
    {
        var scenario = SelftestScenarios.All.Single(s => s.Name == name);
        using var capture = XeLocked.Locking.Lockdep.CaptureReports(LockdepMode.Record);
        var script = new LockScript(scenario.Script, kind);
        var firstAt = -1;
        try
        {
            for (var i = 0; i < script.Count; i++)
            {
                try
                {
                    script.Step(i);
                }
                catch (LockRecursionException)
                {
                    // Re-acquiring the very instance one holds is refused even when only recording.
                    Assert.AreEqual(LockdepViolationKind.RecursiveLocking, capture.Reports[^1].Kind);
                }

                if (firstAt < 0 && capture.Reports.Count > 0)
                {
                    firstAt = i;
                }
            }

            Assert.AreEqual(scenario.FailAt, firstAt, $"{name} on {kind}: first reporting operation");
            if (scenario.Expected is { } expected)
            {
                Assert.AreEqual(expected, capture.Reports[0].Kind);
            }
        }
        finally
        {
            script.Cleanup();
        }

        Assert.AreEqual(0, HeldStack.CurrentOrNull?.Depth ?? 0, "the held stack is empty after cleanup");
    }

    [TestMethod]
    public void EveryScenarioRunsOnAtLeastOnePrimitive()
    {
        foreach (var s in SelftestScenarios.All)
        {
            Assert.IsTrue(new[] { "mutex", "spin", "rwsem" }.Any(k => SelftestScenarios.AppliesTo(s, k)), s.Name);
        }

        Assert.IsTrue(Rows.Count() > 100, $"{Rows.Count()} rows");
    }

    /// <summary>The primitives agree with the script's book-keeping: a refused operation changed nothing.</summary>
    private static void AssertConsistent(LockScript script, string text)
    {
        foreach (var name in text.Split(' ').Where(t => t.Contains('(')).Select(t => t[(t.IndexOf('(') + 1)..^1]).Distinct())
        {
            Assert.AreEqual(script.ScriptHolds(name), script[name].Tracked.IsHeldByCurrentThread, $"{name} held state");
        }
    }
}
