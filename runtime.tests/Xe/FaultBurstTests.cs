using Microsoft.VisualStudio.TestTools.UnitTesting;
using XeLocked.Xe;
using static XeLocked.Runtime.Tests.Xe.TestSync;
using static XeLocked.Runtime.Tests.Xe.XeHarness;
using static XeLocked.Runtime.Tests.Xe.XeFixtures;

namespace XeLocked.Runtime.Tests.Xe;

/// <summary>
/// <see cref="XeDevice.SubmitFaultBurst"/>: a burst of G2H messages handled in one interrupt, the
/// queue lock held across it. Why it exists (a storm whose producer is preempted after the first
/// fault is no longer one storm) and what it guarantees (no worker pops in the middle of a burst).
/// </summary>
[TestClass]
public sealed class FaultBurstTests
{
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void StormWhoseProducerStallsAfterTheFirstFault_IsServicedAgain()
    {
        // The failure mode the burst avoids, made deterministic: fault by fault, with the producer
        // "preempted" until the first fault is fully handled, the other 63 arrive after the leader's
        // ack walk closed its window, so nothing chains onto it: the first late one to be popped goes
        // through the handler again (and the rest may chain onto that new leader).
        using var h = new XeHarness();
        var (xe, vm) = h.CreateSvmVm(4 * MiB);
        using var leaderDone = new ManualResetEventSlim();
        xe.Hooks.Set(HookPoint.AfterAckWalk, _ => leaderDone.Set());

        h.Fault(vm, Base + 0x1000, AccessType.Write);
        Await(leaderDone, "the first fault acked");
        for (var i = 1; i < 64; i++)
        {
            h.Fault(vm, Base + 0x1000, AccessType.Write);
        }

        h.WaitIdle();
        var st = xe.Stats();
        Assert.AreEqual(64L, st.Acks);
        Assert.IsTrue(st.Services + st.GtTotals[GtStatId.LastPagefaultCount] > 1,
            $"the late faults were handled again (serviced, or acked from a worker's last-fault window): {st}");
        h.CheckInvariants();
    }

    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void StormAsOneBurst_IsQueuedWhole_ThenChainedAtPop_OneService()
    {
        using var h = new XeHarness();
        var (xe, vm) = h.CreateSvmVm(4 * MiB);
        var queuedSeen = new List<int>();
        xe.Hooks.Set(HookPoint.FaultQueued, _ => queuedSeen.Add(0)); // under the queue lock: one list is enough

        var burst = Enumerable.Repeat(new PageFaultRequest(vm.Asid, Base + 0x1000, AccessType.Write), 64).ToArray();
        var answers = xe.SubmitFaultBurst(burst);

        Assert.AreEqual(64, answers.Length);
        Assert.IsTrue(answers.All(a => a.Accepted));
        CollectionAssert.AllItemsAreUnique(answers.Select(a => a.FaultId).ToList());
        Assert.AreEqual(64, queuedSeen.Count);
        h.WaitIdle();
        var st = xe.Stats();
        Assert.AreEqual(1L, st.Services, st.ToString());
        Assert.AreEqual(64L, st.AcksSuccess);
        Assert.AreEqual(63L, st.Chained);

        // No worker held an ACTIVE leader while the burst went in (the lock was held across it), so
        // none chained in the IRQ handler: the leader's pop chained all 63 in its drain step.
        Assert.AreEqual(0L, st.GtTotals[GtStatId.ChainIrqPagefaultCount], st.ToString());
        h.CheckInvariants();
    }

    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void BurstAcrossQueues_AndABadGt_AnswersEachInOrder()
    {
        // Coarse locking: one queue per worker, hashed by ASID; the burst takes each queue's lock
        // for the run of faults that go to it. A fault of a GT that does not exist is refused alone.
        using var h = new XeHarness(Fast(new XeOptions { Locking = LockingMode.Coarse, NumPfWork = 2 }));
        var xe = h.Device;
        var a = xe.CreateVm();
        var b = xe.CreateVm();
        xe.BindSvm(a, 4 * MiB);
        xe.BindSvm(b, 4 * MiB);
        var burst = new[]
        {
            new PageFaultRequest(a.Asid, Base, AccessType.Write),
            new PageFaultRequest(a.Asid, Base + 2 * MiB, AccessType.Write),
            new PageFaultRequest(b.Asid, Base, AccessType.Write),
            new PageFaultRequest(b.Asid, Base, AccessType.Write, Gt: 9),
            new PageFaultRequest(a.Asid, Base + 0x3000, AccessType.Write),
            new PageFaultRequest(b.Asid, Base + 2 * MiB, AccessType.Write),
        };

        var answers = xe.SubmitFaultBurst(burst);

        CollectionAssert.AreEqual(new[] { 0, 0, 0, -Errno.EINVAL, 0, 0 }, answers.Select(x => x.Error).ToArray());
        Assert.AreEqual(0L, answers[3].FaultId);
        Assert.AreEqual(5, answers.Where(x => x.Accepted).Select(x => x.FaultId).Distinct().Count());
        h.WaitIdle();
        Assert.AreEqual(5L, xe.Stats().Acks);
        foreach (var answer in answers.Where(x => x.Accepted))
        {
            Assert.AreEqual(1, xe.Ledger[answer.FaultId]!.Acks, $"fault {answer.FaultId} acked once");
        }

        h.CheckInvariants();
    }

    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void BurstLargerThanTheRing_DropsTheOverflow_AndKeepsTheBooksStraight()
    {
        // No worker can pop while the burst holds the queue lock, so a burst larger than the ring
        // overflows deterministically: the excess is refused with -ENOSPC (the driver's "queue full"
        // warning), and everything accepted is acked exactly once.
        using var h = new XeHarness(Fast(new XeOptions { QueueEntries = 16 }));
        var (xe, vm) = h.CreateSvmVm(64 * MiB);
        var burst = Enumerable.Range(0, 40)
            .Select(i => new PageFaultRequest(vm.Asid, Base + (ulong)i * 2 * MiB + 0x1000, AccessType.Write)).ToArray();

        var answers = xe.SubmitFaultBurst(burst);

        var accepted = answers.Count(x => x.Accepted);
        var dropped = answers.Count(x => x.Error == -Errno.ENOSPC);
        Assert.AreEqual(40, accepted + dropped, "every answer is accepted or queue-full");
        Assert.IsTrue(accepted is > 0 and < 40, $"accepted {accepted}");
        Assert.IsTrue(answers.Take(accepted).All(x => x.Accepted), "the ring fills in order: the first ones go in");
        h.WaitIdle();
        var st = xe.Stats();
        Assert.AreEqual((long)dropped, st.QueueFullDrops);
        Assert.AreEqual((long)accepted, st.Acks);
        h.CheckInvariants();
    }
}
