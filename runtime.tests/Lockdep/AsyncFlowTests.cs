using Microsoft.VisualStudio.TestTools.UnitTesting;
using XeLocked.Locking;
using XeLocked.Runtime.Tests.Lockdep.Support;

namespace XeLocked.Runtime.Tests.Lockdep;

/// <summary>
/// The held set of async locks belongs to the async flow: it follows awaits and thread hops, an
/// awaited callee's acquisitions are its caller's, another flow's release is a bad unlock, a
/// synchronous wait on a lock the flow holds is reported before it blocks, and reports name the
/// flows.
/// </summary>
[TestClass]
public sealed class AsyncFlowTests
{
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public async Task CalleeAcquires_CallerReleases_OnOtherThreads_NoReport()
    {
        using var capture = XeLocked.Locking.Lockdep.CaptureReports(LockdepMode.Throw);
        var p = Names.Prefix("Acr");
        var a = new TrackedAsyncMutex($"{p}.A");
        var b = new TrackedAsyncMutex($"{p}.B");

        // No flow in this context yet: the callee begins it, and the caller joins it with the guards.
        var (ga, gb) = await AcquireBothAsync(a, b);
        await Task.Run(() => { }).ConfigureAwait(false);
        await gb.DisposeAsync(); // joins the flow
        Assert.IsTrue(a.IsHeldByCurrentThread, "the caller's flow now holds what the callee took");
        Assert.IsFalse(b.IsHeldByCurrentThread);
        await Task.Yield();
        await ga.DisposeAsync();

        Assert.AreEqual(0, capture.Reports.Count, string.Join("\n", capture.Reports.Select(r => r.Text)));
        Assert.IsFalse(a.IsLocked);
        Assert.IsFalse(b.IsLocked);
        Assert.AreEqual(0, AsyncFlow.CurrentOrNull!.Stack.Depth);
    }

    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public async Task ExplicitRoot_CalleesAcquisitionsAreTheCallersHeldSet()
    {
        using var capture = XeLocked.Locking.Lockdep.CaptureReports(LockdepMode.Record);
        var p = Names.Prefix("Aer");
        var a = new TrackedAsyncMutex($"{p}.A");
        var b = new TrackedAsyncMutex($"{p}.B");
        var c = new TrackedAsyncMutex($"{p}.C");
        using (XeLocked.Locking.Lockdep.BeginAsyncFlow("root"))
        {
            var (ga, gb) = await AcquireBothAsync(a, b);
            Assert.IsTrue(a.IsHeldByCurrentThread && b.IsHeldByCurrentThread, "the caller's flow holds what the callee took");
            await using (await c.LockAsync())
            {
                // B -> C recorded while the callee's locks are held.
            }

            gb.Dispose();
            ga.Dispose();
        }

        Assert.IsTrue(XeLocked.Locking.Lockdep.ObservedEdges.Any(e => e.From == $"{p}.B" && e.To == $"{p}.C"), "B -> C");

        // The reverse order in another flow closes the cycle.
        await Task.Run(async () =>
        {
            using var other = XeLocked.Locking.Lockdep.BeginAsyncFlow("reverse");
            await using (await c.LockAsync())
            {
                await Task.Yield();
                await using (await a.LockAsync())
                {
                }
            }
        });

        Assert.AreEqual(1, capture.Reports.Count, string.Join("\n", capture.Reports.Select(r => r.Text)));
        Assert.AreEqual(LockdepViolationKind.CircularDependency, capture.Reports[0].Kind);
    }

    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public async Task ReleaseByAnotherFlow_IsABadUnlock_AndTheLockStaysHeld()
    {
        using var capture = XeLocked.Locking.Lockdep.CaptureReports(LockdepMode.Throw);
        var m = new TrackedAsyncMutex($"{Names.Prefix("Abu")}.M");
        var rw = new TrackedAsyncRwLock($"{Names.Prefix("Abu")}.R");
        using var mine = XeLocked.Locking.Lockdep.BeginAsyncFlow("owner");
        var guard = await m.LockAsync();
        var read = await rw.ReadLockAsync();

        var errors = await Task.Run(async () =>
        {
            using var other = XeLocked.Locking.Lockdep.BeginAsyncFlow("intruder");
            await Task.Yield();
            var kinds = new List<LockdepViolationKind>();
            try
            {
                m.Unlock();
            }
            catch (LockdepViolationException ex)
            {
                kinds.Add(ex.Report.Kind);
                StringAssert.Contains(ex.Report.Text, "held by async flow owner#");
                StringAssert.Contains(ex.Report.Text, "intruder#");
            }

            try
            {
                guard.Dispose(); // the owner's guard, used by another flow
            }
            catch (LockdepViolationException ex)
            {
                kinds.Add(ex.Report.Kind);
            }

            try
            {
                rw.UnlockRead();
            }
            catch (LockdepViolationException ex)
            {
                kinds.Add(ex.Report.Kind);
            }

            return kinds;
        });

        CollectionAssert.AreEqual(new[] { LockdepViolationKind.BadUnlockBalance, LockdepViolationKind.BadUnlockBalance, LockdepViolationKind.BadUnlockBalance }, errors);
        Assert.IsTrue(m.IsLocked && m.IsHeldByCurrentThread, "still held by the owner");
        Assert.AreEqual(1, rw.ReaderCount);
        await Task.Run(() => { }).ConfigureAwait(false);
        await guard.DisposeAsync(); // the owner, on another thread: fine
        await read.DisposeAsync();
        Assert.IsFalse(m.IsLocked);
        Assert.AreEqual(0, rw.ReaderCount);
        Assert.AreEqual(3, capture.Reports.Count);
    }

    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public async Task SyncWaitOnALockTheFlowHolds_IsReportedBeforeItBlocks()
    {
        using var capture = XeLocked.Locking.Lockdep.CaptureReports(LockdepMode.Throw);
        var m = new TrackedAsyncMutex($"{Names.Prefix("Asw")}.M");
        var rw = new TrackedAsyncRwLock($"{Names.Prefix("Asw")}.R");
        using var flow = XeLocked.Locking.Lockdep.BeginAsyncFlow("sync-over-async");
        await using (await m.LockAsync())
        await using (await rw.WriteLockAsync())
        {
            await Task.Yield();
            var ex = Assert.ThrowsExactly<LockdepViolationException>(() => m.Lock());
            Assert.AreEqual(LockdepViolationKind.RecursiveLocking, ex.Report.Kind);
            StringAssert.Contains(ex.Report.Text, "sync-over-async self-deadlock");
            StringAssert.Contains(ex.Report.Text, "async flow sync-over-async#");

            // .Wait() on the async form: LockAsync reports before it returns a task to wait on.
            ex = Assert.ThrowsExactly<LockdepViolationException>(() => rw.ReadLockAsync().AsTask().Wait());
            Assert.AreEqual(LockdepViolationKind.RecursiveLocking, ex.Report.Kind);

            // And the plain async re-acquisition (the async AA).
            ex = await Assert.ThrowsExactlyAsync<LockdepViolationException>(async () => await m.LockAsync());
            Assert.AreEqual(LockdepViolationKind.RecursiveLocking, ex.Report.Kind);
        }

        Assert.IsFalse(m.IsLocked);
        Assert.IsFalse(rw.IsWriteLocked);
        Assert.AreEqual(3, capture.Reports.Count);
    }

    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public async Task CycleReport_NamesBothFlowsAndTheirFileLines()
    {
        using var capture = XeLocked.Locking.Lockdep.CaptureReports(LockdepMode.Throw);
        var p = Names.Prefix("Anm");
        var a = new TrackedAsyncMutex($"{p}.A");
        var b = new TrackedAsyncRwLock($"{p}.B");

        await Task.Run(async () =>
        {
            using var alpha = XeLocked.Locking.Lockdep.BeginAsyncFlow("alpha");
            await using (await a.LockAsync())
            {
                await Task.Yield();
                await using (await b.WriteLockAsync())
                {
                }
            }
        });

        var ex = await Task.Run(async () =>
        {
            using var beta = XeLocked.Locking.Lockdep.BeginAsyncFlow("beta");
            await using (await b.ReadLockAsync())
            {
                await Task.Run(() => { }).ConfigureAwait(false);
                return await Assert.ThrowsExactlyAsync<LockdepViolationException>(async () => await a.LockAsync());
            }
        });

        Assert.AreEqual(LockdepViolationKind.CircularDependency, ex.Report.Kind);
        var text = ex.Report.Text;
        StringAssert.Contains(text, "in async flow beta#", "the acquiring flow");
        StringAssert.Contains(text, "in async flow alpha#", "the flow that recorded A -> B");
        StringAssert.Contains(text, "but async flow is already holding lock:");
        StringAssert.Contains(text, "AsyncFlowTests.cs:", "file:line of the acquisitions");
        Assert.IsFalse(a.IsLocked, "refused: not taken");
    }

    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public async Task WorkStartedWithItsOwnFlow_DoesNotInheritTheHeldSet()
    {
        using var capture = XeLocked.Locking.Lockdep.CaptureReports(LockdepMode.Throw);
        var a = new TrackedAsyncMutex($"{Names.Prefix("Afk")}.A");
        using var parent = XeLocked.Locking.Lockdep.BeginAsyncFlow("parent");
        var guard = await a.LockAsync();
        var child = Task.Run(async () =>
        {
            using var own = XeLocked.Locking.Lockdep.BeginAsyncFlow("child");
            await using (await a.LockAsync())
            {
                Assert.IsTrue(a.IsHeldByCurrentThread);
            }
        });

        while (a.WaiterCount == 0 && !child.IsCompleted)
        {
            await Task.Yield();
        }

        Assert.IsFalse(a.IsHeldByCurrentThread && child.IsCompleted, "the child waits for the parent");
        await guard.DisposeAsync();
        await child;
        Assert.AreEqual(0, capture.Reports.Count, string.Join("\n", capture.Reports.Select(r => r.Text)));
    }

    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public async Task Limit_WorkStartedWithoutAFlowOfItsOwn_SharesTheStartersHeldSet()
    {
        // The documented limit: Task.Run inherits the execution context, and with it the flow.
        using var capture = XeLocked.Locking.Lockdep.CaptureReports(LockdepMode.Record);
        var a = new TrackedAsyncMutex($"{Names.Prefix("Alm")}.A");
        using var parent = XeLocked.Locking.Lockdep.BeginAsyncFlow("parent");
        await using (await a.LockAsync())
        {
            await Task.Run(() => Assert.ThrowsExactly<LockRecursionException>(() => a.TryLockAsync(TimeSpan.FromSeconds(1))));
        }

        Assert.AreEqual(1, capture.Reports.Count);
        Assert.AreEqual(LockdepViolationKind.RecursiveLocking, capture.Reports[0].Kind);
    }

    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public async Task AssertNoLocksHeld_SeesTheFlowsLocks()
    {
        using var capture = XeLocked.Locking.Lockdep.CaptureReports(LockdepMode.Record);
        var a = new TrackedAsyncMutex($"{Names.Prefix("Anh")}.A");
        using var flow = XeLocked.Locking.Lockdep.BeginAsyncFlow("exit");
        await using (await a.LockAsync())
        {
            await Task.Yield();
            XeLocked.Locking.Lockdep.AssertNoLocksHeld();
        }

        XeLocked.Locking.Lockdep.AssertNoLocksHeld();
        Assert.AreEqual(1, capture.Reports.Count);
        Assert.AreEqual(LockdepViolationKind.HeldAtExit, capture.Reports[0].Kind);
        StringAssert.Contains(capture.Reports[0].Text, "1 lock held by async flow exit#");
    }

    private static async Task<(AsyncMutexGuard, AsyncMutexGuard)> AcquireBothAsync(TrackedAsyncMutex a, TrackedAsyncMutex b)
    {
        await Task.Yield();
        var ga = await a.LockAsync();
        await Task.Run(() => { }).ConfigureAwait(false);
        var gb = await b.LockAsync();
        return (ga, gb);
    }
}
