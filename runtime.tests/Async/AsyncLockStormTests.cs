using Microsoft.VisualStudio.TestTools.UnitTesting;
using XeLocked.Locking;
using XeLocked.Runtime.Tests.Lockdep.Support;

namespace XeLocked.Runtime.Tests.Async;

/// <summary>
/// Cancellation storms and a many-flow stress: waiters cancelled at random points (before they
/// queue, while queued, as they are granted) while others acquire; afterwards the lock is free,
/// nobody is queued, and every acquisition either was granted (exactly once, mutual exclusion
/// checked inside) or was cancelled. <c>XELOCKED_STRESS=1</c> raises the counts.
/// </summary>
[TestClass]
public sealed class AsyncLockStormTests
{
    private static int Scale => Environment.GetEnvironmentVariable("XELOCKED_STRESS") == "1" ? 10 : 1;

    [TestMethod]
    [Timeout(120_000, CooperativeCancellation = true)]
    [DataRow("mutex")]
    [DataRow("rw")]
    public async Task CancellationStorm_LeavesTheLockFreeAndNobodyStranded(string kind)
    {
        using var capture = XeLocked.Locking.Lockdep.CaptureReports(LockdepMode.Throw);
        var p = Names.Prefix("Sto");
        var m = new TrackedAsyncMutex($"{p}.M");
        var rw = new TrackedAsyncRwLock($"{p}.R");
        var flows = 32;
        var perFlow = 200 * Scale;
        var granted = 0;
        var cancelled = 0;
        var timedOut = 0;
        var inside = 0;
        var violations = 0;
        var tasks = Enumerable.Range(0, flows).Select(f => Task.Run(async () =>
        {
            using var own = XeLocked.Locking.Lockdep.BeginAsyncFlow($"storm{f}");
            var random = new Random(f * 7919 + 1);
            for (var i = 0; i < perFlow; i++)
            {
                using var cts = new CancellationTokenSource();
                var choice = random.Next(6);
                if (choice == 0)
                {
                    cts.Cancel(); // cancelled before it is asked
                }
                else if (choice == 1)
                {
                    cts.CancelAfter(random.Next(0, 2)); // cancelled around the time it queues or is granted
                }

                var write = kind == "mutex" || random.Next(3) == 0;
                try
                {
                    if (choice == 2)
                    {
                        var ok = kind == "mutex" ? await m.TryLockAsync(TimeSpan.FromMilliseconds(random.Next(1, 3)), cts.Token)
                            : write ? await rw.TryWriteLockAsync(TimeSpan.FromMilliseconds(random.Next(1, 3)), cts.Token)
                            : await rw.TryReadLockAsync(TimeSpan.FromMilliseconds(random.Next(1, 3)), cts.Token);
                        if (!ok)
                        {
                            Interlocked.Increment(ref timedOut);
                            continue;
                        }

                        await Critical(write, random);
                        if (kind == "mutex")
                        {
                            m.Unlock();
                        }
                        else if (write)
                        {
                            rw.UnlockWrite();
                        }
                        else
                        {
                            rw.UnlockRead();
                        }
                    }
                    else if (kind == "mutex")
                    {
                        await using (await m.LockAsync(cts.Token))
                        {
                            await Critical(true, random);
                        }
                    }
                    else if (write)
                    {
                        await using (await rw.WriteLockAsync(cts.Token))
                        {
                            await Critical(true, random);
                        }
                    }
                    else
                    {
                        await using (await rw.ReadLockAsync(cts.Token))
                        {
                            await Critical(false, random);
                        }
                    }
                }
                catch (OperationCanceledException)
                {
                    Interlocked.Increment(ref cancelled);
                    Assert.AreEqual(0, AsyncFlow.CurrentOrNull!.Stack.Depth, "a cancelled acquisition leaves nothing on the flow's stack");
                }
            }
        })).ToArray();
        await Task.WhenAll(tasks);

        Assert.AreEqual(flows * perFlow, granted + cancelled + timedOut, "every acquisition was granted, cancelled or timed out");
        Assert.IsTrue(granted > 0 && cancelled > 0, $"granted {granted}, cancelled {cancelled}, timed out {timedOut}");
        Assert.AreEqual(0, violations, "mutual exclusion");
        Assert.IsFalse(m.IsLocked || rw.IsWriteLocked || rw.ReaderCount > 0, "free afterwards");
        Assert.AreEqual(0, m.WaiterCount + rw.WaiterCount, "nobody stranded");
        Assert.AreEqual(0, capture.Reports.Count);

        async Task Critical(bool write, Random random)
        {
            Interlocked.Increment(ref granted);
            var now = write ? Interlocked.Add(ref inside, 1000) : Interlocked.Increment(ref inside);
            if (write ? now != 1000 : now >= 1000)
            {
                Interlocked.Increment(ref violations);
            }

            if (random.Next(4) == 0)
            {
                await Task.Yield();
            }

            Interlocked.Add(ref inside, write ? -1000 : -1);
        }
    }

    [TestMethod]
    [Timeout(300_000, CooperativeCancellation = true)]
    public async Task HundredThousandAcquisitions_64Flows_NoLostWakeUp()
    {
        using var capture = XeLocked.Locking.Lockdep.CaptureReports(LockdepMode.Throw);
        var p = Names.Prefix("Str");
        var m = new TrackedAsyncMutex($"{p}.M");
        var rw = new TrackedAsyncRwLock($"{p}.R");
        const int flows = 64;
        var perFlow = (100_000 + flows - 1) / flows * Scale;
        long counter = 0;
        var reads = 0L;
        var tasks = Enumerable.Range(0, flows).Select(f => Task.Run(async () =>
        {
            using var own = XeLocked.Locking.Lockdep.BeginAsyncFlow($"stress{f}");
            for (var i = 0; i < perFlow; i++)
            {
                if (i % 4 == 3)
                {
                    await using (await rw.ReadLockAsync())
                    {
                        Interlocked.Increment(ref reads);
                    }

                    continue;
                }

                await using (await rw.WriteLockAsync())
                await using (await m.LockAsync())
                {
                    var c = counter; // not atomic: the locks must exclude
                    if (i % 16 == 0)
                    {
                        await Task.Yield();
                    }

                    counter = c + 1;
                }
            }
        })).ToArray();
        await Task.WhenAll(tasks);

        var writes = flows * (perFlow - perFlow / 4);
        Assert.AreEqual((long)writes, counter, "no lost update");
        Assert.AreEqual((long)flows * (perFlow / 4), reads);
        Assert.IsTrue(writes + reads >= 100_000);
        Assert.IsFalse(m.IsLocked || rw.IsWriteLocked || rw.ReaderCount > 0);
        Assert.AreEqual(0, m.WaiterCount + rw.WaiterCount);
        Assert.AreEqual(0, capture.Reports.Count);
    }
}
