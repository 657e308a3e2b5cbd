using Microsoft.VisualStudio.TestTools.UnitTesting;
using XeLocked.Locking;
using XeLocked.Runtime.Tests.Lockdep.Support;
using LD = XeLocked.Locking.Lockdep;

namespace XeLocked.Runtime.Tests.Lockdep;

/// <summary>Reports read like lockdep's: the kind, the classes, the chain with where each edge was first seen, the scenario table.</summary>
[TestClass]
public sealed class ReportFormatTests
{
    private static string[] Lines(string text) => text.Split(Environment.NewLine);

    [TestMethod]
    public void Abba_CircularReport_HasLockdepsLayout()
    {
        var p = Names.Prefix("Rf");
        var a = new TrackedMutex($"{p}.A");
        var b = new TrackedRwSemaphore($"{p}.B");
        using var scope = LD.CaptureReports(LockdepMode.Throw);
        a.Lock("a.cs", 1);
        b.LockRead("a.cs", 2);
        b.UnlockRead();
        a.Unlock();
        b.LockRead("b.cs", 3);
        var r = Assert.ThrowsExactly<LockdepViolationException>(() => a.Lock("b.cs", 4)).Report;
        b.UnlockRead();

        var expected = new[]
        {
            "======================================================",
            "WARNING: possible circular locking dependency detected",
            "------------------------------------------------------",
        };
        CollectionAssert.AreEqual(expected, Lines(r.Text).Take(3).ToArray());
        var text = r.Text;
        StringAssert.Contains(text, $" is trying to acquire lock:{Environment.NewLine} ({p}.A){{write}}, at: b.cs:4");
        StringAssert.Contains(text, $"but thread is already holding lock:{Environment.NewLine} ({p}.B){{read}}, at: b.cs:3");
        StringAssert.Contains(text, "which lock already depends on the new lock.");
        StringAssert.Contains(text, "the existing dependency chain (in reverse order) is:");
        StringAssert.Contains(text, $"-> #1 ({p}.B):{Environment.NewLine}       first seen at a.cs:2, taken while holding ({p}.A) acquired at a.cs:1 [EN]");
        StringAssert.Contains(text, $"-> #0 ({p}.A):{Environment.NewLine}       now at b.cs:4, taken while holding ({p}.B) acquired at b.cs:3");
        Assert.IsFalse(text.Contains("Chain exists of:", StringComparison.Ordinal), "two classes: no 'Chain exists of'");
        var scenario = string.Join(Environment.NewLine,
            " Possible unsafe locking scenario:",
            "",
            "       CPU0                    CPU1",
            "       ----                    ----",
            $"  rlock({p}.B);",
            $"                               lock({p}.A);",
            $"                               lock({p}.B);",
            $"  lock({p}.A);",
            "",
            " *** DEADLOCK ***");
        StringAssert.Contains(text, scenario);
        StringAssert.Contains(text, $"1 lock held by ");
        StringAssert.Contains(text, $" #0: ({p}.B){{read}}, at: b.cs:3");
        CollectionAssert.AreEqual(new[] { $"{p}.A", $"{p}.B" }, r.Classes.ToArray());
        Assert.AreEqual(LockdepViolationKind.CircularDependency, r.Kind);
        Assert.AreEqual("b.cs:4", r.Location);
    }

    [TestMethod]
    public void LongerCycle_ShowsTheWholeChain_AndChainExistsOf()
    {
        var p = Names.Prefix("Rl");
        var a = new TrackedMutex($"{p}.A");
        var b = new TrackedMutex($"{p}.B");
        var c = new TrackedMutex($"{p}.C");
        using var scope = LD.CaptureReports(LockdepMode.Throw);
        a.Lock("x.cs", 1);
        b.Lock("x.cs", 2);
        b.Unlock();
        a.Unlock();
        b.Lock("y.cs", 3);
        c.Lock("y.cs", 4);
        c.Unlock();
        b.Unlock();
        c.Lock("z.cs", 5);
        var r = Assert.ThrowsExactly<LockdepViolationException>(() => a.Lock("z.cs", 6)).Report;
        c.Unlock();

        CollectionAssert.AreEqual(new[] { $"{p}.A", $"{p}.B", $"{p}.C" }, r.Classes.ToArray());
        var text = r.Text;
        var i2 = text.IndexOf($"-> #2 ({p}.C):", StringComparison.Ordinal);
        var i1 = text.IndexOf($"-> #1 ({p}.B):", StringComparison.Ordinal);
        var i0 = text.IndexOf($"-> #0 ({p}.A):", StringComparison.Ordinal);
        Assert.IsTrue(i2 > 0 && i1 > i2 && i0 > i1, "entries in reverse order");
        StringAssert.Contains(text, "first seen at y.cs:4");
        StringAssert.Contains(text, "first seen at x.cs:2");
        StringAssert.Contains(text, $"Chain exists of:{Environment.NewLine}  {p}.A --> {p}.B --> {p}.C");
        StringAssert.Contains(text, $"  lock({p}.C);{Environment.NewLine}                               lock({p}.B);{Environment.NewLine}                               lock({p}.C);{Environment.NewLine}  lock({p}.A);");
    }

    [TestMethod]
    public void RecursiveReport_SuggestsNestingAnnotation()
    {
        var p = Names.Prefix("Rr");
        var x1 = new TrackedMutex($"{p}.X");
        var x2 = new TrackedMutex($"{p}.X");
        using var scope = LD.CaptureReports(LockdepMode.Throw);
        x1.Lock("r.cs", 1);
        var r = Assert.ThrowsExactly<LockdepViolationException>(() => x2.Lock("r.cs", 2)).Report;
        x1.Unlock();
        StringAssert.StartsWith(Lines(r.Text)[1], "WARNING: possible recursive locking detected");
        StringAssert.Contains(r.Text, $"({p}.X){{write}}, at: r.cs:2");
        StringAssert.Contains(r.Text, $"but thread is already holding lock:{Environment.NewLine} ({p}.X){{write}}, at: r.cs:1");
        StringAssert.Contains(r.Text, $"       CPU0{Environment.NewLine}       ----{Environment.NewLine}  lock({p}.X);{Environment.NewLine}  lock({p}.X);");
        StringAssert.Contains(r.Text, "May be due to missing lock nesting notation");

        // With the annotation there is no report, and the subclass is printed as lockdep does.
        x1.Lock();
        x2.LockNested(1, "r.cs", 3);
        var edge = LD.ObservedEdges.Single(e => e.From == $"{p}.X");
        Assert.AreEqual($"{p}.X/1", edge.To);
        Assert.AreEqual(("r.cs", 3), (edge.File, edge.Line));
        x2.Unlock();
        x1.Unlock();
    }

    [TestMethod]
    public void BadUnlockAndHeldAtExitReports_ListTheHeldLocks()
    {
        var p = Names.Prefix("Rb");
        var a = new TrackedMutex($"{p}.A");
        var b = new TrackedSpinLock($"{p}.B");
        using var scope = LD.CaptureReports(LockdepMode.Throw);
        a.Lock("h.cs", 1);
        var r = Assert.ThrowsExactly<LockdepViolationException>(() => b.Unlock("h.cs", 2)).Report;
        StringAssert.Contains(r.Text, "WARNING: bad unlock balance detected!");
        StringAssert.Contains(r.Text, $"is trying to release lock ({p}.B) for write at:{Environment.NewLine}  h.cs:2{Environment.NewLine}but there are no more locks to release!");
        StringAssert.Contains(r.Text, $" #0: ({p}.A){{write}}, at: h.cs:1");

        r = Assert.ThrowsExactly<LockdepViolationException>(LD.AssertNoLocksHeld).Report;
        Assert.AreEqual(LockdepViolationKind.HeldAtExit, r.Kind);
        StringAssert.Contains(r.Text, "WARNING: lock held when returning to user space!");
        StringAssert.Contains(r.Text, "is leaving a work item with locks still held!");
        CollectionAssert.AreEqual(new[] { $"{p}.A" }, r.Classes.ToArray());
        a.Unlock();
        LD.AssertNoLocksHeld();
    }
}
