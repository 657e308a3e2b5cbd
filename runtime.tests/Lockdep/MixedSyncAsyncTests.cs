using Microsoft.VisualStudio.TestTools.UnitTesting;
using XeLocked.Locking;
using XeLocked.Runtime.Tests.Lockdep.Support;

namespace XeLocked.Runtime.Tests.Lockdep;

/// <summary>
/// Cycles that mix thread-bound and async locks: the held set an acquisition is checked against is
/// the thread's locks together with the async flow's, in the order they were taken.
/// </summary>
[TestClass]
public sealed class MixedSyncAsyncTests
{
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public async Task AsyncThenSync_ThenSyncThenAsync_IsACycle()
    {
        using var capture = XeLocked.Locking.Lockdep.CaptureReports(LockdepMode.Throw);
        var p = Names.Prefix("Mx1");
        var a = new TrackedAsyncMutex($"{p}.A");
        var m = new TrackedMutex($"{p}.M");

        using (XeLocked.Locking.Lockdep.BeginAsyncFlow("first"))
        {
            await using (await a.LockAsync())
            {
                await Task.Yield();
                using (m.Guard())
                {
                }
            }
        }

        Assert.IsTrue(XeLocked.Locking.Lockdep.ObservedEdges.Any(e => e.From == $"{p}.A" && e.To == $"{p}.M"), "A -> M");

        // A thread holding M waits synchronously for A: M -> A closes the cycle, before it blocks.
        var ex = await Task.Run(() =>
        {
            using (m.Guard())
            {
                return Assert.ThrowsExactly<LockdepViolationException>(() => a.Lock());
            }
        });

        Assert.AreEqual(LockdepViolationKind.CircularDependency, ex.Report.Kind);
        StringAssert.Contains(ex.Report.Text, "but thread is already holding lock:");
        Assert.IsFalse(a.IsLocked);
    }

    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public async Task SyncThenAsync_ThenAsyncThenSync_IsACycle()
    {
        using var capture = XeLocked.Locking.Lockdep.CaptureReports(LockdepMode.Throw);
        var p = Names.Prefix("Mx2");
        var rw = new TrackedAsyncRwLock($"{p}.R");
        var m = new TrackedRwSemaphore($"{p}.S");

        // A thread holding S takes R synchronously (sync-over-async code under a thread lock).
        await Task.Run(() =>
        {
            using (m.ReadGuard())
            {
                rw.WriteLock();
                rw.UnlockWrite();
            }
        });

        Assert.IsTrue(XeLocked.Locking.Lockdep.ObservedEdges.Any(e => e.From == $"{p}.S" && e.To == $"{p}.R"), "S -> R");

        // An async flow holding R (across a hop) takes S: R -> S closes the cycle.
        using var flow = XeLocked.Locking.Lockdep.BeginAsyncFlow("second");
        await using (await rw.ReadLockAsync())
        {
            await Task.Run(() => { }).ConfigureAwait(false);
            var ex = Assert.ThrowsExactly<LockdepViolationException>(() => m.LockWrite());
            Assert.AreEqual(LockdepViolationKind.CircularDependency, ex.Report.Kind);
            StringAssert.Contains(ex.Report.Text, "but async flow is already holding lock:");
            StringAssert.Contains(ex.Report.Text, "in async flow second#");
        }

        Assert.IsFalse(m.IsWriteLocked);
    }

    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public async Task InterleavedHolds_AreValidatedInAcquisitionOrder()
    {
        // Flow takes A, the thread takes M, the flow takes B (synchronously, no await in between):
        // the held set is A, M in that order, so the edge into B comes from M (the newest).
        using var capture = XeLocked.Locking.Lockdep.CaptureReports(LockdepMode.Throw);
        var p = Names.Prefix("Mx3");
        var a = new TrackedAsyncMutex($"{p}.A");
        var b = new TrackedAsyncMutex($"{p}.B");
        var m = new TrackedMutex($"{p}.M");
        using var flow = XeLocked.Locking.Lockdep.BeginAsyncFlow("interleaved");
        await using (await a.LockAsync())
        {
            await Task.Yield();
            m.Lock();
            b.Lock();
            b.Unlock();
            m.Unlock();
        }

        var edges = XeLocked.Locking.Lockdep.ObservedEdges.Where(e => e.From.StartsWith(p, StringComparison.Ordinal)).Select(e => $"{e.From}->{e.To}").ToHashSet();
        CollectionAssert.AreEquivalent(new[] { $"{p}.A->{p}.M", $"{p}.M->{p}.B" }, edges.ToArray());
        Assert.AreEqual(0, capture.Reports.Count);
    }

    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public async Task DeclaredOrder_AppliesToAsyncLocks()
    {
        using var capture = XeLocked.Locking.Lockdep.CaptureReports(LockdepMode.Throw);
        var p = Names.Prefix("Mx4");
        XeLocked.Locking.Lockdep.LoadDeclaredOrder(OrderAssembly.Build("Mx", new OrderAssembly.Member($"{p}A", "L", Before: new[] { $"{p}B.L" })));
        var a = new TrackedAsyncMutex($"{p}A.L");
        var b = new TrackedMutex($"{p}B.L");
        using var flow = XeLocked.Locking.Lockdep.BeginAsyncFlow("declared");
        using (b.Guard())
        {
            var ex = await Assert.ThrowsExactlyAsync<LockdepViolationException>(async () => await a.LockAsync());
            Assert.AreEqual(LockdepViolationKind.DeclaredOrderViolation, ex.Report.Kind);
        }

        Assert.IsFalse(a.IsLocked);
    }
}
