using Microsoft.VisualStudio.TestTools.UnitTesting;
using XeLocked.Locking;
using XeLocked.Xe;
using static XeLocked.Runtime.Tests.Xe.TestSync;
using static XeLocked.Runtime.Tests.Xe.XeHarness;
using static XeLocked.Runtime.Tests.Xe.XeFixtures;

namespace XeLocked.Runtime.Tests.Xe;

using Lockdep = XeLocked.Locking.Lockdep;

/// <summary>§8 scenarios 10, 15, 20: the v4 workqueue deadlock, GT reset, and the lock-order checker.</summary>
[TestClass]
public sealed class ResetDeadlockOrderScenarioTests
{
    /// <summary>
    /// Sets up scenario 10: a prefetch holds vm.Lock (read); a bind (writer) queues on vm.Lock; two
    /// faults occupy both fault-workqueue slots before the prefetch queues its work items.
    /// </summary>
    private static (Task<int> Prefetch, Task<int> Bind, List<FaultSubmission> Faults) StartV4DeadlockSetup(XeHarness h, Vm vm)
    {
        var xe = h.Device;
        var faults = new List<FaultSubmission>();
        var slotsTaken = new CountdownEvent(2);
        Task<int>? bind = null;
        var once = 0;
        xe.Hooks.Set(HookPoint.BeforeService, c => { if (c.Asid == vm.Asid && slotsTaken.CurrentCount > 0) { slotsTaken.Signal(); } });
        xe.Hooks.Set(HookPoint.PrefetchBeforeFlush, _ =>
        {
            if (Interlocked.Exchange(ref once, 1) != 0)
            {
                return;
            }

            // We hold vm.Lock for read. A bind IOCTL now waits for write mode…
            bind = Task.Run(() => xe.MapBo(vm, 0x8000_0000, 1 * MiB));
            WaitUntil(() => vm.Lock.WaitingWriterCount == 1, "bind queued on vm.Lock (write)");
            // …so the fault workers' down_read blocks (writer preference), on every workqueue slot.
            // The GPU raises them (the G2H handler's context, not this thread: submitting here would
            // make lockdep see vm.Lock → PageFaultQueue.Lock, a nesting the driver never does). A
            // dedicated thread, because Task.Wait may inline a queued task onto this very thread.
            var gpu = new Thread(() =>
            {
                faults.Add(h.Fault(vm, Base + 16 * MiB));
                faults.Add(h.Fault(vm, Base + 18 * MiB));
            });
            gpu.Start();
            gpu.Join();
            Await(slotsTaken, "both fault-workqueue slots taken by faults");
        });
        var prefetch = Task.Run(() => xe.Prefetch(vm, Base, 8 * MiB, PrefetchTarget.Vram));
        WaitUntil(() => bind != null, "bind started");
        return (prefetch, bind!, faults);
    }

    /// <summary>Scenario 10 (negative): prefetch work on the shared fault queue + a pending writer + blocking down_read = deadlock, detected by the watchdog.</summary>
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void S10_V4WorkqueueDeadlock_Detected()
    {
        using var h = new XeHarness(Fast() with { NumPfWork = 2, PrefetchQueue = PrefetchQueueKind.SharedWithFaults, PrefetchWatchdog = TimeSpan.FromMilliseconds(300) });
        var vm = h.Device.CreateSvmVm(32 * MiB);
        var (prefetch, bind, faults) = StartV4DeadlockSetup(h, vm);
        Assert.AreEqual(-Errno.EDEADLK, prefetch.Result, "the watchdog reports the deadlock");
        Assert.AreEqual(1L, h.Device.Stats().PrefetchDeadlocks);
        Assert.AreEqual(0, bind.Result, "once the prefetch gave up its read hold, the writer and then the faults ran");
        h.WaitIdle();
        Assert.IsTrue(faults.All(f => h.Device.Ledger[f.FaultId]!.LastError == 0));
        h.CheckInvariants();
    }

    /// <summary>Scenario 10 (fix, merged): a dedicated prefetch queue makes progress.</summary>
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void S10_DedicatedPrefetchQueue_Progresses()
    {
        using var h = new XeHarness(Fast() with { NumPfWork = 2, PrefetchQueue = PrefetchQueueKind.Dedicated });
        var vm = h.Device.CreateSvmVm(32 * MiB);
        var (prefetch, bind, _) = StartV4DeadlockSetup(h, vm);
        Assert.AreEqual(0, prefetch.Result);
        Assert.AreEqual(0, bind.Result);
        Assert.AreEqual(0L, h.Device.Stats().PrefetchDeadlocks);
        h.CheckInvariants();
    }

    /// <summary>Scenario 10 (fix, v4): down_read_trylock + requeue frees the workqueue slots, the prefetch work runs.</summary>
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void S10_TrylockRequeue_Progresses()
    {
        using var h = new XeHarness(Fast() with { NumPfWork = 2, PrefetchQueue = PrefetchQueueKind.SharedWithFaults, FaultVmLock = FaultVmLockKind.TrylockRequeue });
        var vm = h.Device.CreateSvmVm(32 * MiB);
        var (prefetch, bind, _) = StartV4DeadlockSetup(h, vm);
        Assert.AreEqual(0, prefetch.Result);
        Assert.AreEqual(0, bind.Result);
        Assert.AreEqual(0L, h.Device.Stats().PrefetchDeadlocks);
        Assert.IsTrue(h.Device.Stats().Counters[ModelCounter.TrylockRequeues] >= 2);
        h.CheckInvariants();
    }

    /// <summary>
    /// Scenario 15: GT0 has 5 QUEUED faults and 2 CHAINED under a GT1 leader. Reset GT0: the 7 GT0
    /// faults are freed unacked, the leader's chain is cut, the GT1 leader is still acked.
    /// </summary>
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void S15_GtReset_PendingAndChained()
    {
        using var h = new XeHarness(Fast() with { NumPfWork = 1 });
        var (xe, vm) = h.CreateSvmVm(32 * MiB);
        using var inService = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var leaderId = 0L;
        xe.Hooks.Set(HookPoint.BeforeService, c => { if (c.FaultId == Volatile.Read(ref leaderId)) { inService.Set(); Block(release); } });

        var leader = h.Fault(vm, Base, gt: 1);
        Volatile.Write(ref leaderId, leader.FaultId);
        Await(inService, "GT1 leader ACTIVE");
        var chained = new[] { h.Fault(vm, Base + 0x1000, gt: 0), h.Fault(vm, Base + 0x2000, gt: 0) };
        var queued = Enumerable.Range(1, 5).Select(i => h.Fault(vm, Base + (ulong)i * 2 * MiB, gt: 0)).ToList();
        Assert.AreEqual(2L, xe.Stats().Chained);

        Assert.AreEqual(7, xe.ResetGt(0));
        var info = xe.PagefaultInfo().Queues[0];
        Assert.AreEqual(1, info.Active);
        Assert.AreEqual(0, info.Chained, "the leader's chain is cut");
        Assert.AreEqual(0, info.Queued);
        release.Set();
        h.WaitIdle();

        Assert.AreEqual(1, xe.Ledger[leader.FaultId]!.Acks, "the GT1 leader is still acked");
        foreach (var f in chained.Concat(queued))
        {
            Assert.AreEqual(0, xe.Ledger[f.FaultId]!.Acks);
            Assert.AreEqual(1, xe.Ledger[f.FaultId]!.Squashed);
        }

        Assert.AreEqual(1L, xe.Stats().Acks);
        h.CheckInvariants(expectSquashed: 7);
    }

    /// <summary>
    /// Scenario 15 variant, hazard H10 (the series' bug, reproduced faithfully): a GT1 fault CHAINED under
    /// a GT0 leader. Resetting GT0 cuts the leader's chain but does not free the GT1 entry: it stays
    /// CHAINED forever, never acked, its slot never reused.
    /// </summary>
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void S15_H10_CrossGtChainedFaultIsNeverAcked()
    {
        var (orphan, states, h) = RunH10(fix: false);
        using (h)
        {
            Assert.AreEqual(0, h.Device.Ledger[orphan]!.Acks, "H10: never acked");
            Assert.AreEqual(0, h.Device.Ledger[orphan]!.Squashed);
            Assert.AreEqual(1, states.Count(s => s == AllocState.Chained), "its slot stays CHAINED");
            h.CheckInvariants(expectNeverAcked: 1);
        }
    }

    /// <summary>H10 with <see cref="XeOptions.FixH10ResetCrossGtChains"/>: the cross-GT chained fault is requeued and acked.</summary>
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void S15_H10_Fixed_CrossGtChainedFaultIsRequeued()
    {
        var (orphan, states, h) = RunH10(fix: true);
        using (h)
        {
            Assert.AreEqual(1, h.Device.Ledger[orphan]!.Acks);
            Assert.AreEqual(0, h.Device.Ledger[orphan]!.LastError);
            Assert.IsTrue(states.All(s => s == AllocState.Free));
            h.CheckInvariants();
        }
    }

    private static (long Orphan, AllocState[] States, XeHarness H) RunH10(bool fix)
    {
        var h = new XeHarness(Fast() with { NumPfWork = 1, FixH10ResetCrossGtChains = fix });
        var (xe, vm) = h.CreateSvmVm(4 * MiB);
        using var inService = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var leaderId = 0L;
        xe.Hooks.Set(HookPoint.BeforeService, c => { if (c.FaultId == Volatile.Read(ref leaderId)) { inService.Set(); Block(release); } });
        var leader = h.Fault(vm, Base, gt: 0);
        Volatile.Write(ref leaderId, leader.FaultId);
        Await(inService, "GT0 leader ACTIVE");
        var orphan = h.Fault(vm, Base + 0x1000, gt: 1); // chains on ASID + window, not on GT
        Assert.AreEqual(1L, xe.Stats().Chained);
        Assert.AreEqual(0, xe.ResetGt(0));
        release.Set();
        WaitUntil(() => xe.Ledger[leader.FaultId]!.Acks == 1 && xe.WaitWorkersIdle(TimeSpan.Zero), "leader acked, workers idle");
        return (orphan.FaultId, xe.Queues[0].SlotStates(), h);
    }

    /// <summary>
    /// Regression (found by the stress test): with the H10 fix, a chained entry whose slot precedes its
    /// leader's was squashed twice (once by the slot walk, once by the chain walk). Reset now walks the
    /// ACTIVE chains first and frees the rest after.
    /// </summary>
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void S15_H10Fix_ChainedEntryBeforeItsLeaderIsSquashedOnce()
    {
        using var h = new XeHarness(Fast() with { NumPfWork = 1, QueueEntries = 8, FixH10ResetCrossGtChains = true });
        var (xe, vm) = h.CreateSvmVm(32 * MiB);
        for (var i = 0; i < 6; i++)
        {
            h.Fault(vm, Base + 16 * MiB + (ulong)i * 2 * MiB); // slots 0..5, consumed
        }

        h.WaitIdle();
        using var inService = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var leaderId = 0L;
        xe.Hooks.Set(HookPoint.BeforeService, c => { if (c.FaultId == Volatile.Read(ref leaderId)) { inService.Set(); Block(release); } });
        var leader = h.Fault(vm, Base, gt: 1);                    // slot 6, ACTIVE
        Volatile.Write(ref leaderId, leader.FaultId);
        Await(inService, "leader ACTIVE");
        var z = h.Fault(vm, Base + 4 * MiB, gt: 0);               // slot 7, QUEUED (other window)
        var y = h.Fault(vm, Base + 0x1000, gt: 0);                // slot 0, chained
        var x = h.Fault(vm, Base + 0x2000, gt: 1);                // slot 1, chained: leader → x → y
        Assert.AreEqual(2L, xe.Stats().Chained);
        Assert.AreEqual(2, xe.ResetGt(0), "y and z squashed, each once");
        release.Set();
        h.WaitIdle();
        Assert.AreEqual(1, xe.Ledger[y.FaultId]!.Squashed);
        Assert.AreEqual(1, xe.Ledger[z.FaultId]!.Squashed);
        Assert.AreEqual(1, xe.Ledger[x.FaultId]!.Acks, "x (GT1) requeued and acked");
        h.CheckInvariants(expectSquashed: 2);
    }

    /// <summary>
    /// Scenario 20: a mixed workload (faults on SVM/BO/userptr, binds, unmaps, prefetch, invalidations,
    /// eviction, reset, close) under lockdep with the declared order of §2.2 loaded: zero reports.
    /// </summary>
    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    [DataRow(LockingMode.Fine)]
    [DataRow(LockingMode.Coarse)]
    public void S20_MixedWorkload_NoLockdepReport(LockingMode locking)
    {
        using var h = new XeHarness(Fast() with { Locking = locking, NumPfWork = 4 });
        var xe = h.Device;
        Assert.IsTrue(Lockdep.DeclaredOrder.Count >= 20, $"declared order loaded ({Lockdep.DeclaredOrder.Count} edges)");
        var vms = Enumerable.Range(0, 3).Select(_ => xe.CreateVm()).ToList();
        foreach (var vm in vms)
        {
            xe.BindSvm(vm, 32 * MiB);
            Assert.AreEqual(0, xe.MapBo(vm, 0x4000_0000, 4 * MiB));
            Assert.AreEqual(0, xe.MapUserptr(vm, 0x5000_0000, 1 * MiB));
        }

        var rnd = new Random(1234);
        var cpu = Task.Run(() =>
        {
            for (var i = 0; i < 30; i++)
            {
                var vm = vms[i % 3];
                var off = (ulong)(i % 16) * 2 * MiB;
                switch (i % 5)
                {
                    case 0: xe.CpuUnmap(vm, Base + off, 2 * MiB); xe.CpuMap(vm, Base + off, 2 * MiB); break;
                    case 1: xe.CpuInvalidate(vm, Base + off, 2 * MiB); break;
                    case 2: _ = xe.Prefetch(vm, Base + off, 4 * MiB, PrefetchTarget.Vram); break;
                    case 3: xe.CpuInvalidate(vm, 0x5000_0000, 1 * MiB); break;
                    default: xe.EvictVram(vm); break;
                }
            }
        });
        for (var i = 0; i < 600; i++)
        {
            var vm = vms[rnd.Next(3)];
            var kind = rnd.Next(3);
            var addr = kind switch
            {
                0 => Base + (ulong)rnd.Next(16 * 512) * 4096,
                1 => 0x4000_0000 + (ulong)rnd.Next(1024) * 4096,
                _ => 0x5000_0000 + (ulong)rnd.Next(256) * 4096,
            };
            xe.SubmitFault(new PageFaultRequest(vm.Asid, addr, (AccessType)rnd.Next(3), rnd.Next(2)));
            if (i == 300)
            {
                Assert.AreEqual(0, xe.MapBo(vms[0], 0x6000_0000, 1 * MiB));
                Assert.AreEqual(0, xe.Unmap(vms[0], 0x6000_0000, 1 * MiB));
            }
        }

        cpu.Wait();
        h.WaitIdle();
        Assert.AreEqual(0, xe.CloseVm(vms[2]));
        h.CheckInvariants();
        Assert.AreEqual(0, h.Reports.Count);
    }

    /// <summary>Scenario 20, failure mode: the harness's lockdep check does catch an out-of-order acquisition inside the model.</summary>
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void S20_OrderViolationInsideTheModelIsReported()
    {
        using var h = new XeHarness(Fast());
        var (xe, vm) = h.CreateSvmVm(2 * MiB);
        // With SvmRange.Lock held, take GarbageCollector.Lock: declared GC.Lock → SvmRange.Lock, so this inverts it.
        xe.Hooks.Set(HookPoint.AfterRangeLock, _ => { using (vm.Svm.Gc.Lock.Guard()) { } });
        h.Fault(vm, Base);
        h.WaitIdle();
        Assert.IsTrue(h.Reports.Any(r => r.Kind == LockdepViolationKind.DeclaredOrderViolation &&
                                          r.Classes.Contains("GarbageCollector.Lock") && r.Classes.Contains("SvmRange.Lock")),
            "reports: " + string.Join("\n", h.Reports.Select(r => r.Kind + " " + string.Join(",", r.Classes))));
    }
}
