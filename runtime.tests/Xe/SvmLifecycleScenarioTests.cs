using Microsoft.VisualStudio.TestTools.UnitTesting;
using XeLocked.Locking;
using XeLocked.Xe;
using static XeLocked.Runtime.Tests.Xe.TestSync;
using static XeLocked.Runtime.Tests.Xe.XeHarness;
using static XeLocked.Runtime.Tests.Xe.XeFixtures;

namespace XeLocked.Runtime.Tests.Xe;

using Lockdep = XeLocked.Locking.Lockdep;

/// <summary>§8 scenarios 3, 11, 12, 13, 14, 19: range lifetime, GC, notifier, userptr, migration retries, VM close.</summary>
[TestClass]
public sealed class SvmLifecycleScenarioTests
{
    /// <summary>Scenario 3: the GC removes range R while a fault holds a reference between lookup and lock; the fault sees `removed`, retries and services R'.</summary>
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void S03_ConcurrentUnmap_RemovedRangeRetry()
    {
        using var h = new XeHarness(Fast() with { NumPfWork = 2 });
        var (xe, vm) = h.CreateSvmVm(2 * MiB);
        h.Fault(vm, Base); // R exists and is bound
        h.WaitIdle();

        using var looked = new ManualResetEventSlim();
        using var go = new ManualResetEventSlim();
        SvmRange? r = null;
        var refWhileHeld = -1;
        xe.Hooks.Set(HookPoint.AfterRangeLookup, c =>
        {
            if (c.Attempt == 1)
            {
                r = c.Range;
                looked.Set();
                Block(go);
            }
        });
        xe.Hooks.Set(HookPoint.AfterRangeLock, c =>
        {
            if (c.Attempt == 1)
            {
                refWhileHeld = c.Range!.RefCount; // F's reference keeps the removed range alive
            }
        });

        xe.CpuInvalidate(vm, Base, 2 * MiB); // make the next fault do real work
        var f = h.Fault(vm, Base + 0x3000);
        Await(looked, "F found R (reference held), before range->lock");
        xe.CpuUnmap(vm, Base, 2 * MiB);      // notifier: R unmapped → GC list → GC work
        WaitUntil(() => xe.Stats().Counters[ModelCounter.GcRangesRemoved] == 1, "GC removed R");
        Assert.AreEqual(1, r!.RefCount, "only F's reference is left: no use after free");
        xe.CpuMap(vm, Base, 2 * MiB);        // the process maps memory there again
        go.Set();
        h.WaitIdle();

        Assert.AreEqual(1, refWhileHeld);
        Assert.AreEqual(0, xe.Ledger[f.FaultId]!.LastError);
        Assert.AreEqual(1L, xe.Stats().Counters[ModelCounter.RemovedRangeRetries]);
        Assert.AreEqual(0, r.RefCount, "R freed after F's put");
        Assert.AreEqual(1, vm.Svm.RangeCount, "F serviced a new range R'");
        h.CheckInvariants();
    }

    /// <summary>Scenario 11: the GC worker and two faults all run the GC with 10 unmapped ranges: each removed and unbound exactly once.</summary>
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void S11_GcSingleRunner()
    {
        using var h = new XeHarness(Fast() with { NumPfWork = 3 });
        var (xe, vm) = h.CreateSvmVm(32 * MiB);
        for (var i = 0; i < 12; i++)
        {
            h.Fault(vm, Base + (ulong)i * 2 * MiB);
        }

        h.WaitIdle();
        var unbinds = new System.Collections.Concurrent.ConcurrentDictionary<ulong, int>();
        var inGc = 0;
        var maxInGc = 0;
        using var firstIn = new ManualResetEventSlim();
        using var go = new ManualResetEventSlim();
        var waiters = 0;
        xe.Hooks.Set(HookPoint.GcBeforeRangeLock, c =>
        {
            Assert.IsTrue(Lockdep.IsHeld(vm.Svm.Gc.Lock), "GC runs under its mutex");
            firstIn.Set();
            Block(go);
        });
        xe.Hooks.Set(HookPoint.GcUnbind, c =>
        {
            var n = Interlocked.Increment(ref inGc);
            maxInGc = Math.Max(maxInGc, n);
            unbinds.AddOrUpdate(c.Address, 1, (_, v) => v + 1);
            Interlocked.Decrement(ref inGc);
        });
        xe.Hooks.Set(HookPoint.AfterVmLock, _ => Interlocked.Increment(ref waiters));

        xe.CpuUnmap(vm, Base, 20 * MiB); // 10 ranges → GC list, GC work queued
        Await(firstIn, "a GC runner is collecting");
        h.Fault(vm, Base + 20 * MiB + 0x1000);
        h.Fault(vm, Base + 22 * MiB + 0x1000);
        WaitUntil(() => Volatile.Read(ref waiters) == 2, "both faults entered the VM and head for the GC");
        go.Set();
        h.WaitIdle();

        Assert.AreEqual(10L, xe.Stats().Counters[ModelCounter.GcRangesRemoved]);
        Assert.AreEqual(10, unbinds.Count);
        Assert.IsTrue(unbinds.Values.All(v => v == 1), "no range unbound twice");
        Assert.AreEqual(1, maxInGc);
        Assert.AreEqual(0, vm.Svm.Gc.PendingCount, "range list empty");
        Assert.AreEqual(2, vm.Svm.RangeCount, "the two ranges above the unmapped 20 MiB survive");
        h.CheckInvariants();
    }

    /// <summary>Scenario 12: an invalidation between get_pages and the PT commit fails the bind with -EAGAIN; the fault retries and binds; the notifier never took range->lock.</summary>
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void S12_NotifierDuringBind_EagainRetry()
    {
        using var h = new XeHarness(Fast());
        var (xe, vm) = h.CreateSvmVm(2 * MiB, preferVram: false);
        using var gotPages = new ManualResetEventSlim();
        using var go = new ManualResetEventSlim();
        SvmRange? r = null;
        xe.Hooks.Set(HookPoint.AfterGetPages, c =>
        {
            if (c.Attempt == 1)
            {
                r = c.Range;
                gotPages.Set();
                Block(go);
            }
        });

        var f = h.Fault(vm, Base);
        Await(gotPages, "pages collected, range->lock held");
        xe.CpuInvalidate(vm, Base, 2 * MiB); // completes while the fault holds range->lock
        Assert.IsTrue(r!.Lock.TryLock() == false, "the fault still holds range->lock: the notifier did not need it");
        go.Set();
        h.WaitIdle();

        Assert.AreEqual(0, xe.Ledger[f.FaultId]!.LastError);
        Assert.AreEqual(1, xe.Ledger[f.FaultId]!.Acks);
        Assert.AreEqual(1L, xe.Stats().Counters[ModelCounter.BindRetries]);
        var state = r.ReadStateOnce();
        Assert.AreEqual(0, state.TileInvalidated, "the successful bind cleared tile_invalidated");
        Assert.AreNotEqual(0, state.TilePresent);
        h.CheckInvariants();
    }

    /// <summary>Scenario 13: two faults on an invalidated userptr serialize on fault_lock; the first repins (D1 holds) and rebinds, the second takes the valid path.</summary>
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void S13_UserptrRepinUnderReadLock()
    {
        using var h = new XeHarness(Fast() with { NumPfWork = 2, Chaining = false, LastFaultCache = false });
        var xe = h.Device;
        var vm = xe.CreateVm();
        Assert.AreEqual(0, xe.MapUserptr(vm, Base, 1 * MiB));
        h.Fault(vm, Base);
        h.WaitIdle();
        Assert.AreEqual(1L, xe.Stats().Counters[ModelCounter.UserptrRepins], "initial pin");

        xe.CpuInvalidate(vm, Base, 1 * MiB); // seq bump, PTEs zapped
        using var firstIn = new ManualResetEventSlim();
        using var secondWaiting = new ManualResetEventSlim();
        var firstId = 0L;
        var d1Held = false;
        xe.Hooks.Set(HookPoint.AfterVmaFaultLock, c =>
        {
            if (c.FaultId == Volatile.Read(ref firstId))
            {
                firstIn.Set();
                Block(secondWaiting);
            }
        });
        xe.Hooks.Set(HookPoint.AfterVmLock, c => { if (c.FaultId != Volatile.Read(ref firstId)) { secondWaiting.Set(); } });
        xe.Hooks.Set(HookPoint.UserptrPinned, c =>
            d1Held = Lockdep.IsHeldType(vm.Lock, XeLocked.Annotations.LockMode.Read) && Lockdep.IsHeld(c.Vma!.FaultLock));

        Volatile.Write(ref firstId, h.Fault(vm, Base + 0x1000).FaultId);
        Await(firstIn, "first fault holds fault_lock");
        var second = h.Fault(vm, Base + 0x2000);
        h.WaitIdle();

        var st = xe.Stats();
        Assert.IsTrue(d1Held, "repin under R(vm.Lock) + fault_lock (D1)");
        Assert.AreEqual(2L, st.Counters[ModelCounter.UserptrRepins], "exactly one repin");
        Assert.AreEqual(0, xe.Ledger[second.FaultId]!.LastError);
        Assert.AreEqual(2L, st.GtTotals[GtStatId.VmaPagefaultCount] - 1, "both faults reached the VMA path");
        h.CheckInvariants();
    }

    /// <summary>Scenario 14: an atomic (devmem-only) fault whose first two VRAM allocations fail succeeds on the third; the timeslice doubles.</summary>
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void S14_AtomicFault_MigrationRetries_ThirdSucceeds()
    {
        using var h = new XeHarness(Fast());
        var (xe, vm) = h.CreateSvmVm(2 * MiB);
        var timeslices = new List<int>();
        xe.Hooks.Set(HookPoint.AllocVram, c =>
        {
            lock (timeslices)
            {
                timeslices.Add(c.TimesliceMs);
                return timeslices.Count <= 2 ? -Errno.ENOMEM : 0;
            }
        });
        var f = h.Fault(vm, Base, AccessType.Atomic);
        h.WaitIdle();
        Assert.AreEqual(0, xe.Ledger[f.FaultId]!.LastError);
        CollectionAssert.AreEqual(new[] { 5, 10, 20 }, timeslices, "3 attempts, timeslice doubling");
        Assert.AreEqual(3L, xe.Stats().GtTotals[GtStatId.Svm2MMigrateCount]);
        h.CheckInvariants();
    }

    /// <summary>Scenario 14: three failed VRAM allocations for a devmem-only fault end in an error ack ("retry count exceeded").</summary>
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void S14_AtomicFault_ThirdFailureErrorAck()
    {
        using var h = new XeHarness(Fast());
        var (xe, vm) = h.CreateSvmVm(2 * MiB);
        var calls = 0;
        xe.Hooks.Set(HookPoint.AllocVram, _ => { Interlocked.Increment(ref calls); return -Errno.ENOMEM; });
        var f = h.Fault(vm, Base, AccessType.Atomic);
        h.WaitIdle();
        Assert.AreEqual(-Errno.ENOMEM, xe.Ledger[f.FaultId]!.LastError);
        Assert.AreEqual(3, calls, "at most 3 migration attempts");
        h.CheckInvariants();
    }

    /// <summary>Scenario 14: on -EBUSY the driver_migrate_lock is taken exclusively for the retry.</summary>
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void S14_EbusyUpgradesDriverMigrateLock()
    {
        using var h = new XeHarness(Fast());
        var (xe, vm) = h.CreateSvmVm(2 * MiB);
        var modes = new List<bool>();
        xe.Hooks.Set(HookPoint.AllocVram, _ =>
        {
            lock (modes)
            {
                modes.Add(xe.DriverMigrateLock.IsWriteLocked);
                return modes.Count == 1 ? -Errno.EBUSY : 0;
            }
        });
        var f = h.Fault(vm, Base, AccessType.Atomic);
        h.WaitIdle();
        Assert.AreEqual(0, xe.Ledger[f.FaultId]!.LastError);
        CollectionAssert.AreEqual(new[] { false, true }, modes, "read side first, write side for the -EBUSY retry");
        h.CheckInvariants();
    }

    /// <summary>Scenario 19: a VM closed while a fault is in flight: the in-flight service finishes; a fault that takes the lock after close gets -ENOENT; everything is freed afterwards.</summary>
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void S19_VmCloseRacesFaults()
    {
        using var h = new XeHarness(Fast() with { NumPfWork = 2 });
        var (xe, vm) = h.CreateSvmVm(8 * MiB);
        using var inFlight = new ManualResetEventSlim();
        using var go = new ManualResetEventSlim();
        var firstId = 0L;
        var refsDuringFault = 0;
        xe.Hooks.Set(HookPoint.AfterRangeLock, c =>
        {
            if (c.FaultId == Volatile.Read(ref firstId) && firstId != 0)
            {
                refsDuringFault = vm.RefCount;
                inFlight.Set();
                Block(go);
            }
        });

        h.Fault(vm, Base + 2 * MiB); // a range the CPU unmaps below
        h.WaitIdle();
        var gcIdleAtFini = false;
        xe.Hooks.Set(HookPoint.BeforeSvmFini, _ => gcIdleAtFini = vm.Svm.Gc.Work!.Idle.IsSet);
        Volatile.Write(ref firstId, h.Fault(vm, Base).FaultId);
        Await(inFlight, "fault in flight (vm.Lock read, range lock)");
        xe.CpuUnmap(vm, Base + 2 * MiB, 2 * MiB); // queues GC work on the VM being closed
        var close = Task.Run(() => xe.CloseVm(vm));
        WaitUntil(() => vm.Lock.WaitingWriterCount == 1, "close waits for vm.Lock (write)");
        var late = h.Fault(vm, Base + 4 * MiB); // blocks behind the writer, gets the lock after close
        go.Set();
        Assert.AreEqual(0, close.Result);
        h.WaitIdle();

        Assert.IsTrue(refsDuringFault >= 3, $"map + fault + range references keep the VM alive ({refsDuringFault})");
        Assert.IsTrue(gcIdleAtFini, "xe_svm_fini ran only after the GC work was flushed");
        Assert.AreEqual(0, xe.Ledger[Volatile.Read(ref firstId)]!.LastError, "in-flight service finished");
        var lateErr = xe.Ledger[late.FaultId]!.LastError;
        Assert.IsTrue(lateErr is -Errno.ENOENT or -Errno.EINVAL, $"late fault: {Errno.Name(lateErr)}");
        Assert.AreEqual(-Errno.ENOENT, xe.CloseVm(vm));
        h.CheckInvariants();
    }
}
