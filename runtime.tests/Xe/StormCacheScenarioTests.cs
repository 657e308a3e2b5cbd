using Microsoft.VisualStudio.TestTools.UnitTesting;
using XeLocked.Xe;
using static XeLocked.Runtime.Tests.Xe.TestSync;
using static XeLocked.Runtime.Tests.Xe.XeHarness;
using static XeLocked.Runtime.Tests.Xe.XeFixtures;

namespace XeLocked.Runtime.Tests.Xe;

using Lockdep = XeLocked.Locking.Lockdep;

/// <summary>§8 scenarios 4–7, 16–18: the P08 storm cache, the ring, batched acks, the worker budget.</summary>
[TestClass]
public sealed class StormCacheScenarioTests
{
    /// <summary>Scenario 4: a storm of 64 identical faults is serviced once and acked 64 times.</summary>
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void S04_FaultStorm_OneService_64Acks()
    {
        using var h = new XeHarness();
        var (xe, vm) = h.CreateSvmVm(4 * MiB);

        using var inService = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        xe.Hooks.Set(HookPoint.AfterVmLock, _ => { inService.Set(); Block(release); });

        h.Fault(vm, Base + 0x1000);
        Await(inService, "first fault in service");
        for (var i = 1; i < 64; i++)
        {
            h.Fault(vm, Base + 0x1000);
        }

        release.Set();
        h.WaitIdle();
        var st = xe.Stats();
        Assert.AreEqual(1L, st.Services, st.ToString());
        Assert.AreEqual(64L, st.Acks);
        Assert.AreEqual(64L, st.AcksSuccess);
        Assert.AreEqual(63L, st.Chained);
        Assert.AreEqual(63L, st.GtTotals[GtStatId.ChainIrqPagefaultCount] + CountPopChains(st), "chains split between IRQ and pop/drain");
        Assert.AreEqual(0L, st.QueueFullDrops);
        Assert.IsTrue(xe.Queues[0].SlotStates().All(s => s == AllocState.Free), "all slots FREE afterwards");
        h.CheckInvariants();
    }

    private static long CountPopChains(XeStats st) => st.Chained - st.GtTotals[GtStatId.ChainIrqPagefaultCount];

    /// <summary>Scenario 5: a chained fault outside the proven 64 KiB range is requeued (4 KiB window) and serviced once.</summary>
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void S05_ChainMismatch_Requeue()
    {
        using var h = new XeHarness();
        var xe = h.Device;
        var vm = xe.CreateVm();
        // An SVM VMA over a whole 2 MiB window, but the CPU maps only two 64 KiB pieces of it:
        // the range around X can only be 64 KiB, and Y lies in the same 2 MiB window outside it.
        xe.BindSvm(vm, 2 * MiB, cpuMap: false);
        xe.CpuMap(vm, Base, 64 * KiB);
        xe.CpuMap(vm, Base + 1 * MiB, 64 * KiB);
        ulong x = Base + 0x2000, y = Base + 1 * MiB + 0x3000;

        using var inService = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var leaderId = 0L;
        xe.Hooks.Set(HookPoint.AfterVmLock, c => { if (c.FaultId == Volatile.Read(ref leaderId)) { inService.Set(); Block(release); } });

        Volatile.Write(ref leaderId, h.Fault(vm, x).FaultId);
        Await(inService, "leader in service");
        var fy = h.Fault(vm, y); // chains onto the leader (2 MiB window)
        Assert.AreEqual(1L, xe.Stats().Chained);
        release.Set();
        h.WaitIdle();

        var st = xe.Stats();
        Assert.AreEqual(1L, st.GtTotals[GtStatId.ChainMismatchPagefaultCount]);
        Assert.AreEqual(1L, st.Requeues);
        Assert.AreEqual(2L, st.Services, "Y serviced separately");
        Assert.AreEqual(2L, st.AcksSuccess);
        Assert.AreEqual(1, xe.Ledger[fy.FaultId]!.Acks);
        Assert.AreEqual(2L, st.GtTotals[GtStatId.Svm64KPagefaultCount], "both services proved 64 KiB ranges");
        h.CheckInvariants();
    }

    /// <summary>Scenario 6: the leader fails (no VMA); its chained faults are requeued and serviced one by one, never acked with its error.</summary>
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void S06_LeaderError_ChainedFaultsReserviced()
    {
        using var h = new XeHarness(Fast() with { LastFaultCache = false });
        var (xe, vm) = h.CreateSvmVm(1 * MiB, offset: 1 * MiB); // the first MiB of the window is a hole
        ulong hole = Base + 0x1000;

        using var inService = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var leaderId = 0L;
        xe.Hooks.Set(HookPoint.BeforeService, c => { if (c.FaultId == Volatile.Read(ref leaderId)) { inService.Set(); Block(release); } });

        var leader = h.Fault(vm, hole);
        Volatile.Write(ref leaderId, leader.FaultId);
        Await(inService, "leader popped");
        var chained = Enumerable.Range(0, 3).Select(i => h.Fault(vm, Base + 1 * MiB + (ulong)i * 64 * KiB)).ToList();
        Assert.AreEqual(3L, xe.Stats().Chained);
        release.Set();
        h.WaitIdle();

        Assert.AreEqual(-Errno.EINVAL, xe.Ledger[leader.FaultId]!.LastError);
        foreach (var c in chained)
        {
            Assert.AreEqual(1, xe.Ledger[c.FaultId]!.Acks);
            Assert.AreEqual(0, xe.Ledger[c.FaultId]!.LastError, "a chained fault is never acked with the leader's error");
        }

        var st = xe.Stats();
        Assert.AreEqual(3L, st.Requeues);
        Assert.AreEqual(4L, st.Services, "each chained fault serviced individually");
        h.CheckInvariants();
    }

    /// <summary>Scenario 7: a fault in the worker's last proven window, queued after the cache was invalidated, is acked without service.</summary>
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void S07_LastFaultFastAck()
    {
        using var h = new XeHarness(Fast() with { NumPfWork = 1 });
        var xe = h.Device;
        var vm = xe.CreateVm();
        Assert.AreEqual(0, xe.MapBo(vm, Base, 8 * MiB));
        var b = 0L;
        xe.Hooks.Set(HookPoint.AfterAckWalk, c =>
        {
            if (Interlocked.CompareExchange(ref b, -1, 0) == 0)
            {
                // A's ack walk invalidated the shared cache: B cannot chain; it is QUEUED for the same worker.
                Volatile.Write(ref b, xe.SubmitFault(new PageFaultRequest(vm.Asid, Base + 6 * MiB)).FaultId);
            }
        });

        h.Fault(vm, Base + 0x1000);
        h.WaitIdle();
        var st = xe.Stats();
        Assert.AreEqual(1L, st.Services);
        Assert.AreEqual(0L, st.Chained);
        Assert.AreEqual(1L, st.LastFaultAcks);
        Assert.AreEqual(0, xe.Ledger[Volatile.Read(ref b)]!.LastError);
        h.CheckInvariants();
    }

    /// <summary>Scenario 16: the producer skips resident CHAINED/ACTIVE slots, never overwrites them, and fails only on the space test.</summary>
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void S16_QueueCapacity_SlotSkipping()
    {
        using var h = new XeHarness(Fast() with { NumPfWork = 1, QueueEntries = 16 });
        var (xe, vm) = h.CreateSvmVm(64 * MiB);

        using var inService = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var leaderId = 0L;
        xe.Hooks.Set(HookPoint.BeforeService, c => { if (c.FaultId == Volatile.Read(ref leaderId)) { inService.Set(); Block(release); } });

        var leader = h.Fault(vm, Base);
        Volatile.Write(ref leaderId, leader.FaultId);
        Await(inService, "leader ACTIVE");
        var chained = Enumerable.Range(1, 3).Select(i => h.Fault(vm, Base + (ulong)i * 4096)).ToList(); // slots 1..3 CHAINED
        var states = xe.Queues[0].SlotStates();
        Assert.AreEqual(AllocState.Active, states[0]);
        Assert.IsTrue(states[1..4].All(s => s == AllocState.Chained));

        var accepted = new List<FaultSubmission>();
        var rejected = 0;
        for (var i = 0; i < 20; i++)
        {
            var s = xe.SubmitFault(new PageFaultRequest(vm.Asid, Base + (ulong)(i + 2) * 2 * MiB)); // other windows
            if (s.Accepted)
            {
                accepted.Add(s);
            }
            else
            {
                Assert.AreEqual(-Errno.ENOSPC, s.Error);
                rejected++;
            }
        }

        // Slots 4..15 take 12 faults; then head wraps onto the resident ACTIVE/CHAINED slots, which are skipped, and the space test fails.
        Assert.AreEqual(12, accepted.Count);
        Assert.AreEqual(8, rejected);
        states = xe.Queues[0].SlotStates();
        Assert.AreEqual(AllocState.Active, states[0], "ACTIVE slot not overwritten");
        Assert.IsTrue(states[1..4].All(s => s == AllocState.Chained), "CHAINED slots not overwritten");

        release.Set();
        h.WaitIdle();
        Assert.AreEqual(8L, xe.Stats().QueueFullDrops);
        foreach (var s in accepted.Append(leader).Concat(chained))
        {
            Assert.AreEqual(1, xe.Ledger[s.FaultId]!.Acks, "no accepted fault lost");
        }

        h.CheckInvariants();
    }

    /// <summary>Scenario 17: a 40-fault chain acked in one batch: 40 H2G writes, publishes at #3, #19, #35 and the final flush.</summary>
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void S17_BatchedAcks()
    {
        using var h = new XeHarness(Fast() with { NumPfWork = 1 });
        var (xe, vm) = h.CreateSvmVm(2 * MiB);
        using var inService = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        xe.Hooks.Set(HookPoint.AfterVmLock, _ => { inService.Set(); Block(release); });
        var ctLockHeldThroughout = true;
        xe.Hooks.Set(HookPoint.AfterAckWalk, _ => { });

        h.Fault(vm, Base);
        Await(inService, "leader in service");
        for (var i = 1; i < 40; i++)
        {
            h.Fault(vm, Base + (ulong)i * 4096);
        }

        var guc = xe.Gts[0].Guc;
        var (w0, d0) = (guc.Written, guc.Doorbells);
        release.Set();
        h.WaitIdle();

        Assert.AreEqual(40L, guc.Written - w0, "40 H2G messages");
        Assert.AreEqual(4L, guc.Doorbells - d0, "4 doorbells, not 40");
        CollectionAssert.AreEqual(new[] { 3, 19, 35, 40 }, guc.LastBatchPublishes().ToArray());
        Assert.AreEqual(guc.Written, guc.Consumed, "after end the GuC saw every ack");
        Assert.IsTrue(ctLockHeldThroughout);
        h.CheckInvariants();
    }

    /// <summary>Scenario 18: 10,000 independent faults on 2 workers: invocations end on the 20 ms budget and re-queue; all acked; PAGEFAULT_US ≈ busy time.</summary>
    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public void S18_WorkerTimeBudget()
    {
        using var h = new XeHarness(new XeOptions { NumPfWork = 2, QueueEntries = 16384, LatencyScale = 1, PtUpdateLatency = TimeSpan.FromMicroseconds(20) });
        var (xe, vm) = h.CreateSvmVm(10_000 * 64 * KiB, preferVram: false);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 10_000; i++)
        {
            h.Fault(vm, Base + (ulong)i * 2 * MiB % (10_000 * 64 * KiB) + (ulong)(i % 31) * 4096);
        }

        h.WaitIdle(60);
        var wall = sw.Elapsed.TotalMicroseconds;
        var st = xe.Stats();
        Assert.AreEqual(10_000L, st.Acks);
        Assert.IsTrue(st.Counters[ModelCounter.WorkerBudgetRequeues] >= 1, $"budget requeues {st.Counters[ModelCounter.WorkerBudgetRequeues]} (wall {wall:F0} us)");
        var busy = st.GtTotals[GtStatId.PagefaultUs];
        Assert.IsTrue(busy <= 2 * wall * 1.05, $"PAGEFAULT_US {busy} > 2 workers x wall {wall:F0}");
        Assert.IsTrue(busy >= 0.5 * wall, $"PAGEFAULT_US {busy} << wall {wall:F0}");
        h.CheckInvariants();
    }
}
