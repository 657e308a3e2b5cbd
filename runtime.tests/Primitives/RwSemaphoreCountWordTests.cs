using Microsoft.VisualStudio.TestTools.UnitTesting;
using XeLocked.Annotations;
using XeLocked.Locking;
using XeLocked.Runtime.Tests.Lockdep.Support;
using LD = XeLocked.Locking.Lockdep;

namespace XeLocked.Runtime.Tests.Primitives;

/// <summary>
/// <see cref="TrackedRwSemaphore"/>'s count word: readers that entered by the uncontended
/// compare-and-swap must still hold back a writer that queues later, and the last of them must wake
/// it (its release finds the slow bit the writer set); a thread's read holds of several semaphores
/// are kept apart and may be released in any order.
/// </summary>
[TestClass]
public sealed class RwSemaphoreCountWordTests
{
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void FastPathReaders_HoldBackALaterWriter_AndTheLastReleaseWakesIt()
    {
        var sem = new TrackedRwSemaphore(Names.Prefix("Cw") + ".Lock");
        using var scope = LD.CaptureReports(LockdepMode.Throw);
        const int Readers = 3;
        using var allIn = new CountdownEvent(Readers);
        var releases = Enumerable.Range(0, Readers).Select(_ => new ManualResetEventSlim()).ToArray();
        var readers = Enumerable.Range(0, Readers).Select(i => Bounded.Start(() =>
        {
            sem.LockRead();
            allIn.Signal();
            releases[i].Wait(Bounded.Timeout);
            sem.UnlockRead();
        }, $"r{i}")).ToArray();
        Assert.IsTrue(allIn.Wait(Bounded.Timeout));
        Assert.AreEqual(Readers, sem.ReaderCount, "all three entered without waiting");
        Assert.AreEqual(0, sem.WaitingReaderCount);

        var writerIn = false;
        var writer = Bounded.Start(() =>
        {
            sem.LockWrite();
            Volatile.Write(ref writerIn, true);
            sem.UnlockWrite();
        }, "writer");
        Bounded.Until(() => sem.WaitingWriterCount == 1, "writer queued");

        // Writer preference: a new reader now fails to enter, even though only readers hold.
        Assert.IsFalse(sem.TryLockRead());

        releases[0].Set();
        releases[1].Set();
        Bounded.Until(() => sem.ReaderCount == 1, "two readers left");
        Assert.IsFalse(Volatile.Read(ref writerIn), "one reader still holds: the writer waits");
        releases[2].Set();
        Bounded.Join(readers);
        Bounded.Join(writer);
        Assert.IsTrue(writerIn, "the last reader's release woke the writer");
        Assert.AreEqual(0, sem.ReaderCount);
        Assert.IsFalse(sem.IsWriteLocked);
        Assert.AreEqual(0, sem.WaitingWriterCount);
        Assert.IsTrue(sem.TryLockWrite(), "free again, and the uncontended path works after a contended round");
        sem.UnlockWrite();
        Assert.IsTrue(sem.TryLockRead());
        sem.UnlockRead();
        foreach (var r in releases)
        {
            r.Dispose();
        }

        Assert.AreEqual(0, scope.Reports.Count);
    }

    [TestMethod]
    public void ReadHoldsOfSeveralSemaphores_AreTrackedApart_AndReleasedInAnyOrder()
    {
        var prefix = Names.Prefix("Ch");
        var sems = Enumerable.Range(0, 6).Select(i => new TrackedRwSemaphore($"{prefix}.L{i}")).ToArray();
        using var scope = LD.CaptureReports(LockdepMode.Record);
        foreach (var s in sems)
        {
            s.LockRead();
        }

        Assert.IsTrue(sems.All(s => s.HeldModeByCurrentThread == LockMode.Read), "more holds than the initial array: it grew");
        foreach (var i in new[] { 2, 0, 5, 1, 4, 3 })
        {
            sems[i].UnlockRead();
            Assert.IsNull(sems[i].HeldModeByCurrentThread, $"L{i} released");
            Assert.AreEqual(0, sems[i].ReaderCount);
        }

        Assert.IsTrue(sems.All(s => !s.IsHeldByCurrentThread));
        Assert.AreEqual(0, scope.Reports.Count, "releases out of order are not bad unlocks");
    }
}
