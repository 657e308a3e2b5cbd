using Microsoft.VisualStudio.TestTools.UnitTesting;
using XeLocked.Locking;
using XeLocked.Runtime.Tests.Lockdep.Support;
using XeLocked.Runtime.Tests.Primitives;
using LD = XeLocked.Locking.Lockdep;

namespace XeLocked.Runtime.Tests.Lockdep;

/// <summary>
/// An acquisition is announced to the tracker before the primitive blocks; if the wait is
/// interrupted, the announcement is undone (lockdep's <c>lock_release</c> after a failed
/// <c>mutex_lock_interruptible</c>) and the primitive's waiting state is restored.
/// </summary>
[TestClass]
public sealed class AbandonedWaitTests
{
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void InterruptedReaderWait_LeavesNoHeldEntry_AndNoWaiter()
    {
        var sem = new TrackedRwSemaphore(Names.Prefix("Aw") + ".Lock");
        using var scope = LD.CaptureReports(LockdepMode.Throw);
        sem.LockWrite();
        Exception? seen = null;
        var heldAfter = -1;
        var t = Bounded.Start(() =>
        {
            try
            {
                sem.LockRead();
            }
            catch (ThreadInterruptedException ex)
            {
                seen = ex;
            }

            heldAfter = HeldStack.CurrentOrNull?.Depth ?? 0;
        }, "reader");
        Bounded.Until(() => sem.WaitingReaderCount == 1, "reader waiting");
        t.Interrupt();
        Bounded.Join(t);
        Assert.IsInstanceOfType<ThreadInterruptedException>(seen);
        Assert.AreEqual(0, heldAfter, "the announced acquisition was undone");
        Assert.AreEqual(0, sem.WaitingReaderCount);
        Assert.AreEqual(0, sem.ReaderCount);
        sem.UnlockWrite();
        Assert.IsTrue(sem.TryLockWrite(), "the semaphore is free and consistent");
        sem.UnlockWrite();
        Assert.AreEqual(0, scope.Reports.Count);
    }

    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void InterruptedWriterWait_LetsTheReadersItHeldBackIn()
    {
        var sem = new TrackedRwSemaphore(Names.Prefix("Ax") + ".Lock");
        using var scope = LD.CaptureReports(LockdepMode.Throw);
        sem.LockRead();
        var writerDepthAfter = -1;
        var writerInterrupted = false;
        var writer = Bounded.Start(() =>
        {
            try
            {
                sem.LockWrite();
                sem.UnlockWrite();
            }
            catch (ThreadInterruptedException)
            {
                writerInterrupted = true;
            }

            writerDepthAfter = HeldStack.CurrentOrNull?.Depth ?? 0;
        }, "writer");
        Bounded.Until(() => sem.WaitingWriterCount == 1, "writer waiting");
        var readerIn = new ManualResetEventSlim();
        var reader = Bounded.Start(() =>
        {
            sem.LockRead();
            readerIn.Set();
            sem.UnlockRead();
        }, "reader2");
        Bounded.Until(() => sem.WaitingReaderCount == 1, "second reader held back by the waiting writer");
        writer.Interrupt();
        Assert.IsTrue(readerIn.Wait(Bounded.Timeout), "with the writer gone, the reader gets in");
        Bounded.Join(writer, reader);
        Assert.IsTrue(writerInterrupted);
        Assert.AreEqual(0, writerDepthAfter, "the writer's announced acquisition was undone");
        sem.UnlockRead();
        Assert.AreEqual(0, sem.WaitingWriterCount);
        Assert.AreEqual(0, scope.Reports.Count);
    }
}
