using Microsoft.VisualStudio.TestTools.UnitTesting;
using XeLocked.Locking;
using XeLocked.Runtime.Tests.Lockdep.Support;

namespace XeLocked.Runtime.Tests.Primitives;

[TestClass]
public sealed class MutualExclusionTests
{
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    [DynamicData(nameof(ExclusiveLock.Kinds), typeof(ExclusiveLock))]
    public void ExclusiveHoldersNeverOverlap(string kind)
    {
        var l = ExclusiveLock.Create(kind, Names.Prefix("Mx") + ".Lock");
        long counter = 0;
        var inside = 0;
        var overlaps = 0;
        const int Threads = 4, Iterations = 20_000;
        using var start = new Barrier(Threads);
        var threads = Enumerable.Range(0, Threads).Select(i => Bounded.Start(() =>
        {
            start.SignalAndWait();
            for (var n = 0; n < Iterations; n++)
            {
                l.Lock();
                if (Interlocked.Increment(ref inside) != 1)
                {
                    Interlocked.Increment(ref overlaps);
                }

                counter++; // deliberately not atomic: only the lock makes it exact
                Interlocked.Decrement(ref inside);
                l.Unlock();
            }
        }, $"mx{i}")).ToArray();
        Bounded.Join(threads);
        Assert.AreEqual(0, overlaps);
        Assert.AreEqual((long)Threads * Iterations, counter);
    }

    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void RwSemaphore_WritersExcludeReaders_ReadersSeeConsistentState()
    {
        var sem = new TrackedRwSemaphore(Names.Prefix("Rw") + ".Lock");
        long a = 0, b = 0;
        var torn = 0;
        var readersInside = 0;
        var writerOverlaps = 0;
        const int Writers = 2, Readers = 3, Iterations = 5_000;
        var threads = new List<Thread>();
        for (var w = 0; w < Writers; w++)
        {
            threads.Add(Bounded.Start(() =>
            {
                for (var n = 0; n < Iterations; n++)
                {
                    sem.LockWrite();
                    if (Volatile.Read(ref readersInside) != 0)
                    {
                        Interlocked.Increment(ref writerOverlaps);
                    }

                    a++;
                    b++;
                    sem.UnlockWrite();
                }
            }, $"w{w}"));
        }

        for (var r = 0; r < Readers; r++)
        {
            threads.Add(Bounded.Start(() =>
            {
                for (var n = 0; n < Iterations; n++)
                {
                    using (sem.ReadGuard())
                    {
                        Interlocked.Increment(ref readersInside);
                        if (a != b)
                        {
                            Interlocked.Increment(ref torn);
                        }

                        Interlocked.Decrement(ref readersInside);
                    }
                }
            }, $"r{r}"));
        }

        Bounded.Join(threads.ToArray());
        Assert.AreEqual(0, torn, "a reader saw a half-done write");
        Assert.AreEqual(0, writerOverlaps, "a writer ran while a reader was inside");
        Assert.AreEqual((long)Writers * Iterations, a);
        Assert.AreEqual(a, b);
    }

    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void RwSemaphore_ReadersShare()
    {
        var sem = new TrackedRwSemaphore(Names.Prefix("Rs") + ".Lock");
        using var firstIn = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var t = Bounded.Start(() =>
        {
            sem.LockRead();
            firstIn.Set();
            release.Wait(Bounded.Timeout);
            sem.UnlockRead();
        }, "reader1");
        Assert.IsTrue(firstIn.Wait(Bounded.Timeout));

        // A second reader gets in while the first holds: no waiting at all.
        Assert.IsTrue(sem.TryLockRead());
        Assert.AreEqual(2, sem.ReaderCount);
        Assert.IsFalse(sem.TryLockWrite() || sem.IsWriteLocked);
        sem.UnlockRead();
        release.Set();
        Bounded.Join(t);
        Assert.AreEqual(0, sem.ReaderCount);
    }

    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void RwSemaphore_ReaderBlocksWhileWriterHolds()
    {
        var sem = new TrackedRwSemaphore(Names.Prefix("Rb") + ".Lock");
        sem.LockWrite();
        var acquired = 0;
        var t = Bounded.Start(() =>
        {
            sem.LockRead();
            Volatile.Write(ref acquired, 1);
            sem.UnlockRead();
        }, "reader");
        Bounded.Until(() => sem.WaitingReaderCount == 1, "reader waiting");
        Assert.AreEqual(0, Volatile.Read(ref acquired));
        sem.UnlockWrite();
        Bounded.Join(t);
        Assert.AreEqual(1, acquired);
    }
}
