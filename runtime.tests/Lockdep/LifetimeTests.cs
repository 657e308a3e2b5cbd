using System.Runtime.CompilerServices;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using XeLocked.Locking;
using XeLocked.Runtime.Tests.Lockdep.Support;
using XeLocked.Runtime.Tests.Primitives;
using LD = XeLocked.Locking.Lockdep;

namespace XeLocked.Runtime.Tests.Lockdep;

/// <summary>Locks that outlive their holder: held at thread end, freed or finalized while held.</summary>
[TestClass]
public sealed class LifetimeTests
{
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void CheckedThread_ReportsLocksHeldWhenItsBodyEnds()
    {
        var p = Names.Prefix("Lc");
        var m = new TrackedMutex($"{p}.M");
        using var scope = LD.CaptureReports(LockdepMode.Record);
        var t = new Thread(LD.CheckedThread(() => m.Lock())) { IsBackground = true };
        t.Start();
        Assert.IsTrue(t.Join(Bounded.Timeout));
        var r = scope.Reports.Single();
        Assert.AreEqual(LockdepViolationKind.HeldAtExit, r.Kind);
        StringAssert.Contains(r.Text, "is leaving a thread with locks still held!");

        var clean = new Thread(LD.CheckedThread(() => m.TryLock())) { IsBackground = true };
        clean.Start();
        Assert.IsTrue(clean.Join(Bounded.Timeout));
        Assert.AreEqual(1, scope.Reports.Count, "the mutex is held by the dead thread: the trylock failed and nothing is held");
    }

    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void ThreadEndingWithLocksHeld_IsReportedWhenItsStackIsFinalized_AndTheLockWhenFinalized()
    {
        var p = Names.Prefix("Lf");
        using var scope = LD.CaptureReports(LockdepMode.Record);
        LeakFromAThread(p);
        for (var i = 0; i < 20 && scope.Reports.Count < 2; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        var kinds = scope.Reports.Where(r => r.Classes.Contains($"{p}.Leaked")).Select(r => r.Kind).OrderBy(k => k).ToArray();
        CollectionAssert.AreEqual(new[] { LockdepViolationKind.HeldLockFreed, LockdepViolationKind.HeldAtExit }.OrderBy(k => k).ToArray(), kinds);
        StringAssert.Contains(scope.Reports.Single(r => r.Kind == LockdepViolationKind.HeldAtExit).Text, "still has locks held!");
        StringAssert.Contains(scope.Reports.Single(r => r.Kind == LockdepViolationKind.HeldLockFreed).Text, "which was never released");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void LeakFromAThread(string p)
    {
        var t = new Thread(() => new TrackedMutex($"{p}.Leaked").Lock()) { IsBackground = true };
        t.Start();
        Assert.IsTrue(t.Join(Bounded.Timeout));
    }

    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void FreeingALockAnotherThreadHolds_IsHeldLockFreed()
    {
        var p = Names.Prefix("Lo");
        var rw = new TrackedRwSemaphore($"{p}.Rw");
        using var scope = LD.CaptureReports(LockdepMode.Throw);
        using var holding = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var t = Bounded.Start(() =>
        {
            rw.LockRead();
            holding.Set();
            release.Wait(Bounded.Timeout);
            rw.UnlockRead();
        }, "holder");
        Assert.IsTrue(holding.Wait(Bounded.Timeout));
        var r = Assert.ThrowsExactly<LockdepViolationException>(rw.Dispose).Report;
        Assert.AreEqual(LockdepViolationKind.HeldLockFreed, r.Kind);
        StringAssert.Contains(r.Text, "which another thread still holds!");
        release.Set();
        Bounded.Join(t);
        rw.Dispose();
        rw.Dispose();
        Assert.AreEqual(1, scope.Reports.Count);
    }

    [TestMethod]
    public void DepthBeyond48_IsLimitExceeded()
    {
        var p = Names.Prefix("Ld");
        var locks = Enumerable.Range(0, 49).Select(i => new TrackedMutex($"{p}.L{i:D2}")).ToArray();
        using var scope = LD.CaptureReports(LockdepMode.Throw);
        for (var i = 0; i < 48; i++)
        {
            locks[i].Lock();
        }

        var r = Assert.ThrowsExactly<LockdepViolationException>(() => locks[48].Lock()).Report;
        Assert.AreEqual(LockdepViolationKind.LimitExceeded, r.Kind);
        StringAssert.Contains(r.Text, "MAX_LOCK_DEPTH too low!");
        for (var i = 47; i >= 0; i--)
        {
            locks[i].Unlock();
        }

        LD.AssertNoLocksHeld();
    }
}
