using Microsoft.VisualStudio.TestTools.UnitTesting;
using XeLocked.Locking;
using XeLocked.Runtime.Tests.Lockdep.Support;
using XeLocked.Runtime.Tests.Primitives;
using static XeLocked.Runtime.Tests.Lockdep.Support.OrderAssembly;
using LD = XeLocked.Locking.Lockdep;

namespace XeLocked.Runtime.Tests.Lockdep;

/// <summary>
/// Cycles that close only through the declared order (beyond lockdep): declared A before B, observed
/// B → C, then C → A. Neither the declared check (C is not declared) nor lockdep's search over
/// observed edges (no path A ⇝ C) sees it; the search continued through declared edges does.
/// </summary>
[TestClass]
public sealed class DeclaredCycleTests
{
    [TestMethod]
    public void ThreeClassMixedCycle_IsReportedOnce_AtTheClosingAcquisition_WithEveryHop()
    {
        var p = Names.Prefix("Xm");
        LD.LoadDeclaredOrder(Build("Mix", new Member($"{p}A", "L", Before: new[] { $"{p}B.L" })));
        var a = new TrackedMutex($"{p}A.L");
        var b = new TrackedMutex($"{p}B.L");
        var c = new TrackedMutex($"{p}C.L");
        using var scope = LD.CaptureReports(LockdepMode.Throw);

        b.Lock("Mixed.cs", 20);
        c.Lock("Mixed.cs", 21); // B → C: fine on its own
        c.Unlock();
        b.Unlock();
        Assert.AreEqual(0, scope.Reports.Count);

        c.Lock("Mixed.cs", 30);
        var ex = Assert.ThrowsExactly<LockdepViolationException>(() => a.Lock("Mixed.cs", 31));
        Assert.IsFalse(a.IsHeldByCurrentThread, "the offending acquisition did not happen");
        c.Unlock();

        var r = ex.Report;
        Assert.AreEqual(LockdepViolationKind.DeclaredOrderViolation, r.Kind);
        CollectionAssert.AreEqual(new[] { $"{p}A.L", $"{p}B.L", $"{p}C.L" }, r.Classes.ToArray(), "the new lock, then the chain to the held one");
        Assert.AreEqual("Mixed.cs:31", r.Location);
        StringAssert.Contains(r.Text, "WARNING: declared lock order violated");
        StringAssert.Contains(r.Text, $"({p}A.L){{write}}, at: Mixed.cs:31");
        StringAssert.Contains(r.Text, "through the declared [LockOrder] and observed dependencies");
        StringAssert.Contains(r.Text,
            $"-> #2 ({p}C.L):" + Environment.NewLine +
            $"       first seen at Mixed.cs:21, taken while holding ({p}B.L) acquired at Mixed.cs:20 [EN], by ");
        StringAssert.Contains(r.Text,
            $"-> #1 ({p}B.L):" + Environment.NewLine +
            $"       declared by Mix.{p}A.L, taken while holding ({p}A.L) [EN, declared]");
        StringAssert.Contains(r.Text,
            $"-> #0 ({p}A.L):" + Environment.NewLine +
            $"       now at Mixed.cs:31, taken while holding ({p}C.L) acquired at Mixed.cs:30");
        StringAssert.Contains(r.Text, $"  {p}A.L ==> {p}B.L --> {p}C.L   (==> declared)");
        StringAssert.Contains(r.Text, " *** DEADLOCK ***");
        Assert.IsFalse(LD.ObservedEdges.Any(e => e.From == $"{p}C.L"), "the edge that closes the cycle is not recorded");

        // A refused acquisition is not validated, so trying it again reports it again (as any report in the throwing mode).
        c.Lock();
        Assert.AreEqual(LockdepViolationKind.DeclaredOrderViolation, Assert.ThrowsExactly<LockdepViolationException>(() => a.Lock("Mixed.cs", 31)).Report.Kind);
        c.Unlock();
        Assert.AreEqual(2, scope.Reports.Count);

        // Everything in the declared order: nothing more; but now A → B is observed too, so C → A
        // closes a cycle of observed edges alone, which is lockdep's own report.
        a.Lock();
        b.Lock();
        c.Lock();
        c.Unlock();
        b.Unlock();
        a.Unlock();
        Assert.AreEqual(2, scope.Reports.Count);
        c.Lock();
        Assert.AreEqual(LockdepViolationKind.CircularDependency, Assert.ThrowsExactly<LockdepViolationException>(() => a.Lock()).Report.Kind);
        c.Unlock();
    }

    [TestMethod]
    public void LongerMixedCycle_TwoDeclaredAndTwoObservedHops_NamesEveryHopInOrder()
    {
        var p = Names.Prefix("Xl");
        LD.LoadDeclaredOrder(Build("Long",
            new Member($"{p}A", "L", Before: new[] { $"{p}B.L" }),
            new Member($"{p}D", "L", After: new[] { $"{p}C.L" })));
        var a = new TrackedMutex($"{p}A.L");
        var b = new TrackedMutex($"{p}B.L");
        var c = new TrackedMutex($"{p}C.L");
        var d = new TrackedMutex($"{p}D.L");
        var e = new TrackedMutex($"{p}E.L");
        using var scope = LD.CaptureReports(LockdepMode.Record);

        b.Lock("Long.cs", 1);
        c.Lock("Long.cs", 2);
        c.Unlock();
        b.Unlock();
        d.Lock("Long.cs", 3);
        e.Lock("Long.cs", 4);
        e.Unlock();
        d.Unlock();
        Assert.AreEqual(0, scope.Reports.Count);

        e.Lock("Long.cs", 5);
        a.Lock("Long.cs", 6); // recording mode: reported, and the acquisition goes ahead
        Assert.IsTrue(a.IsHeldByCurrentThread);
        a.Unlock();
        e.Unlock();

        var r = scope.Reports.Single();
        Assert.AreEqual(LockdepViolationKind.DeclaredOrderViolation, r.Kind);
        CollectionAssert.AreEqual(new[] { $"{p}A.L", $"{p}B.L", $"{p}C.L", $"{p}D.L", $"{p}E.L" }, r.Classes.ToArray());
        var t = r.Text;
        var hop4 = t.IndexOf($"-> #4 ({p}E.L):" + Environment.NewLine + $"       first seen at Long.cs:4, taken while holding ({p}D.L) acquired at Long.cs:3 [EN]", StringComparison.Ordinal);
        var hop3 = t.IndexOf($"-> #3 ({p}D.L):" + Environment.NewLine + $"       declared by Long.{p}D.L, taken while holding ({p}C.L)", StringComparison.Ordinal);
        var hop2 = t.IndexOf($"-> #2 ({p}C.L):" + Environment.NewLine + $"       first seen at Long.cs:2, taken while holding ({p}B.L) acquired at Long.cs:1 [EN]", StringComparison.Ordinal);
        var hop1 = t.IndexOf($"-> #1 ({p}B.L):" + Environment.NewLine + $"       declared by Long.{p}A.L, taken while holding ({p}A.L)", StringComparison.Ordinal);
        var hop0 = t.IndexOf($"-> #0 ({p}A.L):" + Environment.NewLine + $"       now at Long.cs:6, taken while holding ({p}E.L) acquired at Long.cs:5", StringComparison.Ordinal);
        Assert.IsTrue(hop4 >= 0 && hop3 > hop4 && hop2 > hop3 && hop1 > hop2 && hop0 > hop1, t);
        StringAssert.Contains(t, $"  {p}A.L ==> {p}B.L --> {p}C.L ==> {p}D.L --> {p}E.L   (==> declared)");
    }

    [TestMethod]
    public void DeclaredChainThroughAClassNeverTaken_ClosesTheCycle()
    {
        var p = Names.Prefix("Xn");
        LD.LoadDeclaredOrder(Build("Never",
            new Member($"{p}A", "L", Before: new[] { $"{p}M.L" }),
            new Member($"{p}M", "L", Before: new[] { $"{p}B.L" })));
        var a = new TrackedMutex($"{p}A.L");
        var b = new TrackedMutex($"{p}B.L");
        var c = new TrackedMutex($"{p}C.L");
        using var scope = LD.CaptureReports(LockdepMode.Throw);

        b.Lock("N.cs", 1);
        c.Lock("N.cs", 2);
        c.Unlock();
        b.Unlock();
        c.Lock("N.cs", 3);
        var r = Assert.ThrowsExactly<LockdepViolationException>(() => a.Lock("N.cs", 4)).Report;
        c.Unlock();

        Assert.AreEqual(LockdepViolationKind.DeclaredOrderViolation, r.Kind);
        CollectionAssert.AreEqual(new[] { $"{p}A.L", $"{p}M.L", $"{p}B.L", $"{p}C.L" }, r.Classes.ToArray());
        StringAssert.Contains(r.Text, $"-> #1 ({p}M.L):" + Environment.NewLine + $"       declared by Never.{p}A.L, taken while holding ({p}A.L)");
        StringAssert.Contains(r.Text, $"-> #2 ({p}B.L):" + Environment.NewLine + $"       declared by Never.{p}M.L, taken while holding ({p}M.L)");
    }

    [TestMethod]
    public void MixedPathThatDoesNotCloseACycle_IsNotReported()
    {
        var p = Names.Prefix("Xo");
        LD.LoadDeclaredOrder(Build("Open", new Member($"{p}A", "L", Before: new[] { $"{p}B.L" })));
        var a = new TrackedMutex($"{p}A.L");
        var b = new TrackedMutex($"{p}B.L");
        var c = new TrackedMutex($"{p}C.L");
        var d = new TrackedMutex($"{p}D.L");
        using var scope = LD.CaptureReports(LockdepMode.Throw);

        Nest(b, c); // A ==> B --> C
        Nest(a, c); // A --> C: along the path, not against it
        Nest(c, d); // A ==> B --> C --> D
        Nest(a, d); // A --> D
        Nest(b, d);
        Nest(d, new TrackedMutex($"{p}E.L"));

        Assert.AreEqual(0, scope.Reports.Count, string.Join("\n", scope.Reports.Select(r => r.Text)));
        Assert.AreEqual(6, LD.ObservedEdges.Count(e => e.From.StartsWith(p, StringComparison.Ordinal)));
    }

    [TestMethod]
    public void CycleOnlyThroughATrylock_IsNotReported()
    {
        var p = Names.Prefix("Xt");
        LD.LoadDeclaredOrder(Build("Try", new Member($"{p}A", "L", Before: new[] { $"{p}B.L" })));
        var a = new TrackedMutex($"{p}A.L");
        var b = new TrackedMutex($"{p}B.L");
        var c = new TrackedMutex($"{p}C.L");
        using var scope = LD.CaptureReports(LockdepMode.Throw);

        // The closing acquisition is a trylock: it cannot deadlock, and records no edge into A.
        Nest(b, c);
        c.Lock();
        Assert.IsTrue(a.TryLock());
        a.Unlock();
        c.Unlock();
        Assert.IsFalse(LD.ObservedEdges.Any(e => e.From == $"{p}C.L"), "no dependency into a trylock");

        // The observed hop is a trylock: B held, C trylocked records no B → C, so C → A closes nothing.
        var p2 = Names.Prefix("Xu");
        LD.LoadDeclaredOrder(Build("Try2", new Member($"{p2}A", "L", Before: new[] { $"{p2}B.L" })));
        var a2 = new TrackedMutex($"{p2}A.L");
        var b2 = new TrackedMutex($"{p2}B.L");
        var c2 = new TrackedMutex($"{p2}C.L");
        b2.Lock();
        Assert.IsTrue(c2.TryLock());
        c2.Unlock();
        b2.Unlock();
        Nest(c2, a2);

        Assert.AreEqual(0, scope.Reports.Count, string.Join("\n", scope.Reports.Select(r => r.Text)));
    }

    [TestMethod]
    public void EdgeAlreadyPresent_ChainCacheHit_IsNotReportedAgain_TheClosingEdgeIs()
    {
        var p = Names.Prefix("Xc");
        LD.LoadDeclaredOrder(Build("Cache", new Member($"{p}A", "L", Before: new[] { $"{p}B.L" })));
        var a = new TrackedMutex($"{p}A.L");
        var b = new TrackedMutex($"{p}B.L");
        var c = new TrackedMutex($"{p}C.L");
        using var scope = LD.CaptureReports(LockdepMode.Throw);

        Nest(c, a); // C → A first: A ==> B does not lead back to C yet
        b.Lock("Cache.cs", 1);
        var r = Assert.ThrowsExactly<LockdepViolationException>(() => c.Lock("Cache.cs", 2)).Report; // B → C closes it
        b.Unlock();
        Assert.AreEqual(LockdepViolationKind.DeclaredOrderViolation, r.Kind);
        CollectionAssert.AreEqual(new[] { $"{p}C.L", $"{p}A.L", $"{p}B.L" }, r.Classes.ToArray());

        // The edge C → A is present and its chain validated: taking it again reports nothing.
        for (var i = 0; i < 3; i++)
        {
            Nest(c, a);
        }

        Assert.AreEqual(1, scope.Reports.Count);
    }

    [TestMethod]
    public void CycleClosedByALaterLoad_IsReportedWhenAChainThroughItIsTakenAgain()
    {
        var p = Names.Prefix("Xd");
        var a = new TrackedMutex($"{p}A.L");
        var b = new TrackedMutex($"{p}B.L");
        var c = new TrackedMutex($"{p}C.L");
        using var scope = LD.CaptureReports(LockdepMode.Throw);
        Nest(b, c);
        Nest(c, a); // B --> C --> A: no order declared yet, nothing wrong
        Assert.AreEqual(0, scope.Reports.Count);

        // Declared A before B closes A ==> B --> C --> A. The load forgets the validated chains,
        // and the edges validated against the old order are searched again when next taken.
        LD.LoadDeclaredOrder(Build("Late", new Member($"{p}A", "L", Before: new[] { $"{p}B.L" })));
        c.Lock("Late.cs", 1);
        var r = Assert.ThrowsExactly<LockdepViolationException>(() => a.Lock("Late.cs", 2)).Report;
        c.Unlock();
        Assert.AreEqual(LockdepViolationKind.DeclaredOrderViolation, r.Kind);
        CollectionAssert.AreEqual(new[] { $"{p}A.L", $"{p}B.L", $"{p}C.L" }, r.Classes.ToArray());
        StringAssert.Contains(r.Text, $"declared by Late.{p}A.L");
        StringAssert.Contains(r.Text, "now at Late.cs:2");
    }

    [TestMethod]
    public void PurelyObservedCycle_IsACircularDependency_EvenWhenAShorterMixedPathExists()
    {
        var p = Names.Prefix("Xp");
        LD.LoadDeclaredOrder(Build("Obs", new Member($"{p}Y", "L", Before: new[] { $"{p}Z.L" })));
        var x = new TrackedMutex($"{p}X.L");
        var y = new TrackedMutex($"{p}Y.L");
        var z = new TrackedMutex($"{p}Z.L");
        var q1 = new TrackedMutex($"{p}P.L");
        var q2 = new TrackedMutex($"{p}Q.L");
        using var scope = LD.CaptureReports(LockdepMode.Throw);

        Nest(z, x);  // Y ==> Z --> X: two hops, one declared
        Nest(y, q1); // Y --> P --> Q --> X: three hops, all observed
        Nest(q1, q2);
        Nest(q2, x);
        x.Lock();
        var r = Assert.ThrowsExactly<LockdepViolationException>(() => y.Lock()).Report;
        x.Unlock();

        Assert.AreEqual(LockdepViolationKind.CircularDependency, r.Kind, "lockdep's own report when observed edges alone close the cycle");
        CollectionAssert.AreEqual(new[] { $"{p}Y.L", $"{p}P.L", $"{p}Q.L", $"{p}X.L" }, r.Classes.ToArray());
        StringAssert.Contains(r.Text, "WARNING: possible circular locking dependency detected");
        Assert.AreEqual(1, scope.Reports.Count);
    }

    [TestMethod]
    public void DeclaredEdge_CountsAsExclusive_ForTheRecursiveReadRules()
    {
        // Observed only: RR(X) L(B), L(B) L(C), L(C) RR(X) is no deadlock (recursive readers do
        // not block each other: lockdep's strong-path rule).
        var p = Names.Prefix("Xr");
        var x = new RecursiveReadLock($"{p}X.L");
        var b = new TrackedMutex($"{p}B.L");
        var c = new TrackedMutex($"{p}C.L");
        using var scope = LD.CaptureReports(LockdepMode.Throw);
        x.LockRecursiveRead();
        b.Lock();
        b.Unlock();
        x.UnlockRead();
        Nest(b, c);
        c.Lock();
        x.LockRecursiveRead();
        x.UnlockRead();
        c.Unlock();
        Assert.AreEqual(0, scope.Reports.Count, string.Join("\n", scope.Reports.Select(r => r.Text)));

        // Declared X before B instead: a declared edge promises X may be held for write while B is
        // taken, so the recursive read of X under C can wait for that writer: a deadlock.
        var p2 = Names.Prefix("Xs");
        LD.LoadDeclaredOrder(Build("Rw", new Member($"{p2}X", "L", Before: new[] { $"{p2}B.L" })));
        var x2 = new RecursiveReadLock($"{p2}X.L");
        var b2 = new TrackedMutex($"{p2}B.L");
        var c2 = new TrackedMutex($"{p2}C.L");
        Nest(b2, c2);
        c2.Lock();
        var r = Assert.ThrowsExactly<LockdepViolationException>(() => x2.LockRecursiveRead()).Report;
        c2.Unlock();
        Assert.AreEqual(LockdepViolationKind.DeclaredOrderViolation, r.Kind);
        CollectionAssert.AreEqual(new[] { $"{p2}X.L", $"{p2}B.L", $"{p2}C.L" }, r.Classes.ToArray());
        StringAssert.Contains(r.Text, $"({p2}X.L){{recursive read}}");
    }

    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void MixedCycleBuiltByTwoThreads_OneAfterTheOther_IsReportedToTheSecond()
    {
        var p = Names.Prefix("Xw");
        LD.LoadDeclaredOrder(Build("Two", new Member($"{p}A", "L", Before: new[] { $"{p}B.L" })));
        var a = new TrackedMutex($"{p}A.L");
        var b = new TrackedMutex($"{p}B.L");
        var c = new TrackedMutex($"{p}C.L");
        using var scope = LD.CaptureReports(LockdepMode.Throw);
        using var firstDone = new ManualResetEventSlim();
        LockdepViolationException? caught = null;
        Exception? failure = null;

        var t1 = Bounded.Start(() =>
        {
            b.Lock("T1.cs", 10);
            c.Lock("T1.cs", 11);
            c.Unlock();
            b.Unlock();
            firstDone.Set();
        }, "T1");
        var t2 = Bounded.Start(() =>
        {
            try
            {
                if (!firstDone.Wait(Bounded.Timeout))
                {
                    throw new TimeoutException("T1 did not finish");
                }

                c.Lock("T2.cs", 20);
                try
                {
                    a.Lock("T2.cs", 21);
                    a.Unlock();
                }
                catch (LockdepViolationException ex)
                {
                    caught = ex;
                }
                finally
                {
                    c.Unlock();
                }
            }
            catch (Exception ex)
            {
                failure = ex;
            }
        }, "T2");
        Bounded.Join(t1, t2);

        Assert.IsNull(failure, failure?.ToString());
        Assert.IsNotNull(caught);
        Assert.AreEqual(LockdepViolationKind.DeclaredOrderViolation, caught.Report.Kind);
        StringAssert.Contains(caught.Report.Text, "T2/");
        StringAssert.Contains(caught.Report.Text, "first seen at T1.cs:11, taken while holding");
        StringAssert.Contains(caught.Report.Text, "acquired at T1.cs:10 [EN], by T1/");
        StringAssert.Contains(caught.Report.Text, $"declared by Two.{p}A.L");
        StringAssert.Contains(caught.Report.Text, "now at T2.cs:21");
        Assert.AreEqual(1, scope.Reports.Count);
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public void MixedCycleBuiltConcurrently_ExactlyOneThreadIsStopped_NoDeadlock()
    {
        for (var round = 0; round < 20; round++)
        {
            var p = Names.Prefix("Xq");
            LD.LoadDeclaredOrder(Build($"Conc{round}", new Member($"{p}A", "L", Before: new[] { $"{p}B.L" })));
            var a = new TrackedMutex($"{p}A.L");
            var b = new TrackedMutex($"{p}B.L");
            var c = new TrackedMutex($"{p}C.L");
            using var scope = LD.CaptureReports(LockdepMode.Throw);
            using var bothHoldFirst = new Barrier(2);
            var stopped = new LockdepViolationException?[2];
            var failures = new Exception?[2];

            void Run(int who, TrackedMutex first, TrackedMutex second)
            {
                try
                {
                    first.Lock();
                    try
                    {
                        if (!bothHoldFirst.SignalAndWait(Bounded.Timeout))
                        {
                            throw new TimeoutException("the other thread did not take its first lock");
                        }

                        second.Lock(); // one of B → C and C → A closes the cycle: that one is refused
                        second.Unlock();
                    }
                    catch (LockdepViolationException ex)
                    {
                        stopped[who] = ex;
                    }
                    finally
                    {
                        first.Unlock();
                    }
                }
                catch (Exception ex)
                {
                    failures[who] = ex;
                }
            }

            var t1 = Bounded.Start(() => Run(0, b, c), "BC");
            var t2 = Bounded.Start(() => Run(1, c, a), "CA");
            Bounded.Join(t1, t2);

            Assert.IsTrue(failures.All(f => f is null), string.Join("\n", failures.Where(f => f is not null)));
            var reports = stopped.Where(s => s is not null).Select(s => s!.Report).ToList();
            Assert.AreEqual(1, reports.Count, $"round {round}: exactly one of the two acquisitions closes the cycle");
            Assert.AreEqual(LockdepViolationKind.DeclaredOrderViolation, reports[0].Kind);
            CollectionAssert.AreEquivalent(new[] { $"{p}A.L", $"{p}B.L", $"{p}C.L" }, reports[0].Classes.ToArray());
            StringAssert.Contains(reports[0].Text, $"declared by Conc{round}.{p}A.L");
            Assert.AreEqual(1, scope.Reports.Count);
        }
    }

    private static void Nest(TrackedMutex outer, TrackedMutex inner)
    {
        outer.Lock();
        inner.Lock();
        inner.Unlock();
        outer.Unlock();
    }
}
