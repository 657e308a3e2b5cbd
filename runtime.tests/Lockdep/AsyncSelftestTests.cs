using Microsoft.VisualStudio.TestTools.UnitTesting;
using XeLocked.Locking;
using XeLocked.Runtime.Tests.Lockdep.Support;

namespace XeLocked.Runtime.Tests.Lockdep;

/// <summary>
/// The <c>lib/locking-selftest.c</c> scenarios (<see cref="SelftestScenarios"/>) re-run with async
/// locks held across awaits and thread hops, in one async flow: the same report kind, raised by the
/// same operation, as with the thread-bound primitives; the flow's held stack is empty afterwards.
/// </summary>
[TestClass]
public sealed class AsyncSelftestTests
{
    public static IEnumerable<object[]> Rows =>
        from s in SelftestScenarios.All
        where AsyncLockScript.Applies(s.Script)
        from kind in new[] { "amutex", "arw" }
        select new object[] { s.Name, kind };

    public static string RowName(System.Reflection.MethodInfo method, object[] row) => $"{method.Name}({row[0]}, {row[1]})";

    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    [DynamicData(nameof(Rows), DynamicDataDisplayName = nameof(RowName))]
    public async Task ThrowingMode_ExactOperationRaisesExactKind(string name, string kind)
    {
        var scenario = SelftestScenarios.All.Single(s => s.Name == name);
        using var capture = XeLocked.Locking.Lockdep.CaptureReports(LockdepMode.Throw);
        using var flow = XeLocked.Locking.Lockdep.BeginAsyncFlow("selftest");
        var script = new AsyncLockScript(scenario.Script, kind);
        var failedAt = -1;
        LockdepViolationKind? failedKind = null;
        try
        {
            for (var i = 0; i < script.Count; i++)
            {
                try
                {
                    await script.StepAsync(i);
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
            foreach (var l in scenario.Script.Split(' ').Where(t => t.Contains('(')).Select(t => t[(t.IndexOf('(') + 1)..^1]).Distinct())
            {
                Assert.AreEqual(script.ScriptHolds(l), script[l].IsHeldByCurrentThread, $"{l} held by the flow");
            }
        }
        finally
        {
            script.Cleanup();
        }

        Assert.AreEqual(0, AsyncFlow.CurrentOrNull!.Stack.Depth, "the flow's held stack is empty after cleanup");
    }

    [TestMethod]
    public void TheCoreShapesRunAsync()
    {
        var names = Rows.Select(r => (string)r[0]).ToHashSet();
        foreach (var shape in new[] { "AA_same_instance", "AA_two_instances", "ABBA", "ABBCCA", "ABCABC", "ABBCCDDA", "ABBA_rsem",
                     "rwsem_ABBA1", "rwsem_ABBA2", "rwsem_ABBA3", "rsem_AA1", "rsem_W1R2_W2R3_W3R1", "double_unlock", "read_unlock_of_write_hold",
                     "try_outer_is_a_prev", "try_inner_records_nothing", "held_at_exit", "init_held", "assert_held_read_on_write" })
        {
            Assert.IsTrue(names.Contains(shape), shape);
        }
    }
}
