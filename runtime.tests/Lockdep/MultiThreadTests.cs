using Microsoft.VisualStudio.TestTools.UnitTesting;
using XeLocked.Locking;
using XeLocked.Runtime.Tests.Lockdep.Support;
using XeLocked.Runtime.Tests.Primitives;
using LD = XeLocked.Locking.Lockdep;

namespace XeLocked.Runtime.Tests.Lockdep;

/// <summary>Two real threads build a cycle; the tracker reports it instead of deadlocking, and keeps its own state consistent under contention.</summary>
[TestClass]
public sealed class MultiThreadTests
{
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void CycleBuiltByTwoThreads_OneAfterTheOther_IsReportedToTheSecond()
    {
        var p = Names.Prefix("Mt");
        var a = new TrackedMutex($"{p}.A");
        var b = new TrackedMutex($"{p}.B");
        using var scope = LD.CaptureReports(LockdepMode.Throw);

        var t1 = Bounded.Start(() =>
        {
            a.Lock("T1.cs", 10);
            b.Lock("T1.cs", 11);
            b.Unlock();
            a.Unlock();
        }, "T1");
        Bounded.Join(t1);

        LockdepViolationException? caught = null;
        var t2 = Bounded.Start(() =>
        {
            b.Lock("T2.cs", 20);
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
                b.Unlock();
            }
        }, "T2");
        Bounded.Join(t2);

        Assert.IsNotNull(caught);
        Assert.AreEqual(LockdepViolationKind.CircularDependency, caught.Report.Kind);
        StringAssert.Contains(caught.Report.Text, "T2/");
        StringAssert.Contains(caught.Report.Text, "first seen at T1.cs:11, taken while holding");
        StringAssert.Contains(caught.Report.Text, "acquired at T1.cs:10");
        StringAssert.Contains(caught.Report.Text, "now at T2.cs:21");
        Assert.AreEqual(1, scope.Reports.Count);
    }

    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void CycleBuiltConcurrently_ExactlyOneThreadIsStopped_NoDeadlock()
    {
        for (var round = 0; round < 20; round++)
        {
            var p = Names.Prefix("Mc");
            var a = new TrackedMutex($"{p}.A");
            var b = new TrackedMutex($"{p}.B");
            using var scope = LD.CaptureReports(LockdepMode.Throw);
            using var bothHoldFirst = new Barrier(2);
            var stopped = 0;

            void Run(TrackedMutex first, TrackedMutex second)
            {
                first.Lock();
                try
                {
                    bothHoldFirst.SignalAndWait(Bounded.Timeout);
                    second.Lock(); // one thread is refused here, the other waits until the refused one unwinds
                    second.Unlock();
                }
                catch (LockdepViolationException ex)
                {
                    Assert.AreEqual(LockdepViolationKind.CircularDependency, ex.Report.Kind);
                    Interlocked.Increment(ref stopped);
                }
                finally
                {
                    first.Unlock();
                }
            }

            var t1 = Bounded.Start(() => Run(a, b), "AB");
            var t2 = Bounded.Start(() => Run(b, a), "BA");
            Bounded.Join(t1, t2);
            Assert.AreEqual(1, stopped, "exactly one of the two acquisitions closes the cycle");
            Assert.AreEqual(1, scope.Reports.Count);
        }
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public void ConsistentOrderUnderContention_NoReports_GraphStaysSmall()
    {
        var p = Names.Prefix("Ms");
        var locks = Enumerable.Range(0, 6).Select(i => new TrackedMutex($"{p}.L{i}")).ToArray();
        var rw = new TrackedRwSemaphore($"{p}.Rw");
        using var scope = LD.CaptureReports(LockdepMode.Throw);
        var errors = 0;
        const int Threads = 4, Iterations = 3_000;
        using var start = new Barrier(Threads);
        var threads = Enumerable.Range(0, Threads).Select(t => Bounded.Start(() =>
        {
            var rnd = new Random(t);
            start.SignalAndWait();
            try
            {
                for (var n = 0; n < Iterations; n++)
                {
                    var read = rnd.Next(2) == 0;
                    if (read)
                    {
                        rw.LockRead();
                    }
                    else
                    {
                        rw.LockWrite();
                    }

                    var taken = new List<TrackedMutex>();
                    foreach (var l in locks)
                    {
                        if (rnd.Next(3) == 0)
                        {
                            continue;
                        }

                        if (rnd.Next(4) == 0)
                        {
                            if (l.TryLock())
                            {
                                taken.Add(l);
                            }
                        }
                        else
                        {
                            l.Lock();
                            taken.Add(l);
                        }
                    }

                    // Release in a random order (lockdep allows non-nested release).
                    while (taken.Count > 0)
                    {
                        var i = rnd.Next(taken.Count);
                        taken[i].Unlock();
                        taken.RemoveAt(i);
                    }

                    if (read)
                    {
                        rw.UnlockRead();
                    }
                    else
                    {
                        rw.UnlockWrite();
                    }

                    LD.AssertNoLocksHeld();
                }
            }
            catch (Exception)
            {
                Interlocked.Increment(ref errors);
                throw;
            }
        }, $"c{t}")).ToArray();
        Bounded.Join(threads);

        Assert.AreEqual(0, errors);
        Assert.AreEqual(0, scope.Reports.Count, string.Join("\n", scope.Reports.Select(r => r.Text)));
        var mine = LD.ObservedEdges.Where(e => e.From.StartsWith(p, StringComparison.Ordinal)).ToList();
        Assert.IsTrue(mine.Count <= 6 + 15, $"at most rw->Li and Li->Lj (i<j) edges: {mine.Count}");
        Assert.IsTrue(mine.All(e => e.From == $"{p}.Rw" || string.CompareOrdinal(e.From, e.To) < 0), "every edge follows the order");
    }

    /// <summary>Iterations scale with <c>XELOCKED_STRESS=1</c> (opt-in long run); the default run takes a second or two.</summary>
    private static int Scale => Environment.GetEnvironmentVariable("XELOCKED_STRESS") == "1" ? 50 : 1;

    [TestMethod]
    [Timeout(300_000, CooperativeCancellation = true)]
    public void ManyThreadsManyClasses_OneInversion_IsTheOnlyReport()
    {
        var p = Names.Prefix("Mx");
        const int Classes = 20;
        var mutexes = Enumerable.Range(0, Classes).Select(i => new TrackedMutex($"{p}.L{i:D2}")).ToArray();
        var spins = Enumerable.Range(0, Classes).Select(i => new TrackedSpinLock($"{p}.L{i:D2}")).ToArray(); // same classes, other primitive
        using var scope = LD.CaptureReports(LockdepMode.Record);
        var threads = Environment.ProcessorCount * 2;
        var iterations = 2_000 * Scale;
        using var start = new Barrier(threads);
        var failures = 0;
        var workers = Enumerable.Range(0, threads).Select(t => Bounded.Start(() =>
        {
            var rnd = new Random(1000 + t);
            start.SignalAndWait();
            try
            {
                for (var n = 0; n < iterations; n++)
                {
                    var held = new Stack<Action>();
                    for (var i = 0; i < Classes; i++)
                    {
                        if (rnd.Next(4) != 0)
                        {
                            continue;
                        }

                        if (rnd.Next(2) == 0)
                        {
                            var m = mutexes[i];
                            m.Lock();
                            held.Push(() => m.Unlock());
                        }
                        else
                        {
                            var s = spins[i];
                            if (s.TryLock())
                            {
                                held.Push(() => s.Unlock());
                            }
                        }
                    }

                    while (held.Count > 0)
                    {
                        held.Pop()();
                    }
                }
            }
            catch (Exception)
            {
                Interlocked.Increment(ref failures);
                throw;
            }
        }, $"s{t}")).ToArray();
        Bounded.Join(workers);
        Assert.AreEqual(0, failures);
        Assert.AreEqual(0, scope.Reports.Count, "a consistent order under contention: no report");

        // Make sure L03 -> L15 is known, then invert it once.
        mutexes[3].Lock();
        mutexes[15].Lock();
        mutexes[15].Unlock();
        mutexes[3].Unlock();
        mutexes[15].Lock();
        mutexes[3].Lock();
        mutexes[3].Unlock();
        mutexes[15].Unlock();
        var r = scope.Reports.Single();
        Assert.AreEqual(LockdepViolationKind.CircularDependency, r.Kind);
        Assert.AreEqual($"{p}.L03", r.Classes[0]);
        Assert.AreEqual($"{p}.L15", r.Classes[^1]);
    }
}
