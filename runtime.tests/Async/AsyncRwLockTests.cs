using Microsoft.VisualStudio.TestTools.UnitTesting;
using XeLocked.Annotations;
using XeLocked.Locking;
using XeLocked.Runtime.Tests.Lockdep.Support;

namespace XeLocked.Runtime.Tests.Async;

/// <summary><see cref="TrackedAsyncRwLock"/>: sharing, FIFO batches, writers not starved, try and cancellation.</summary>
[TestClass]
public sealed class AsyncRwLockTests
{
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public async Task Readers_Share_AndAWriterWaitsForAllOfThem()
    {
        var l = new TrackedAsyncRwLock($"{Names.Prefix("Arw")}.L");
        using var release1 = new SemaphoreSlim(0);
        using var release2 = new SemaphoreSlim(0);
        var r1 = HoldReadUntil(l, "r1", release1);
        var r2 = HoldReadUntil(l, "r2", release2);
        await UntilAsync(() => l.ReaderCount == 2);
        var writer = InFlowTask("w", async () =>
        {
            await using (await l.WriteLockAsync())
            {
                return l.ReaderCount;
            }
        });
        await UntilAsync(() => l.WaiterCount == 1);
        release1.Release();
        await r1;
        Assert.IsFalse(writer.IsCompleted, "one reader still holds");
        release2.Release();
        await r2;
        Assert.AreEqual(0, await writer);
        Assert.IsFalse(l.IsWriteLocked);
    }

    private static Task HoldReadUntil(TrackedAsyncRwLock l, string name, SemaphoreSlim release) => InFlow(name, async () =>
    {
        await using (await l.ReadLockAsync())
        {
            await release.WaitAsync();
        }
    });

    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public async Task AQueuedWriter_HoldsBackLaterReaders_ThenTheReadersRunTogether()
    {
        var l = new TrackedAsyncRwLock($"{Names.Prefix("Arw")}.L");
        var events = new List<string>();
        using var releaseFirst = new SemaphoreSlim(0);
        var first = HoldReadUntil(l, "r0", releaseFirst);
        await UntilAsync(() => l.ReaderCount == 1);
        var w1 = InFlow("w1", async () =>
        {
            await using (await l.WriteLockAsync())
            {
                lock (events) { events.Add("w1"); }
            }
        });
        await UntilAsync(() => l.WaiterCount == 1);

        // Readers that arrive while a writer waits queue behind it (the writer is not starved).
        var entered = 0;
        using var both = new SemaphoreSlim(0);
        var readers = Enumerable.Range(1, 2).Select(i => InFlow($"r{i}", async () =>
        {
            await using (await l.ReadLockAsync())
            {
                lock (events) { events.Add("r"); }
                if (Interlocked.Increment(ref entered) == 2)
                {
                    both.Release(2);
                }

                await both.WaitAsync(); // both readers hold at once
            }
        })).ToList();
        await UntilAsync(() => l.WaiterCount == 3);
        var w2 = InFlow("w2", async () =>
        {
            await using (await l.WriteLockAsync())
            {
                lock (events) { events.Add("w2"); }
            }
        });
        await UntilAsync(() => l.WaiterCount == 4);
        Assert.AreEqual(0, events.Count);

        releaseFirst.Release();
        await Task.WhenAll(readers.Append(w1).Append(w2).Append(first));
        CollectionAssert.AreEqual(new[] { "w1", "r", "r", "w2" }, events.ToArray());
        Assert.AreEqual(0, l.WaiterCount);
        Assert.IsFalse(l.IsWriteLocked);
        Assert.AreEqual(0, l.ReaderCount);
    }

    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public async Task CancellingTheWriterAtTheHead_GrantsTheReadersBehindIt()
    {
        var l = new TrackedAsyncRwLock($"{Names.Prefix("Arw")}.L");
        using var releaseR0 = new SemaphoreSlim(0);
        var r0 = HoldReadUntil(l, "r0", releaseR0);
        await UntilAsync(() => l.ReaderCount == 1);
        using var cts = new CancellationTokenSource();
        var writer = InFlow("w", async () => { await l.WriteLockAsync(cts.Token); });
        await UntilAsync(() => l.WaiterCount == 1);
        var reader = InFlowTask("r1", async () =>
        {
            await using (await l.ReadLockAsync())
            {
                return l.ReaderCount;
            }
        });
        await UntilAsync(() => l.WaiterCount == 2);
        cts.Cancel();
        await Assert.ThrowsAsync<OperationCanceledException>(() => writer);
        Assert.AreEqual(2, await reader, "granted while r0 still holds");
        releaseR0.Release();
        await r0;
        Assert.AreEqual(0, l.ReaderCount);
        Assert.AreEqual(0, l.WaiterCount);
    }

    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public async Task TryForms_AndTheWrongModeUnlock()
    {
        using var capture = XeLocked.Locking.Lockdep.CaptureReports(LockdepMode.Throw);
        var l = new TrackedAsyncRwLock($"{Names.Prefix("Arw")}.L");
        using var flow = XeLocked.Locking.Lockdep.BeginAsyncFlow("try");
        Assert.IsTrue(await l.TryReadLockAsync(TimeSpan.Zero));
        Assert.AreEqual(LockMode.Read, l.HeldModeByCurrentThread);
        Assert.IsFalse(await InFlow("other", () => l.TryWriteLockAsync(TimeSpan.FromMilliseconds(10))));
        var ex = Assert.ThrowsExactly<LockdepViolationException>(() => l.UnlockWrite());
        Assert.AreEqual(LockdepViolationKind.BadUnlockBalance, ex.Report.Kind);
        Assert.AreEqual(1, l.ReaderCount, "a refused unlock changes nothing");
        l.UnlockRead();
        Assert.IsTrue(await l.TryWriteLockAsync(TimeSpan.FromSeconds(5)));
        Assert.AreEqual(LockMode.Write, l.HeldModeByCurrentThread);
        l.UnlockWrite();
        Assert.IsFalse(l.IsWriteLocked);
    }

    /// <summary>Runs <paramref name="body"/> on the pool in a flow of its own.</summary>
    internal static Task<T> InFlow<T>(string name, Func<ValueTask<T>> body) => Task.Run(async () =>
    {
        using var own = XeLocked.Locking.Lockdep.BeginAsyncFlow(name);
        return await body();
    });

    internal static Task<T> InFlowTask<T>(string name, Func<Task<T>> body) => Task.Run(async () =>
    {
        using var own = XeLocked.Locking.Lockdep.BeginAsyncFlow(name);
        return await body();
    });

    internal static Task InFlow(string name, Func<Task> body) => Task.Run(async () =>
    {
        using var own = XeLocked.Locking.Lockdep.BeginAsyncFlow(name);
        await body();
    });

    /// <summary>Yields until <paramref name="condition"/> holds (a state the test waits for, never a time).</summary>
    internal static async Task UntilAsync(Func<bool> condition)
    {
        while (!condition())
        {
            await Task.Yield();
        }
    }
}
