using System.Collections.Concurrent;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using XeLocked.Annotations;
using XeLocked.Locking;
using XeLocked.Runtime.Tests.Lockdep.Support;

namespace XeLocked.Runtime.Tests.Primitives;

/// <summary>Writer preference and downgrade, with the interleavings forced deterministically (poll the waiting counts, no sleeps).</summary>
[TestClass]
public sealed class RwSemaphoreFairnessTests
{
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void ReaderArrivingWhileWriterWaits_QueuesBehindIt()
    {
        var sem = new TrackedRwSemaphore(Names.Prefix("Wp") + ".Lock");
        var order = new ConcurrentQueue<string>();
        sem.LockRead(); // reader 1 (this thread)

        var writer = Bounded.Start(() =>
        {
            sem.LockWrite();
            order.Enqueue("writer");
            sem.UnlockWrite();
        }, "writer");
        Bounded.Until(() => sem.WaitingWriterCount == 1, "writer waiting behind reader 1");

        var reader2 = Bounded.Start(() =>
        {
            sem.LockRead();
            order.Enqueue("reader2");
            sem.UnlockRead();
        }, "reader2");
        Bounded.Until(() => sem.WaitingReaderCount == 1, "reader 2 waiting behind the waiting writer");

        // Reader 1 still holds: without writer preference reader 2 would be inside now.
        Assert.AreEqual(1, sem.ReaderCount);
        Assert.IsTrue(order.IsEmpty);

        sem.UnlockRead();
        Bounded.Join(writer, reader2);
        CollectionAssert.AreEqual(new[] { "writer", "reader2" }, order.ToArray());
    }

    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void TryLockRead_FailsWhileWriterWaits()
    {
        var sem = new TrackedRwSemaphore(Names.Prefix("Wt") + ".Lock");
        using var holding = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var reader = Bounded.Start(() =>
        {
            sem.LockRead();
            holding.Set();
            release.Wait(Bounded.Timeout);
            sem.UnlockRead();
        }, "reader");
        Assert.IsTrue(holding.Wait(Bounded.Timeout));
        Assert.IsTrue(sem.TryLockRead(), "readers share while no writer waits");
        sem.UnlockRead();

        var writer = Bounded.Start(() =>
        {
            sem.LockWrite();
            sem.UnlockWrite();
        }, "writer");
        Bounded.Until(() => sem.WaitingWriterCount == 1, "writer waiting");
        Assert.IsFalse(sem.TryLockRead(), "a reader does not overtake a waiting writer");
        release.Set();
        Bounded.Join(reader, writer);
        Assert.IsTrue(sem.TryLockRead());
        sem.UnlockRead();
    }

    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void Downgrade_LetsWaitingReadersIn_NoWriterSneaksBetween()
    {
        var sem = new TrackedRwSemaphore(Names.Prefix("Dg") + ".Lock");
        sem.LockWrite();

        using var readerIn = new ManualResetEventSlim();
        using var readerRelease = new ManualResetEventSlim();
        var reader = Bounded.Start(() =>
        {
            sem.LockRead();
            readerIn.Set();
            readerRelease.Wait(Bounded.Timeout);
            sem.UnlockRead();
        }, "reader");
        Bounded.Until(() => sem.WaitingReaderCount == 1, "reader waiting for the writer");

        var writer2In = 0;
        var writer2 = Bounded.Start(() =>
        {
            sem.LockWrite();
            Volatile.Write(ref writer2In, 1);
            sem.UnlockWrite();
        }, "writer2");
        Bounded.Until(() => sem.WaitingWriterCount == 1, "second writer waiting");

        sem.DowngradeWrite();
        Assert.IsFalse(sem.IsWriteLocked);
        Assert.AreEqual(LockMode.Read, sem.HeldModeByCurrentThread);
        XeLocked.Locking.Lockdep.AssertHeldRead(sem);

        // The reader that waited gets in although a writer is also waiting ...
        Assert.IsTrue(readerIn.Wait(Bounded.Timeout), "the waiting reader was let in by the downgrade");
        Assert.AreEqual(2, sem.ReaderCount);

        // ... and the second writer is still outside: nobody sneaked in between write and read.
        Assert.AreEqual(0, Volatile.Read(ref writer2In));
        Assert.AreEqual(1, sem.WaitingWriterCount);

        sem.UnlockRead();
        Assert.AreEqual(0, Volatile.Read(ref writer2In), "the other reader still holds");
        readerRelease.Set();
        Bounded.Join(reader, writer2);
        Assert.AreEqual(1, writer2In);
        Assert.AreEqual(0, sem.ReaderCount);
        Assert.IsFalse(sem.IsWriteLocked);
    }

    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void WriterRelease_LetsWaitingReadersInBeforeTheNextWriter()
    {
        var sem = new TrackedRwSemaphore(Names.Prefix("Fr") + ".Lock");
        var order = new ConcurrentQueue<string>();
        sem.LockWrite();
        var reader = Bounded.Start(() =>
        {
            sem.LockRead();
            order.Enqueue("reader");
            sem.UnlockRead();
        }, "reader");
        Bounded.Until(() => sem.WaitingReaderCount == 1, "reader waiting");
        var writer = Bounded.Start(() =>
        {
            sem.LockWrite();
            order.Enqueue("writer2");
            sem.UnlockWrite();
        }, "writer2");
        Bounded.Until(() => sem.WaitingWriterCount == 1, "writer waiting");
        sem.UnlockWrite();
        Bounded.Join(reader, writer);
        CollectionAssert.AreEqual(new[] { "reader", "writer2" }, order.ToArray(), "readers that waited for a writer are not starved by the next one");
    }
}
