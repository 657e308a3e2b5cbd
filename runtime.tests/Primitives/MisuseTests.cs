using Microsoft.VisualStudio.TestTools.UnitTesting;
using XeLocked.Annotations;
using XeLocked.Locking;
using XeLocked.Runtime.Tests.Lockdep.Support;

namespace XeLocked.Runtime.Tests.Primitives;

/// <summary>
/// Misuse with the tracker on (the Debug test run): every kind of misuse is reported at the
/// offending call and leaves the primitive exactly as it was. (The tracker-off behaviour, the
/// <see cref="SynchronizationLockException"/> and <see cref="LockRecursionException"/>, is tested in
/// <see cref="TrackerOffTests"/>.)
/// </summary>
[TestClass]
public sealed class MisuseTests
{
    [TestMethod]
    [DynamicData(nameof(ExclusiveLock.Kinds), typeof(ExclusiveLock))]
    public void UnlockNotHeld_IsBadUnlockBalance_AndChangesNothing(string kind)
    {
        var l = ExclusiveLock.Create(kind, Names.Prefix("Mu") + ".Lock");
        using var scope = XeLocked.Locking.Lockdep.CaptureReports(LockdepMode.Throw);
        var ex = Assert.ThrowsExactly<LockdepViolationException>(l.Unlock);
        Assert.AreEqual(LockdepViolationKind.BadUnlockBalance, ex.Report.Kind);
        StringAssert.Contains(ex.Report.Text, "bad unlock balance detected");
        Assert.IsFalse(l.Tracked.IsHeldByCurrentThread);

        l.Lock();
        Assert.IsTrue(l.Tracked.IsHeldByCurrentThread);
        l.Unlock();
        Assert.IsFalse(l.Tracked.IsHeldByCurrentThread);
        Assert.IsTrue(l.TryLock(), "still free and usable");
        l.Unlock();
    }

    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    [DynamicData(nameof(ExclusiveLock.Kinds), typeof(ExclusiveLock))]
    public void UnlockByAnotherThread_IsReportedThere_OwnerKeepsTheLock(string kind)
    {
        var l = ExclusiveLock.Create(kind, Names.Prefix("Mo") + ".Lock");
        using var scope = XeLocked.Locking.Lockdep.CaptureReports(LockdepMode.Throw);
        l.Lock();
        LockdepViolationException? seen = null;
        var t = Bounded.Start(() => seen = Assert.ThrowsExactly<LockdepViolationException>(l.Unlock), "intruder");
        Bounded.Join(t);
        Assert.AreEqual(LockdepViolationKind.BadUnlockBalance, seen!.Report.Kind);
        Assert.IsTrue(l.Tracked.IsHeldByCurrentThread, "the owner still holds it");
        Assert.AreEqual(1, scope.Reports.Count, "the report reached the test's scope from the other thread");
        l.Unlock();
        Assert.IsFalse(l.Tracked.IsHeldByCurrentThread);
    }

    [TestMethod]
    [DynamicData(nameof(ExclusiveLock.Kinds), typeof(ExclusiveLock))]
    public void Relock_IsRecursiveLocking_AndTheLockIsHeldOnce(string kind)
    {
        var l = ExclusiveLock.Create(kind, Names.Prefix("Mr") + ".Lock");
        using var scope = XeLocked.Locking.Lockdep.CaptureReports(LockdepMode.Throw);
        l.Lock();
        var ex = Assert.ThrowsExactly<LockdepViolationException>(l.Lock);
        Assert.AreEqual(LockdepViolationKind.RecursiveLocking, ex.Report.Kind);
        StringAssert.Contains(ex.Report.Text, "already holding this very lock");
        l.Unlock();
        Assert.IsFalse(l.Tracked.IsHeldByCurrentThread, "one unlock releases it: the recursion did not count");
        Assert.ThrowsExactly<LockdepViolationException>(l.Unlock);
    }

    [TestMethod]
    [DynamicData(nameof(ExclusiveLock.Kinds), typeof(ExclusiveLock))]
    public void Relock_InRecordingMode_IsRefusedWithLockRecursionException(string kind)
    {
        var l = ExclusiveLock.Create(kind, Names.Prefix("Mq") + ".Lock");
        using var scope = XeLocked.Locking.Lockdep.CaptureReports(LockdepMode.Record);
        l.Lock();
        Assert.ThrowsExactly<LockRecursionException>(l.Lock);
        Assert.AreEqual(LockdepViolationKind.RecursiveLocking, scope.Reports.Single().Kind);
        l.Unlock();
        Assert.IsFalse(l.Tracked.IsHeldByCurrentThread);
    }

    [TestMethod]
    [DynamicData(nameof(ExclusiveLock.Kinds), typeof(ExclusiveLock))]
    public void UnlockNotHeld_InRecordingMode_IsIgnored(string kind)
    {
        var l = ExclusiveLock.Create(kind, Names.Prefix("Mi") + ".Lock");
        using var scope = XeLocked.Locking.Lockdep.CaptureReports(LockdepMode.Record);
        l.Unlock();
        Assert.AreEqual(LockdepViolationKind.BadUnlockBalance, scope.Reports.Single().Kind);
        l.Lock();
        l.Unlock();
        Assert.IsFalse(l.Tracked.IsHeldByCurrentThread);
        Assert.AreEqual(1, scope.Reports.Count);
    }

    [TestMethod]
    public void RwSemaphore_WrongModeUnlocks_AreBadUnlockBalance_AndChangeNothing()
    {
        var sem = new TrackedRwSemaphore(Names.Prefix("Mw") + ".Lock");
        using var scope = XeLocked.Locking.Lockdep.CaptureReports(LockdepMode.Throw);
        sem.LockRead();
        var ex = Assert.ThrowsExactly<LockdepViolationException>(() => sem.UnlockWrite());
        StringAssert.Contains(ex.Report.Text, "holds the lock for read, not for write");
        Assert.AreEqual(1, sem.ReaderCount);
        Assert.AreEqual(LockMode.Read, sem.HeldModeByCurrentThread);
        sem.UnlockRead();

        sem.LockWrite();
        ex = Assert.ThrowsExactly<LockdepViolationException>(() => sem.UnlockRead());
        Assert.AreEqual(LockdepViolationKind.BadUnlockBalance, ex.Report.Kind);
        Assert.IsTrue(sem.IsWriteLocked);
        sem.UnlockWrite();
        Assert.IsFalse(sem.IsWriteLocked);
        Assert.AreEqual(0, sem.ReaderCount);
    }

    [TestMethod]
    public void RwSemaphore_DowngradeWithoutWriteHold_Throws_AndChangesNothing()
    {
        var sem = new TrackedRwSemaphore(Names.Prefix("Md") + ".Lock");
        var ex = Assert.ThrowsExactly<SynchronizationLockException>(() => sem.DowngradeWrite());
        StringAssert.Contains(ex.Message, sem.ClassName);
        sem.LockRead();
        ex = Assert.ThrowsExactly<SynchronizationLockException>(() => sem.DowngradeWrite());
        StringAssert.Contains(ex.Message, "holds it for read already");
        Assert.AreEqual(1, sem.ReaderCount);
        sem.UnlockRead();
        Assert.AreEqual(0, sem.ReaderCount);
    }

    [TestMethod]
    public void RwSemaphore_RecursiveRead_IsRecursiveLocking()
    {
        var sem = new TrackedRwSemaphore(Names.Prefix("Mv") + ".Lock");
        using var scope = XeLocked.Locking.Lockdep.CaptureReports(LockdepMode.Throw);
        sem.LockRead();
        Assert.AreEqual(LockdepViolationKind.RecursiveLocking, Assert.ThrowsExactly<LockdepViolationException>(() => sem.LockRead()).Report.Kind);
        Assert.AreEqual(LockdepViolationKind.RecursiveLocking, Assert.ThrowsExactly<LockdepViolationException>(() => sem.LockWrite()).Report.Kind);
        Assert.AreEqual(1, sem.ReaderCount);
        sem.UnlockRead();
        Assert.AreEqual(0, sem.ReaderCount);
    }

    [TestMethod]
    public void BadArguments_AreRejectedClearly()
    {
        Assert.ThrowsExactly<ArgumentException>(() => new TrackedMutex(" "));
        Assert.ThrowsExactly<ArgumentNullException>(() => new TrackedSpinLock(null!));
        Assert.ThrowsExactly<ArgumentException>(() => new TrackedRwSemaphore(""));
        var m = new TrackedMutex(Names.Prefix("Ma") + ".Lock");
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => m.LockNested(8));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => m.LockNested(-1));
        Assert.IsFalse(m.IsHeldByCurrentThread);
    }

    [TestMethod]
    public void Guards_AreAllocationFree_WithTheTrackerOn_InSteadyState()
    {
        var p = Names.Prefix("Ga");
        var m = new TrackedMutex(p + ".M");
        var s = new TrackedSpinLock(p + ".S");
        var rw = new TrackedRwSemaphore(p + ".Rw");
        void Round()
        {
            using (rw.ReadGuard())
            using (m.Guard())
            using (s.Guard())
            {
            }

            using (rw.WriteGuard())
            {
            }
        }

        Round(); // first time: classes, chains, the per-thread stack
        Assert.AreEqual(0, AllocationProbe.MinBytesPerWindow(Round), "bytes allocated by 10,000 guarded rounds");
    }
}
