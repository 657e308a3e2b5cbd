using Microsoft.VisualStudio.TestTools.UnitTesting;
using XeLocked.Locking;
using XeLocked.Runtime.Tests.Lockdep.Support;
using XeLocked.Runtime.Tests.Primitives;

namespace XeLocked.Runtime.Tests.Async;

/// <summary><see cref="TrackedAsyncMutex"/>: completion, FIFO hand-over, try with timeout, cancellation, allocation.</summary>
[TestClass]
public sealed class AsyncMutexTests
{
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public async Task Uncontended_CompletesSynchronously()
    {
        var m = new TrackedAsyncMutex($"{Names.Prefix("Am")}.M");
        var task = m.LockAsync();
        Assert.IsTrue(task.IsCompletedSuccessfully);
        Assert.IsTrue(m.IsLocked);
        await task.Result.DisposeAsync();
        Assert.IsFalse(m.IsLocked);
        Assert.IsTrue(m.TryLock());
        m.Unlock();
    }

    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public async Task Waiters_AreGrantedInArrivalOrder()
    {
        var m = new TrackedAsyncMutex($"{Names.Prefix("Am")}.M");
        var order = new List<int>();
        var first = await m.LockAsync();
        var waiters = new List<Task>();
        for (var i = 0; i < 8; i++)
        {
            var n = i;
            waiters.Add(Task.Run(async () =>
            {
                using var own = XeLocked.Locking.Lockdep.BeginAsyncFlow($"w{n}");
                await using (await m.LockAsync())
                {
                    order.Add(n);
                    await Task.Yield();
                }
            }));

            // Let waiter i queue before waiter i + 1 starts.
            while (m.WaiterCount < i + 1)
            {
                await Task.Yield();
            }
        }

        // A newcomer's try does not barge ahead of the queue.
        Assert.IsFalse(m.TryLock());
        await first.DisposeAsync();
        await Task.WhenAll(waiters);
        CollectionAssert.AreEqual(Enumerable.Range(0, 8).ToArray(), order.ToArray());
        Assert.IsFalse(m.IsLocked);
        Assert.AreEqual(0, m.WaiterCount);
    }

    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public async Task TryLockAsync_TimesOut_WithoutTakingTheLockOrLeavingAWaiter()
    {
        var m = new TrackedAsyncMutex($"{Names.Prefix("Am")}.M");
        var holder = await m.LockAsync();
        var result = await Task.Run(async () =>
        {
            using var own = XeLocked.Locking.Lockdep.BeginAsyncFlow("try");
            var zero = await m.TryLockAsync(TimeSpan.Zero);
            var timed = await m.TryLockAsync(TimeSpan.FromMilliseconds(20));
            return (zero, timed, held: m.IsHeldByCurrentThread);
        });

        Assert.AreEqual((false, false, false), result);
        Assert.AreEqual(0, m.WaiterCount);
        await holder.DisposeAsync();
        Assert.IsFalse(m.IsLocked);

        // A timed try that is granted before its timeout holds the lock.
        Assert.IsTrue(await m.TryLockAsync(TimeSpan.FromSeconds(10)));
        Assert.IsTrue(m.IsHeldByCurrentThread);
        m.Unlock();
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => m.TryLockAsync(TimeSpan.FromMilliseconds(-2)));
    }

    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public async Task Cancellation_BeforeTheGrant_LeavesTheLockToTheNextWaiter()
    {
        var m = new TrackedAsyncMutex($"{Names.Prefix("Am")}.M");
        var holder = await m.LockAsync();
        using var cts = new CancellationTokenSource();
        var cancelled = Task.Run(async () =>
        {
            using var own = XeLocked.Locking.Lockdep.BeginAsyncFlow("cancelled");
            await using (await m.LockAsync(cts.Token))
            {
            }
        });
        while (m.WaiterCount < 1)
        {
            await Task.Yield();
        }

        var next = Task.Run(async () =>
        {
            using var own = XeLocked.Locking.Lockdep.BeginAsyncFlow("next");
            await using (await m.LockAsync())
            {
                return true;
            }
        });
        while (m.WaiterCount < 2)
        {
            await Task.Yield();
        }

        cts.Cancel();
        await Assert.ThrowsAsync<OperationCanceledException>(() => cancelled);
        Assert.AreEqual(1, m.WaiterCount);
        await holder.DisposeAsync();
        Assert.IsTrue(await next);
        Assert.IsFalse(m.IsLocked);
        Assert.AreEqual(0, m.WaiterCount);

        // An already cancelled token: refused only when it would have to wait.
        await using (await m.LockAsync(cts.Token))
        {
            await Assert.ThrowsAsync<OperationCanceledException>(() => Task.Run(async () =>
            {
                using var own = XeLocked.Locking.Lockdep.BeginAsyncFlow("late");
                await m.LockAsync(cts.Token);
            }));
        }

        Assert.IsFalse(m.IsLocked);
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public async Task CancelRacingTheGrant_EitherWinsAtomically()
    {
        var m = new TrackedAsyncMutex($"{Names.Prefix("Am")}.M");
        var granted = 0;
        var cancelled = 0;
        for (var round = 0; round < 300; round++)
        {
            var holder = await m.LockAsync();
            using var cts = new CancellationTokenSource();
            var waiter = Task.Run(async () =>
            {
                using var own = XeLocked.Locking.Lockdep.BeginAsyncFlow("racer");
                try
                {
                    await using (await m.LockAsync(cts.Token))
                    {
                        Interlocked.Increment(ref granted);
                    }
                }
                catch (OperationCanceledException)
                {
                    Interlocked.Increment(ref cancelled);
                }
            });
            while (m.WaiterCount < 1)
            {
                await Task.Yield();
            }

            // Release and cancel at the same time, from two threads.
            using var start = new Barrier(2);
            var canceller = Task.Run(() =>
            {
                start.SignalAndWait();
                cts.Cancel();
            });
            start.SignalAndWait();
            await holder.DisposeAsync();
            await canceller;
            await waiter;
            Assert.IsFalse(m.IsLocked, $"round {round}: free afterwards");
            Assert.AreEqual(0, m.WaiterCount, $"round {round}: nobody stranded");
        }

        Assert.AreEqual(300, granted + cancelled);
    }

    [TestMethod]
    public void Uncontended_LockAsyncAndRelease_DoNotAllocate_WithTheTrackerOn()
    {
        var m = new TrackedAsyncMutex($"{Names.Prefix("Am")}.M");
        using var flow = XeLocked.Locking.Lockdep.BeginAsyncFlow("alloc");
        var rw = new TrackedAsyncRwLock($"{Names.Prefix("Am")}.R");
        Assert.AreEqual(0, AllocationProbe.MinBytesPerWindow(() =>
        {
            var t = m.LockAsync();
            t.Result.Dispose();
        }));
        Assert.AreEqual(0, AllocationProbe.MinBytesPerWindow(() =>
        {
            rw.ReadLockAsync().Result.Dispose();
            rw.WriteLockAsync().Result.Dispose();
        }));
    }

    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public async Task Dispose_WhileHeld_IsReported()
    {
        using var capture = XeLocked.Locking.Lockdep.CaptureReports(LockdepMode.Throw);
        var m = new TrackedAsyncMutex($"{Names.Prefix("Am")}.M");
        await using (await m.LockAsync())
        {
            var ex = Assert.ThrowsExactly<LockdepViolationException>(m.Dispose);
            Assert.AreEqual(LockdepViolationKind.HeldLockFreed, ex.Report.Kind);
        }

        m.Dispose();
    }
}
