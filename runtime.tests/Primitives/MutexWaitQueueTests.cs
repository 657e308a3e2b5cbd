using Microsoft.VisualStudio.TestTools.UnitTesting;
using XeLocked.Locking;
using XeLocked.Runtime.Tests.Lockdep.Support;
using LD = XeLocked.Locking.Lockdep;

namespace XeLocked.Runtime.Tests.Primitives;

/// <summary>
/// <see cref="TrackedMutex"/>'s contended path: the owner word's waiters bit, the wait queue, the
/// unlock that wakes a waiter, and a waiter interrupted after its wake-up passing it on. Each test
/// puts threads on the queue deterministically (<c>WaiterCount</c>), never by sleeping.
/// </summary>
[TestClass]
public sealed class MutexWaitQueueTests
{
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void UnlockWakesTheQueuedWaiter_WhichThenOwnsTheMutex()
    {
        var m = new TrackedMutex(Names.Prefix("Wq") + ".Lock");
        using var scope = LD.CaptureReports(LockdepMode.Throw);
        m.Lock();
        var heldInside = false;
        using var release = new ManualResetEventSlim();
        var t = Bounded.Start(() =>
        {
            m.Lock();
            heldInside = m.IsHeldByCurrentThread;
            release.Wait(Bounded.Timeout);
            m.Unlock();
        }, "waiter");
        Bounded.Until(() => m.WaiterCount == 1, "the waiter queued");
        Assert.IsFalse(m.TryLock(), "held by this thread: a trylock fails");
        m.Unlock();
        Bounded.Until(() => Volatile.Read(ref heldInside), "the waiter got the mutex");
        Assert.IsFalse(m.IsHeldByCurrentThread);
        Assert.IsFalse(m.TryLock(), "held by the woken waiter");
        Assert.ThrowsExactly<LockdepViolationException>(() => m.Unlock(), "not ours to unlock");
        release.Set();
        Bounded.Join(t);
        Assert.AreEqual(0, m.WaiterCount);
        Assert.IsTrue(m.TryLock(), "free after the waiter's unlock");
        m.Unlock();
        Assert.AreEqual(1, scope.Reports.Count, "only the deliberate bad unlock");
        Assert.AreEqual(LockdepViolationKind.BadUnlockBalance, scope.Reports[0].Kind);
    }

    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void EveryQueuedWaiterIsWokenInTurn()
    {
        var m = new TrackedMutex(Names.Prefix("Wt") + ".Lock");
        using var scope = LD.CaptureReports(LockdepMode.Throw);
        const int Waiters = 5;
        var order = new List<int>();
        m.Lock();
        var threads = Enumerable.Range(0, Waiters).Select(i => Bounded.Start(() =>
        {
            m.Lock();
            order.Add(i); // under the mutex
            m.Unlock();
        }, $"w{i}")).ToArray();
        Bounded.Until(() => m.WaiterCount == Waiters, "all waiters queued");
        m.Unlock();
        Bounded.Join(threads);
        CollectionAssert.AreEquivalent(Enumerable.Range(0, Waiters).ToList(), order, "each waiter got the mutex once");
        Assert.AreEqual(0, m.WaiterCount);
        Assert.IsTrue(m.TryLock());
        m.Unlock();
        Assert.AreEqual(0, scope.Reports.Count);
    }

    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void InterruptedWaiter_LeavesTheQueue_AndTheOtherWaiterStillGetsTheMutex()
    {
        var m = new TrackedMutex(Names.Prefix("Wi") + ".Lock");
        using var scope = LD.CaptureReports(LockdepMode.Throw);
        m.Lock();
        Exception? seen = null;
        var interruptedHeld = true;
        var otherGotIt = false;
        var victim = Bounded.Start(() =>
        {
            try
            {
                m.Lock();
            }
            catch (ThreadInterruptedException ex)
            {
                seen = ex;
            }

            interruptedHeld = m.IsHeldByCurrentThread;
        }, "victim");
        Bounded.Until(() => m.WaiterCount == 1, "victim queued");
        var other = Bounded.Start(() =>
        {
            m.Lock();
            otherGotIt = true;
            m.Unlock();
        }, "other");
        Bounded.Until(() => m.WaiterCount == 2, "other queued");
        victim.Interrupt();
        Bounded.Join(victim);
        Assert.IsInstanceOfType<ThreadInterruptedException>(seen);
        Assert.IsFalse(interruptedHeld, "an interrupted wait does not own the mutex");
        Assert.AreEqual(1, m.WaiterCount, "the victim left the queue");
        m.Unlock();
        Bounded.Join(other);
        Assert.IsTrue(otherGotIt);
        Assert.IsTrue(m.TryLock(), "free and consistent");
        m.Unlock();
        Assert.AreEqual(0, scope.Reports.Count, "the abandoned acquisition was undone in the tracker");
    }

    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void RecursionFoundOnTheContendedPath_ThrowsAndLeavesTheWordAlone()
    {
        // The word holds our id, so the uncontended compare-and-swap fails and the slow path must
        // recognise the caller as the owner rather than queue it behind itself (a self-deadlock).
        var m = new TrackedMutex(Names.Prefix("Wr") + ".Lock");
        using var scope = LD.CaptureReports(LockdepMode.Record);
        m.Lock();
        Assert.ThrowsExactly<LockRecursionException>(() => m.Lock());
        Assert.AreEqual(0, m.WaiterCount, "never queued");
        Assert.IsTrue(m.IsHeldByCurrentThread);
        m.Unlock();
        Assert.IsFalse(m.IsHeldByCurrentThread);
        Assert.AreEqual(LockdepViolationKind.RecursiveLocking, scope.Reports.Single().Kind);
    }
}
