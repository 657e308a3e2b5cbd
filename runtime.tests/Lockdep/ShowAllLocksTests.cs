using Microsoft.VisualStudio.TestTools.UnitTesting;
using XeLocked.Annotations;
using XeLocked.Locking;
using XeLocked.Runtime.Tests.Lockdep.Support;
using XeLocked.Runtime.Tests.Primitives;
using LD = XeLocked.Locking.Lockdep;

namespace XeLocked.Runtime.Tests.Lockdep;

/// <summary><c>debug_show_all_locks</c>: every live thread's held locks, read from another thread without stopping anyone.</summary>
[TestClass]
public sealed class ShowAllLocksTests
{
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void BlockedThreadHoldingTwoLocks_ShowsBoth_AndAFinishedThreadDoesNotAppear()
    {
        var p = Names.Prefix("Show");
        var a = new TrackedMutex($"{p}.A");
        var b = new TrackedRwSemaphore($"{p}.B");
        using var scope = LD.CaptureReports(LockdepMode.Throw);
        using var holding = new ManualResetEventSlim();
        using var go = new ManualResetEventSlim();

        var stuck = Bounded.Start(() =>
        {
            a.Lock("Stuck.cs", 10);
            b.LockRead("Stuck.cs", 11);
            holding.Set();
            go.Wait(); // stuck on something that is not a lock
            b.UnlockRead();
            a.Unlock();
        }, "Stuck");
        try
        {
            Bounded.Until(() => holding.IsSet, "the thread holds A and B");
            var all = LD.HeldLocksOfAllThreads();
            var mine = all.Single(t => t.ThreadId == stuck.ManagedThreadId);
            Assert.AreEqual("Stuck", mine.ThreadName);
            Assert.IsTrue(mine.Exact, "a blocked thread does not change its stack");
            Assert.AreEqual(2, mine.Locks.Count);
            Assert.AreEqual(new HeldLockInfo($"{p}.A", LockMode.Write, false, "Stuck.cs", 10), mine.Locks[0]);
            Assert.AreEqual(new HeldLockInfo($"{p}.B", LockMode.Read, false, "Stuck.cs", 11), mine.Locks[1]);
            Assert.IsFalse(all.Any(t => t.ThreadId == Environment.CurrentManagedThreadId), "a thread holding nothing does not appear");

            var text = LD.FormatAllLocks(all);
            StringAssert.Contains(text, "Showing all locks held in the system:" + Environment.NewLine);
            StringAssert.Contains(text, $"2 locks held by Stuck/{stuck.ManagedThreadId}:" + Environment.NewLine);
            StringAssert.Contains(text, $" #0: ({p}.A){{write}}, at: Stuck.cs:10" + Environment.NewLine);
            StringAssert.Contains(text, $" #1: ({p}.B){{read}}, at: Stuck.cs:11" + Environment.NewLine);
            StringAssert.EndsWith(text, "=============================================" + Environment.NewLine);
        }
        finally
        {
            go.Set();
        }

        Bounded.Join(stuck);
        var after = LD.HeldLocksOfAllThreads();
        Assert.IsFalse(after.Any(t => t.ThreadId == stuck.ManagedThreadId), "a finished thread does not appear");
        Assert.IsFalse(after.SelectMany(t => t.Locks).Any(l => l.Class.StartsWith(p + ".", StringComparison.Ordinal)), "nothing of this test is held any more");
        Assert.AreEqual(0, scope.Reports.Count);
    }

    /// <summary>As in the kernel, a lock is on the held stack from the moment its acquisition is validated, so a thread blocked in <c>Lock()</c> shows the lock it waits for on top.</summary>
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void ThreadBlockedOnALock_ShowsItOnTop_AndTheHolderShowsItToo()
    {
        var p = Names.Prefix("ShowWait");
        var a = new TrackedMutex($"{p}.A");
        var c = new TrackedMutex($"{p}.C");
        using var scope = LD.CaptureReports(LockdepMode.Throw);
        using var holding = new ManualResetEventSlim();

        c.Lock("Watchdog.cs", 5);
        Thread waiter;
        try
        {
            waiter = Bounded.Start(() =>
            {
                a.Lock("Wait.cs", 20);
                holding.Set();
                c.Lock("Wait.cs", 21); // blocks until the test releases C
                c.Unlock();
                a.Unlock();
            }, "Waiter");
            Bounded.Until(() => holding.IsSet && LD.HeldLocksOfAllThreads().Any(t => t.ThreadId == waiter.ManagedThreadId && t.Locks.Count == 2),
                "the waiter went on to C");
            var all = LD.HeldLocksOfAllThreads();
            var w = all.Single(t => t.ThreadId == waiter.ManagedThreadId);
            CollectionAssert.AreEqual(new[] { $"{p}.A", $"{p}.C" }, w.Locks.Select(l => l.Class).ToArray());
            Assert.AreEqual(21, w.Locks[1].Line);
            var me = all.Single(t => t.ThreadId == Environment.CurrentManagedThreadId);
            Assert.AreEqual(new HeldLockInfo($"{p}.C", LockMode.Write, false, "Watchdog.cs", 5), me.Locks.Single());
        }
        finally
        {
            c.Unlock();
        }

        Bounded.Join(waiter);
        Assert.IsFalse(LD.HeldLocksOfAllThreads().Any(t => t.ThreadId == waiter.ManagedThreadId));
        Assert.AreEqual(0, scope.Reports.Count);
    }

    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void ReadingARunningThread_NeverThrowsNorBlocks_AndShowsOnlyStatesItWasIn()
    {
        var p = Names.Prefix("ShowRun");
        var a = new TrackedMutex($"{p}.A");
        var b = new TrackedSpinLock($"{p}.B");
        using var scope = LD.CaptureReports(LockdepMode.Throw);
        var stop = 0;
        var churner = Bounded.Start(() =>
        {
            while (Volatile.Read(ref stop) == 0)
            {
                a.Lock("Churn.cs", 1);
                b.Lock("Churn.cs", 2);
                b.Unlock();
                a.Unlock(); // in order
                a.Lock("Churn.cs", 3);
                b.Lock("Churn.cs", 4);
                a.Unlock(); // out of order: B is re-acquired on its own
                b.Unlock();
            }
        }, "Churn");

        var seen = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            // At least 5,000 reads, and until the churner was seen holding locks 100 times (it may
            // start late on a loaded machine); bounded in time.
            for (var i = 0; i < 5_000 || seen < 100; i++)
            {
                if (clock.Elapsed > Bounded.Timeout)
                {
                    throw new TimeoutException($"the churning thread was seen holding locks only {seen} times in {i} reads");
                }

                var t = LD.HeldLocksOfAllThreads().SingleOrDefault(x => x.ThreadId == churner.ManagedThreadId);
                if (t is null)
                {
                    continue;
                }

                seen++;
                var classes = string.Join(",", t.Locks.Select(l => l.Class));
                if (t.Exact)
                {
                    CollectionAssert.Contains(new[] { $"{p}.A", $"{p}.A,{p}.B", $"{p}.B" }, classes, "an exact read is a state the stack was in");
                }

                Assert.IsTrue(t.Locks.All(l => l.Mode == LockMode.Write && l.File == "Churn.cs"), classes);
            }
        }
        finally
        {
            Volatile.Write(ref stop, 1);
            Bounded.Join(churner);
        }

        Assert.IsTrue(seen >= 100, "the churning thread was seen holding locks");
        Assert.AreEqual(0, scope.Reports.Count);
    }

    [TestMethod]
    public void FormatAllLocks_RejectsNull_AndSaysWhenNothingIsHeld()
    {
        Assert.ThrowsExactly<ArgumentNullException>(() => LD.FormatAllLocks(null!));
        var text = LD.FormatAllLocks(Array.Empty<ThreadHeldLocks>());
        StringAssert.StartsWith(text, Environment.NewLine + "Showing all locks held in the system:");
        Assert.IsFalse(text.Contains("held by", StringComparison.Ordinal), text);
        var inexact = LD.FormatAllLocks(new[] { new ThreadHeldLocks(7, null, new[] { new HeldLockInfo("X.L", LockMode.Read, true, "", 0) }, Exact: false) });
        StringAssert.Contains(inexact, "1 lock held by thread/7: (running while read: the list may be inexact)");
        StringAssert.Contains(inexact, " #0: (X.L){read}, at: <unknown> [trylock]");
    }
}
