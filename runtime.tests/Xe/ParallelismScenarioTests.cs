using System.Diagnostics;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using XeLocked.Xe;
using static XeLocked.Runtime.Tests.Xe.TestSync;
using static XeLocked.Runtime.Tests.Xe.XeHarness;
using static XeLocked.Runtime.Tests.Xe.XeFixtures;

namespace XeLocked.Runtime.Tests.Xe;

using Lockdep = XeLocked.Locking.Lockdep;

/// <summary>§8 scenarios 1, 2, 8, 9: what the fine locking buys, and what it still excludes.</summary>
[TestClass]
public sealed class ParallelismScenarioTests
{
    /// <summary>Scenario 1 (fine): two migrations of different ranges of one VM overlap in time.</summary>
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void S01_ParallelMigrationWithinOneVm_Fine()
    {
        using var h = new XeHarness(Fast() with { NumPfWork = 2 });
        var (xe, vm) = h.CreateSvmVm(4 * MiB);
        using var bothIn = new CountdownEvent(2);
        xe.Hooks.Set(HookPoint.AllocVram, _ =>
        {
            bothIn.Signal();
            Await(bothIn, "both migrations in flight at once"); // deadlocks (times out) if they serialize
        });

        var a = h.Fault(vm, Base);
        var b = h.Fault(vm, Base + 2 * MiB);
        h.WaitIdle();
        var st = xe.Stats();
        Assert.AreEqual(2L, st.Migrations);
        Assert.AreEqual(2L, st.MaxConcurrentMigrations, "both migrations overlapped");
        Assert.AreEqual(1L, st.MigrationsOverlapped, "the second started while the first was in flight");
        Assert.AreEqual(st.Migrations, xe.Counter(ModelCounter.Migrations), "the cheap read agrees with the snapshot");
        Assert.AreEqual(st.Services, xe.Counter(ModelCounter.Services));
        Assert.AreEqual(st.GtTotals[GtStatId.SvmPagefaultCount], xe.GtStatTotal(GtStatId.SvmPagefaultCount));
        Assert.AreEqual(0, xe.Ledger[a.FaultId]!.LastError);
        Assert.AreEqual(0, xe.Ledger[b.FaultId]!.LastError);
        h.CheckInvariants();
    }

    /// <summary>Scenario 1 (coarse, pre-series): the same two migrations serialize on vm.Lock (write); total ≈ 2× one migration.</summary>
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void S01_ParallelMigrationWithinOneVm_CoarseSerializes()
    {
        var migration = TimeSpan.FromMilliseconds(40);
        using var h = new XeHarness(new XeOptions { Locking = LockingMode.Coarse, NumPfWork = 2, MigrationBaseLatency = migration,
            MigrationBytesPerMicrosecond = 1e12, PtUpdateLatency = TimeSpan.Zero, GetPagesBaseLatency = TimeSpan.Zero });
        var (xe, vm) = h.CreateSvmVm(4 * MiB);
        var sw = Stopwatch.StartNew();
        h.Fault(vm, Base);
        h.Fault(vm, Base + 2 * MiB);
        h.WaitIdle();
        var st = xe.Stats();
        Assert.AreEqual(2L, st.Migrations);
        Assert.AreEqual(1L, st.MaxConcurrentMigrations, "W(vm.Lock) serializes every fault of the VM");
        Assert.AreEqual(0L, st.MigrationsOverlapped);
        Assert.IsTrue(sw.Elapsed >= 2 * migration * 0.95, $"elapsed {sw.Elapsed}");
        h.CheckInvariants();
    }

    /// <summary>Scenario 1 (fine): with a slow migration both migrations are in flight at once, so both complete in about one migration time.</summary>
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void S01_ParallelMigrationWithinOneVm_FineTakesOneMigrationTime()
    {
        var migration = TimeSpan.FromMilliseconds(100);
        using var h = new XeHarness(new XeOptions { NumPfWork = 2, MigrationBaseLatency = migration, MigrationBytesPerMicrosecond = 1e12,
            PtUpdateLatency = TimeSpan.Zero, GetPagesBaseLatency = TimeSpan.Zero });
        var (xe, vm) = h.CreateSvmVm(4 * MiB);
        h.Fault(vm, Base);
        h.Fault(vm, Base + 2 * MiB);
        h.WaitIdle();

        // "Total time ≈ 1× the migration time" is shown by the overlap itself (counted by the
        // model), not by a wall-clock bound that a loaded machine could break.
        var st = xe.Stats();
        Assert.AreEqual(2L, st.MaxConcurrentMigrations);
        Assert.AreEqual(1L, st.MigrationsOverlapped, "the second migration started while the first was in flight");
        h.CheckInvariants();
    }

    /// <summary>Scenario 2: two faults on one range on two workers: one migration, the second takes the valid path.</summary>
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void S02_SameRangeSerialization()
    {
        using var h = new XeHarness(Fast() with { NumPfWork = 2, Chaining = false, LastFaultCache = false });
        var (xe, vm) = h.CreateSvmVm(2 * MiB);
        using var secondLooked = new ManualResetEventSlim();
        using var firstLocked = new ManualResetEventSlim();
        var firstId = 0L;
        var secondFoundLockFree = true;
        var holdersChecked = 0;
        xe.Hooks.Set(HookPoint.AfterRangeLock, c =>
        {
            Assert.IsTrue(c.Range!.Lock.IsHeldByCurrentThread, "the service runs with range->lock held");
            Interlocked.Increment(ref holdersChecked);
            if (c.FaultId == Volatile.Read(ref firstId))
            {
                firstLocked.Set();
                Block(secondLooked); // hold range->lock until the other fault has looked the range up
            }
        });
        xe.Hooks.Set(HookPoint.AfterRangeLookup, c =>
        {
            if (c.FaultId != Volatile.Read(ref firstId))
            {
                // The second fault found the range while the first holds its lock: it must wait.
                if (c.Range!.Lock.TryLock())
                {
                    c.Range.Lock.Unlock();
                }
                else
                {
                    Volatile.Write(ref secondFoundLockFree, false);
                }

                secondLooked.Set();
            }
        });

        Volatile.Write(ref firstId, h.Fault(vm, Base + 0x1000).FaultId);
        Await(firstLocked, "first fault holds the range lock");
        var second = h.Fault(vm, Base + 0x5000);
        h.WaitIdle();
        var st = xe.Stats();
        Assert.IsFalse(Volatile.Read(ref secondFoundLockFree), "the second fault had to wait for range->lock");
        Assert.AreEqual(2, Volatile.Read(ref holdersChecked));
        Assert.AreEqual(1L, st.Migrations, "exactly one migration");
        Assert.AreEqual(1L, st.GtTotals[GtStatId.Svm2MValidPagefaultCount], "the second took the valid path");
        Assert.AreEqual(2L, st.AcksSuccess);
        Assert.AreEqual(0, xe.Ledger[second.FaultId]!.LastError);
        h.CheckInvariants();
    }

    /// <summary>Scenario 8: a map bind holding vm.Lock (write) excludes that VM's faults; another VM's faults are serviced meanwhile.</summary>
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void S08_BindExcludesFaults_OtherVmProceeds()
    {
        using var h = new XeHarness(Fast() with { NumPfWork = 2 });
        var xe = h.Device;
        var vm1 = xe.CreateVm();
        var vm2 = xe.CreateVm();
        xe.BindSvm(vm1, 4 * MiB);
        xe.BindSvm(vm2, 16 * MiB);
        using var inBind = new ManualResetEventSlim();
        using var releaseBind = new ManualResetEventSlim();
        var vm1Serviced = 0;
        xe.Hooks.Set(HookPoint.BindUnderWriteLock, c => { if (c.Asid == vm1.Asid) { inBind.Set(); Block(releaseBind); } });
        xe.Hooks.Set(HookPoint.AfterVmLock, c => { if (c.Asid == vm1.Asid) { Interlocked.Increment(ref vm1Serviced); } });

        var bind = Task.Run(() => xe.MapBo(vm1, 0x8000_0000, 1 * MiB));
        Await(inBind, "bind holds vm1.Lock for write");
        var f1 = h.Fault(vm1, Base);
        var others = Enumerable.Range(0, 8).Select(i => h.Fault(vm2, Base + (ulong)i * 2 * MiB)).ToList();
        WaitUntil(() => others.All(o => xe.Ledger[o.FaultId]!.Acks == 1), "vm2 faults acked while vm1 is write-locked");
        Assert.AreEqual(0, Volatile.Read(ref vm1Serviced), "no vm1 fault entered the VM during the bind");
        Assert.AreEqual(0, xe.Ledger[f1.FaultId]!.Acks);

        releaseBind.Set();
        Assert.AreEqual(0, bind.Result);
        h.WaitIdle();
        Assert.AreEqual(0, xe.Ledger[f1.FaultId]!.LastError);
        h.CheckInvariants();
    }

    /// <summary>Scenario 8, v4 trylock variant: the vm1 fault is requeued and retried, not blocked.</summary>
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void S08_BindExcludesFaults_TrylockRequeues()
    {
        using var h = new XeHarness(Fast() with { NumPfWork = 2, FaultVmLock = FaultVmLockKind.TrylockRequeue });
        var (xe, vm1) = h.CreateSvmVm(4 * MiB);
        using var inBind = new ManualResetEventSlim();
        using var releaseBind = new ManualResetEventSlim();
        xe.Hooks.Set(HookPoint.BindUnderWriteLock, _ => { inBind.Set(); Block(releaseBind); });
        var bind = Task.Run(() => xe.MapBo(vm1, 0x8000_0000, 1 * MiB));
        Await(inBind, "bind holds vm1.Lock for write");
        var f1 = h.Fault(vm1, Base);
        WaitUntil(() => xe.Stats().Counters[ModelCounter.TrylockRequeues] >= 3, "fault requeued on trylock failure, repeatedly");
        releaseBind.Set();
        Assert.AreEqual(0, bind.Result);
        h.WaitIdle();
        Assert.AreEqual(1, xe.Ledger[f1.FaultId]!.Acks);
        Assert.AreEqual(0, xe.Ledger[f1.FaultId]!.LastError);
        Assert.AreEqual(0L, xe.Stats().GtTotals[GtStatId.ChainMismatchPagefaultCount], "trylock requeues are not chain mismatches");
        h.CheckInvariants();
    }

    /// <summary>Scenario 9: a prefetch-only bind of 8 ranges to VRAM holds vm.Lock (read) while faults on other ranges proceed; migrations run threaded.</summary>
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void S09_PrefetchConcurrentWithFaults()
    {
        using var h = new XeHarness(Fast() with { NumPfWork = 2 });
        var (xe, vm) = h.CreateSvmVm(32 * MiB);
        using var faultsDone = new ManualResetEventSlim();
        using var twoIn = new CountdownEvent(2);
        var inPrefetch = 0;
        xe.Hooks.Set(HookPoint.PrefetchRange, _ =>
        {
            Interlocked.Increment(ref inPrefetch);
            Block(faultsDone); // keep the prefetch (and its read hold) in flight until the faults are acked
        });
        xe.Hooks.Set(HookPoint.AllocVram, c =>
        {
            if (c.Address < Base + 16 * MiB && twoIn.CurrentCount > 0)
            {
                twoIn.Signal();
                Await(twoIn, "two prefetch migrations at once");
            }
        });

        var prefetch = Task.Run(() => xe.Prefetch(vm, Base, 16 * MiB, PrefetchTarget.Vram));
        WaitUntil(() => Volatile.Read(ref inPrefetch) >= 1, "prefetch work running");
        Assert.IsTrue(vm.Lock.ReaderCount >= 1, "prefetch holds vm.Lock for read");
        var faults = Enumerable.Range(0, 4).Select(i => h.Fault(vm, Base + 16 * MiB + (ulong)i * 2 * MiB)).ToList();
        WaitUntil(() => faults.All(f => xe.Ledger[f.FaultId]!.Acks == 1), "faults acked during the prefetch");
        faultsDone.Set();
        Assert.AreEqual(0, prefetch.Result);
        h.WaitIdle();

        var st = xe.Stats();
        Assert.AreEqual(12L, st.Migrations, "8 prefetched ranges + 4 faulted ranges, each migrated once");
        Assert.IsTrue(st.MaxConcurrentMigrations >= 2, "prefetch migrations threaded");
        h.CheckInvariants();
    }

    /// <summary>The same prefetch call with <c>threaded: false</c> is the pre-P03 loop: every range migrated in the caller, one at a time.</summary>
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void PrefetchSingleThreaded_MigratesInTheCaller_OneAtATime()
    {
        using var h = new XeHarness(Fast() with { NumPfWork = 4 });
        var (xe, vm) = h.CreateSvmVm(32 * MiB);
        var caller = Environment.CurrentManagedThreadId;
        var threads = new System.Collections.Concurrent.ConcurrentBag<int>();
        xe.Hooks.Set(HookPoint.AllocVram, _ => threads.Add(Environment.CurrentManagedThreadId));

        Assert.AreEqual(0, xe.Prefetch(vm, Base, 16 * MiB, PrefetchTarget.Vram, threaded: false));
        var st = xe.Stats();
        Assert.AreEqual(8L, st.Migrations, "8 × 2 MiB, each once");
        Assert.AreEqual(1L, st.MaxConcurrentMigrations, "one at a time");
        Assert.AreEqual(0L, st.MigrationsOverlapped);
        CollectionAssert.AreEquivalent(Enumerable.Repeat(caller, 8).ToList(), threads.ToList(), "all in the calling thread");

        threads.Clear();
        Assert.AreEqual(0, xe.Prefetch(vm, Base + 16 * MiB, 16 * MiB, PrefetchTarget.Vram));
        Assert.AreEqual(16L, xe.Stats().Migrations);
        Assert.IsFalse(threads.Contains(caller), "threaded (P03): the ranges migrate on the prefetch workqueue");
        h.WaitIdle();
        h.CheckInvariants();
    }

    /// <summary>Scenario 9: a prefetch of a range the GC removed mid-flight returns -ENODATA.</summary>
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void S09_PrefetchOfRemovedRange_ENODATA()
    {
        using var h = new XeHarness(Fast() with { NumPfWork = 2 });
        var (xe, vm) = h.CreateSvmVm(2 * MiB);
        h.Fault(vm, Base); // creates and binds the range
        h.WaitIdle();
        using var atRange = new ManualResetEventSlim();
        using var go = new ManualResetEventSlim();
        xe.Hooks.Set(HookPoint.PrefetchRange, _ => { atRange.Set(); Block(go); });
        var prefetch = Task.Run(() => xe.Prefetch(vm, Base, 2 * MiB, PrefetchTarget.Vram));
        Await(atRange, "prefetch looked the range up (reference held)");
        xe.CpuUnmap(vm, Base, 2 * MiB); // notifier → GC work (read lock + GC lock) removes it meanwhile
        WaitUntil(() => xe.Stats().Counters[ModelCounter.GcRangesRemoved] == 1, "GC removed the range");
        go.Set();
        Assert.AreEqual(-Errno.ENODATA, prefetch.Result);
        h.CheckInvariants();
    }
}
