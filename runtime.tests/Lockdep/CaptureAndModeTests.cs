using Microsoft.VisualStudio.TestTools.UnitTesting;
using XeLocked.Locking;
using XeLocked.Runtime.Tests.Lockdep.Support;
using XeLocked.Runtime.Tests.Primitives;
using LD = XeLocked.Locking.Lockdep;

namespace XeLocked.Runtime.Tests.Lockdep;

/// <summary>Report sinks and modes: capture scopes are async-local, the recording mode carries on and reports each chain once.</summary>
[TestClass]
public sealed class CaptureAndModeTests
{
    private static void Abba(TrackedMutex a, TrackedMutex b)
    {
        a.Lock();
        b.Lock();
        b.Unlock();
        a.Unlock();
        b.Lock();
        try
        {
            a.Lock();
            a.Unlock();
        }
        finally
        {
            b.Unlock();
        }
    }

    [TestMethod]
    public void ReportsInAScope_StayOutOfTheGlobalList()
    {
        var p = Names.Prefix("Cg");
        using (var scope = LD.CaptureReports(LockdepMode.Record))
        {
            Abba(new TrackedMutex($"{p}.A"), new TrackedMutex($"{p}.B"));
            Assert.AreEqual(LockdepViolationKind.CircularDependency, scope.Reports.Single().Kind);
        }

        Assert.IsFalse(LD.Reports.Any(r => r.Classes.Any(c => c.StartsWith(p, StringComparison.Ordinal))));
    }

    [TestMethod]
    public void RecordingMode_CarriesOn_AndReportsEachChainOnce()
    {
        var p = Names.Prefix("Cr");
        var a = new TrackedMutex($"{p}.A");
        var b = new TrackedMutex($"{p}.B");
        using var scope = LD.CaptureReports(LockdepMode.Record);
        Abba(a, b);
        Abba(a, b);
        Abba(a, b);
        Assert.AreEqual(1, scope.Reports.Count, "one report for one bad chain");
        Assert.IsFalse(a.IsHeldByCurrentThread || b.IsHeldByCurrentThread);
        LD.AssertNoLocksHeld();
    }

    [TestMethod]
    public void EachScopeSeesTheViolationsItCauses_EvenAfterAnotherScopeSawThemFirst()
    {
        var p = Names.Prefix("Cs");
        var a = new TrackedMutex($"{p}.A");
        var b = new TrackedMutex($"{p}.B");
        using (var first = LD.CaptureReports(LockdepMode.Record))
        {
            Abba(a, b);
            Abba(a, b);
            Assert.AreEqual(1, first.Reports.Count, "a repeat inside one scope is collected once");
        }

        using var second = LD.CaptureReports(LockdepMode.Record);
        Abba(a, b);
        Assert.AreEqual(LockdepViolationKind.CircularDependency, second.Reports.Single().Kind);
    }

    [TestMethod]
    public void TheTrackerKeepsValidatingAfterAReport()
    {
        var p = Names.Prefix("Ck");
        using var scope = LD.CaptureReports(LockdepMode.Record);
        Abba(new TrackedMutex($"{p}.A"), new TrackedMutex($"{p}.B"));
        Abba(new TrackedMutex($"{p}.C"), new TrackedMutex($"{p}.D"));
        CollectionAssert.AreEqual(new[] { $"{p}.A", $"{p}.B" }, scope.Reports[0].Classes.ToArray());
        CollectionAssert.AreEqual(new[] { $"{p}.C", $"{p}.D" }, scope.Reports[1].Classes.ToArray());
    }

    [TestMethod]
    public void NestedScopes_RestoreTheOuterOne()
    {
        var p = Names.Prefix("Cn");
        using var outer = LD.CaptureReports(LockdepMode.Record);
        using (var inner = LD.CaptureReports(LockdepMode.Throw))
        {
            var m = new TrackedMutex($"{p}.M");
            Assert.ThrowsExactly<LockdepViolationException>(() => m.Unlock());
            Assert.AreEqual(1, inner.Reports.Count);
        }

        new TrackedMutex($"{p}.N").Unlock(); // recorded in the outer scope, not thrown
        Assert.AreEqual(1, outer.Reports.Count);
    }

    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public async Task Scope_FlowsIntoTasks_AndIsInvisibleToUnrelatedThreads()
    {
        var p = Names.Prefix("Ct");
        using var scope = LD.CaptureReports(LockdepMode.Record);
        await Task.Run(() => new TrackedMutex($"{p}.InTask").Unlock());
        Assert.AreEqual(1, scope.Reports.Count, "the task's report reached the scope it was started in");

        // A thread with its own scope (another test, say) does not see ours and we do not see its.
        LockdepReportCapture? theirs = null;
        var t = Bounded.Start(() =>
        {
            using var s = LD.CaptureReports(LockdepMode.Record);
            theirs = s;
            new TrackedMutex($"{p}.Theirs").Unlock();
        }, "other");
        Bounded.Join(t);
        Assert.AreEqual(1, theirs!.Reports.Count);
        Assert.AreEqual(1, scope.Reports.Count);
    }

    [TestMethod]
    public void ReportedEvent_SeesEachReport()
    {
        var p = Names.Prefix("Ce");
        var seen = new List<LockdepReport>();
        void Handler(LockdepReport r)
        {
            if (r.Classes.Any(c => c.StartsWith(p, StringComparison.Ordinal)))
            {
                lock (seen)
                {
                    seen.Add(r);
                }
            }
        }

        LD.Reported += Handler;
        try
        {
            using var scope = LD.CaptureReports(LockdepMode.Record);
            new TrackedMutex($"{p}.X").Unlock();
        }
        finally
        {
            LD.Reported -= Handler;
        }

        Assert.AreEqual(LockdepViolationKind.BadUnlockBalance, seen.Single().Kind);
    }

    [TestMethod]
    public void DisjunctiveAssert_IsOneLine()
    {
        var p = Names.Prefix("Ca");
        var vm = new TrackedRwSemaphore($"{p}Vm.Lock");
        var fault = new TrackedMutex($"{p}Vma.FaultLock");
        using var scope = LD.CaptureReports(LockdepMode.Throw);
        void Check() => LD.Assert(LD.IsHeldType(vm, XeLocked.Annotations.LockMode.Write) || (LD.IsHeld(vm) && LD.IsHeld(fault)), "vm write, or vm read and fault lock");

        using (vm.WriteGuard())
        {
            Check();
        }

        using (vm.ReadGuard())
        using (fault.Guard())
        {
            Check();
        }

        using (vm.ReadGuard())
        {
            var ex = Assert.ThrowsExactly<LockdepViolationException>(Check);
            Assert.AreEqual(LockdepViolationKind.AssertionFailed, ex.Report.Kind);
            StringAssert.Contains(ex.Report.Text, "vm write, or vm read and fault lock");
            StringAssert.Contains(ex.Report.Text, $"({p}Vm.Lock){{read}}");
        }
    }
}
