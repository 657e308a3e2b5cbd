using System.Reflection;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using XeLocked.Annotations;
using XeLocked.Locking;
using XeLocked.Xe;
using static XeLocked.Runtime.Tests.Xe.TestSync;
using static XeLocked.Runtime.Tests.Xe.XeHarness;
using static XeLocked.Runtime.Tests.Xe.XeFixtures;

namespace XeLocked.Runtime.Tests.Xe;

using Lockdep = XeLocked.Locking.Lockdep;

/// <summary>
/// The series' hazards H7–H18 (§7.2): each test shows the model preventing the hazard, or —
/// where the model follows the series and the series has the bug (H10, H11, H12) — demonstrates it,
/// with the fixed behaviour behind an option. (H10 and H13 are in <see cref="ResetDeadlockOrderScenarioTests"/>.)
/// </summary>
[TestClass]
public sealed class HazardTests
{
    /// <summary>
    /// H7 (prevented, partly): every VMA-tree mutation asserts D2 (write mode, or read mode plus the GC
    /// lock); a mutation under the read lock alone is a lockdep report. The model's GC never mutates the
    /// tree (it does not implement the default-attr reset), so readers under the read lock never race
    /// a mutation; the race of a D2-legal mutation (read + GC lock) with a reader is not reproduced.
    /// </summary>
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void H07_VmaTreeMutationUnderReadLockAloneIsReported()
    {
        using var h = new XeHarness();
        var (xe, vm) = h.CreateSvmVm(2 * MiB);
        var stray = new Vma(vm, 0x9000_0000, 0x9010_0000, VmaKind.Bo, readOnly: false, preferVram: false);
        using (vm.Lock.ReadGuard())
        {
            vm.InsertVma(stray); // D2 violated: read mode without GarbageCollector.Lock
        }

        Assert.IsTrue(h.Reports.Any(r => r.Kind == LockdepViolationKind.AssertionFailed &&
                                          r.Text.Contains("xe_vm_assert_write_mode_or_garbage_collector", StringComparison.Ordinal)));
        using (vm.Lock.ReadGuard())
        using (vm.Svm.Gc.Lock.Guard())
        {
            vm.DestroyVma(stray); // D2's second alternative: allowed
        }

        Assert.AreEqual(1, h.Reports.Count, "only the illegal mutation was reported");
        h.Device.CloseVm(vm);
    }

    private static (XeHarness H, FaultSubmission B) RunH7(bool fix)
    {
        var h = new XeHarness(Fast() with { NumPfWork = 2, FixH7DeferAttrResetToWriter = fix });
        var (xe, vm) = h.CreateSvmVm(8 * MiB);
        Assert.AreEqual(0, xe.Madvise(vm, Base, 4 * MiB, preferVram: false)); // V1 = [Base, +4M) auto-reset
        h.Fault(vm, Base);
        h.WaitIdle();

        using var inReset = new ManualResetEventSlim();
        using var go = new ManualResetEventSlim();
        xe.Hooks.Set(HookPoint.GcDefaultAttrReset, _ => { inReset.Set(); Block(go); });
        xe.CpuUnmap(vm, Base, 2 * MiB); // range A unmapped → GC → default-attr reset of V1
        FaultSubmission b;
        if (!fix)
        {
            Await(inReset, "GC is re-splitting V1 under vm.Lock (read) + GC lock");
            b = h.Fault(vm, Base + 2 * MiB + 0x1000); // range B of V1: its lookup runs concurrently
            WaitUntil(() => xe.Ledger[b.FaultId]!.Acks == 1, "fault B acked during the reset");
            go.Set();
        }
        else
        {
            b = h.Fault(vm, Base + 2 * MiB + 0x1000);
            Await(inReset, "GC resets V1 in its write-locked pass");
            go.Set();
        }

        h.WaitIdle();
        return (h, b);
    }

    /// <summary>
    /// H7 (the series' hazard, reproduced): the GC resets auto-reset attributes by re-splitting the VMA
    /// under vm.Lock (read) + GC lock — legal by D2 — while a fault on another range of that VMA looks
    /// the tree up under vm.Lock (read) alone. The model's detector reports it, and the fault misses
    /// its VMA mid-mutation: a spurious -EINVAL for a valid address.
    /// </summary>
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void H07_GcDefaultAttrResetRacesReaders()
    {
        var (h, b) = RunH7(fix: false);
        using (h)
        {
            Assert.IsTrue(h.Reports.Any(r => r.Kind == LockdepViolationKind.AssertionFailed && r.Text.Contains("H7", StringComparison.Ordinal)),
                "the H7 detector fired");
            Assert.AreEqual(-Errno.EINVAL, h.Device.Ledger[b.FaultId]!.LastError, "the reader missed the VMA being re-split");
            Assert.AreEqual(1L, h.Device.Stats().Counters[ModelCounter.GcAttrResets]);
            h.Device.CloseVm(h.Device.LookupVm(1)!);
            Assert.AreEqual(0, h.Device.LiveVmas);
        }
    }

    /// <summary>H7 with <see cref="XeOptions.FixH7DeferAttrResetToWriter"/>: the reset runs under write mode; readers never see it.</summary>
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void H07_Fixed_AttrResetDeferredToWriteLock()
    {
        var (h, b) = RunH7(fix: true);
        using (h)
        {
            Assert.AreEqual(0, h.Device.Ledger[b.FaultId]!.LastError);
            Assert.AreEqual(1L, h.Device.Stats().Counters[ModelCounter.GcAttrResets]);
            h.CheckInvariants();
        }
    }

    /// <summary>H8 (prevented): last_fault_vma is guarded for write mode (the v4 write under the read lock is XL0003), and faults never write it.</summary>
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void H08_LastFaultVmaIsNeverWrittenUnderTheReadLock()
    {
        var field = typeof(Vm).GetField("LastFaultVma", BindingFlags.NonPublic | BindingFlags.Instance)!;
        var guard = field.GetCustomAttribute<GuardedByAttribute>()!;
        Assert.AreEqual("Lock:write", guard.Write, "a write needs vm.Lock in write mode");

        using var h = new XeHarness(Fast() with { NumPfWork = 4 });
        var vm = h.Device.CreateVm();
        Assert.AreEqual(0, h.Device.MapBo(vm, Base, 4 * MiB));
        for (var i = 0; i < 64; i++)
        {
            h.Fault(vm, Base + (ulong)i * 64 * KiB);
        }

        h.WaitIdle();
        using (vm.Lock.ReadGuard())
        {
            Assert.IsNull(vm.LastFaultVma, "the merged series' behaviour: faults do not write it");
        }

        h.CheckInvariants();
    }

    /// <summary>H9 (prevented): the round-robin cursor is under the queue lock: with 4 producers, no update is lost.</summary>
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void H09_RoundRobinCursorLosesNoUpdate()
    {
        using var h = new XeHarness(Fast() with { NumPfWork = 4, Chaining = false });
        var xe = h.Device;
        var vm = xe.CreateVm();
        Assert.AreEqual(0, xe.MapBo(vm, Base, 64 * MiB));
        using var start = new ManualResetEventSlim();
        var producers = Enumerable.Range(0, 4).Select(p => Task.Run(() =>
        {
            start.Wait();
            for (var i = 0; i < 1000; i++)
            {
                xe.SubmitFault(new PageFaultRequest(vm.Asid, Base + (ulong)((p * 1000 + i) % 16384) * 4096));
            }
        })).ToArray();
        start.Set();
        Task.WaitAll(producers);
        h.WaitIdle();
        var kicks = xe.Queues[0].KickCounts();
        Assert.AreEqual(4000L, kicks.Sum());
        Assert.IsTrue(kicks.All(k => k == 1000), $"kicks per worker: {string.Join(",", kicks)}");
        h.CheckInvariants();
    }

    private static (XeHarness H, FaultSubmission F, SvmRange? R) RunH11(bool fix)
    {
        var h = new XeHarness(Fast() with { FixH11ErrorAck = fix });
        var (xe, vm) = h.CreateSvmVm(2 * MiB, preferVram: false);
        SvmRange? r = null;
        xe.Hooks.Set(HookPoint.GetPages, c => { r = c.Range; return -Errno.ENOMEM; }); // hmm_range_fault fails
        var f = h.Fault(vm, Base);
        h.WaitIdle();
        return (h, f, r);
    }

    /// <summary>
    /// H11 (the series' bug, faithful): a failed get_pages reaches <c>out:</c> and returns 0, so the GPU is
    /// acked success without a binding (it will refault).
    /// </summary>
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void H11_FailedGetPagesIsAckedAsSuccessWithoutBinding()
    {
        var (h, f, r) = RunH11(fix: false);
        using (h)
        {
            Assert.AreEqual(0, h.Device.Ledger[f.FaultId]!.LastError, "H11: success ack");
            Assert.AreEqual(0, r!.ReadStateOnce().TilePresent, "…but nothing is bound");
            h.CheckInvariants();
        }
    }

    /// <summary>H11 with <see cref="XeOptions.FixH11ErrorAck"/>: the error is acked.</summary>
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void H11_Fixed_FailedGetPagesIsAckedWithTheError()
    {
        var (h, f, _) = RunH11(fix: true);
        using (h)
        {
            Assert.AreEqual(-Errno.ENOMEM, h.Device.Ledger[f.FaultId]!.LastError);
            h.CheckInvariants();
        }
    }

    private static (XeHarness H, SvmRange R, Vm Vm) RunH12(bool fix)
    {
        var h = new XeHarness(Fast() with { FixH12GcRefLeak = fix });
        var (xe, vm) = h.CreateSvmVm(2 * MiB);
        SvmRange? r = null;
        xe.Hooks.Set(HookPoint.AfterRangeLock, c => r = c.Range);
        h.Fault(vm, Base);
        h.WaitIdle();
        xe.Hooks.Set(HookPoint.GcUnbind, _ => -Errno.ENOMEM); // xe_vm_range_unbind fails
        xe.CpuUnmap(vm, Base, 2 * MiB);
        WaitUntil(() => vm.IsBanned, "GC failed and killed the VM");
        Assert.IsTrue(xe.WaitWorkersIdle(Bound));
        return (h, r!, vm);
    }

    /// <summary>
    /// H12 (the series' bug, faithful): when the GC's unbind fails it returns from inside the range-lock
    /// scope after range_get, without the put: the range (and, through it, the VM) leak.
    /// </summary>
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void H12_GcUnbindFailureLeaksARangeReference()
    {
        var (h, r, vm) = RunH12(fix: false);
        using (h)
        {
            Assert.AreEqual(2, r.RefCount, "tree reference + the leaked GC reference");
            h.CheckInvariants(allowAnyLeaks: true);
            Assert.AreEqual(1, r.RefCount, "after close the leaked reference is still there");
            Assert.AreEqual(1, h.Device.LiveRanges, "H12: the range leaks");
            Assert.AreEqual(1, h.Device.LiveVms, "…and keeps its VM alive");
        }
    }

    /// <summary>H12 with <see cref="XeOptions.FixH12GcRefLeak"/>: no leak.</summary>
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void H12_Fixed_NoLeak()
    {
        var (h, r, _) = RunH12(fix: true);
        using (h)
        {
            Assert.AreEqual(1, r.RefCount, "only the tree reference");
            h.CheckInvariants();
            Assert.AreEqual(0, r.RefCount);
        }
    }

    /// <summary>H14 (prevented): a batch larger than the CT buffer flushes before waiting for space instead of self-deadlocking.</summary>
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void H14_BatchLargerThanCtBufferFlushesBeforeWaiting()
    {
        using var h = new XeHarness(Fast() with { NumPfWork = 1, CtCapacityMessages = 8 });
        var (xe, vm) = h.CreateSvmVm(2 * MiB);
        using var inService = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        xe.Hooks.Set(HookPoint.AfterVmLock, _ => { inService.Set(); Block(release); });
        h.Fault(vm, Base);
        Await(inService, "leader in service");
        for (var i = 1; i < 40; i++)
        {
            h.Fault(vm, Base + (ulong)i * 4096);
        }

        release.Set();
        h.WaitIdle();
        var guc = xe.Gts[0].Guc;
        Assert.IsTrue(xe.Stats().Counters[ModelCounter.CtSpaceFlushes] >= 1);
        Assert.AreEqual(guc.Written, guc.Consumed, "every ack reached the GuC");
        Assert.AreEqual(40L, xe.Stats().Acks);
        h.CheckInvariants();
    }

    /// <summary>H15 (benign, handled): the fast path's opportunistic tile_present read; after an eviction invalidates the binding, the next fault rebinds.</summary>
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void H15_OpportunisticValidityReadLeadsToRebindAfterInvalidation()
    {
        using var h = new XeHarness(Fast() with { NumPfWork = 1, LastFaultCache = false });
        var xe = h.Device;
        var vm = xe.CreateVm();
        Assert.AreEqual(0, xe.MapBo(vm, Base, 1 * MiB));
        h.Fault(vm, Base);
        h.WaitIdle();
        h.Fault(vm, Base + 0x1000); // valid: fast path, no rebind
        h.WaitIdle();
        var before = xe.Stats().Counters[ModelCounter.ResvContentionRetries];
        var rebinds = 0;
        xe.Hooks.Set(HookPoint.BeforeVmaRebind, _ => { Interlocked.Increment(ref rebinds); });
        xe.EvictVram(vm);
        var f = h.Fault(vm, Base + 0x2000);
        h.WaitIdle();
        Assert.AreEqual(1, rebinds, "the invalidated binding was redone");
        Assert.AreEqual(0, xe.Ledger[f.FaultId]!.LastError);
        Assert.IsTrue(xe.Stats().Counters[ModelCounter.ResvContentionRetries] >= before);
        h.CheckInvariants();
    }

    /// <summary>H16 (intended, checked): the fault waits for its bind fence with range->lock held but the dma-resv dropped.</summary>
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void H16_FenceWaitHoldsRangeLockNotResv()
    {
        using var h = new XeHarness(Fast());
        var (xe, vm) = h.CreateSvmVm(2 * MiB);
        using var waiting = new ManualResetEventSlim();
        using var go = new ManualResetEventSlim();
        SvmRange? r = null;
        bool rangeHeld = false, resvHeld = true;
        xe.Hooks.Set(HookPoint.BeforeFenceWait, c =>
        {
            r = c.Range;
            rangeHeld = Lockdep.IsHeld(c.Range!.Lock);
            resvHeld = Lockdep.IsHeld(vm.Resv.Lock);
            waiting.Set();
            Block(go);
        });
        h.Fault(vm, Base);
        Await(waiting, "fault about to wait for its fence");
        Assert.IsTrue(rangeHeld);
        Assert.IsFalse(resvHeld, "dma-resv dropped before dma_fence_wait (§2.3 rule 5)");
        Assert.IsTrue(vm.Resv.Lock.TryLock(), "another thread can take the resv meanwhile");
        vm.Resv.Lock.Unlock();
        Assert.IsFalse(r!.Lock.TryLock(), "…but not the range");
        go.Set();
        h.CheckInvariants();
    }

    /// <summary>H17 (faithful: unbounded): a persistent invalidator makes the bind retry as long as it lasts.</summary>
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void H17_PersistentInvalidatorStarvesTheFault()
    {
        using var h = new XeHarness(Fast());
        var (xe, vm) = h.CreateSvmVm(2 * MiB, preferVram: false);
        var calls = 0;
        xe.Hooks.Set(HookPoint.BindPreCommit, _ => Interlocked.Increment(ref calls) <= 50 ? -Errno.EAGAIN : 0);
        var f = h.Fault(vm, Base);
        h.WaitIdle();
        Assert.AreEqual(50L, xe.Stats().Counters[ModelCounter.BindRetries], "one retry per invalidation: no bound");
        Assert.AreEqual(0, xe.Ledger[f.FaultId]!.LastError);
        h.CheckInvariants();
    }

    /// <summary>H17 with <see cref="XeOptions.MaxFaultRetries"/>: the fault gives up (error ack; the GPU refaults later).</summary>
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void H17_Fixed_RetriesAreBounded()
    {
        using var h = new XeHarness(Fast() with { MaxFaultRetries = 5 });
        var (xe, vm) = h.CreateSvmVm(2 * MiB, preferVram: false);
        xe.Hooks.Set(HookPoint.BindPreCommit, _ => -Errno.EAGAIN); // forever
        var f = h.Fault(vm, Base);
        h.WaitIdle();
        Assert.AreEqual(-Errno.ETIMEDOUT, xe.Ledger[f.FaultId]!.LastError);
        Assert.AreEqual(1L, xe.Stats().Counters[ModelCounter.RetryLimitHit]);
        h.CheckInvariants();
    }

    /// <summary>
    /// H18 (prevented): a requeued chained fault gets no queue_work; the worker's pop loop finds it — also
    /// when the worker ends its invocation on the time budget right after the ack walk (it re-queues itself).
    /// </summary>
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void H18_RequeuedFaultIsFoundAfterBudgetRequeue()
    {
        using var h = new XeHarness(Fast() with { NumPfWork = 1, WorkerBudget = TimeSpan.FromTicks(1) });
        var (xe, vm) = h.CreateSvmVm(2 * MiB, cpuMap: false);
        xe.CpuMap(vm, Base, 64 * KiB);
        xe.CpuMap(vm, Base + 1 * MiB, 64 * KiB);
        using var inService = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var leaderId = 0L;
        xe.Hooks.Set(HookPoint.AfterVmLock, c => { if (c.FaultId == Volatile.Read(ref leaderId)) { inService.Set(); Block(release); } });
        Volatile.Write(ref leaderId, h.Fault(vm, Base).FaultId);
        Await(inService, "leader in service");
        var y = h.Fault(vm, Base + 1 * MiB); // chains, will mismatch the proven 64 KiB
        release.Set();
        h.WaitIdle();
        Assert.AreEqual(1L, xe.Stats().Requeues);
        Assert.IsTrue(xe.Stats().Counters[ModelCounter.WorkerBudgetRequeues] >= 1, "the worker ended on its budget");
        Assert.AreEqual(1, xe.Ledger[y.FaultId]!.Acks);
        Assert.AreEqual(0, xe.Ledger[y.FaultId]!.LastError);
        h.CheckInvariants();
    }
}
