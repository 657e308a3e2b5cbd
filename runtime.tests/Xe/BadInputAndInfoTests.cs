using Microsoft.VisualStudio.TestTools.UnitTesting;
using XeLocked.Xe;
using static XeLocked.Runtime.Tests.Xe.TestSync;
using static XeLocked.Runtime.Tests.Xe.XeHarness;
using static XeLocked.Runtime.Tests.Xe.XeFixtures;

namespace XeLocked.Runtime.Tests.Xe;

using Lockdep = XeLocked.Locking.Lockdep;

/// <summary>Bad input gets the driver's behaviour; the pagefault_info snapshot; coarse head-of-queue blocking (H5).</summary>
[TestClass]
public sealed class BadInputAndInfoTests
{
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void ClosedVmStillInTheMapGetsENOENT_ReadOnlyGetsEPERM()
    {
        using var h = new XeHarness(Fast() with { Chaining = false, LastFaultCache = false }); // else the late fault chains on the first
        var xe = h.Device;
        var vm = xe.CreateVm();
        Assert.AreEqual(0, xe.MapBo(vm, Base, 1 * MiB, readOnly: true));
        var write = h.Fault(vm, Base, AccessType.Write);
        var read = h.Fault(vm, Base + 0x1000, AccessType.Read);
        h.WaitIdle();
        Assert.AreEqual(-Errno.EPERM, xe.Ledger[write.FaultId]!.LastError);
        Assert.AreEqual(0, xe.Ledger[read.FaultId]!.LastError);

        // Closed while faults are queued behind the close: they take vm.Lock after it and get -ENOENT.
        using var inClose = new ManualResetEventSlim();
        using var go = new ManualResetEventSlim();
        xe.Hooks.Set(HookPoint.AfterVmLock, c => { inClose.Set(); Block(go); });
        var first = h.Fault(vm, Base + 0x2000);
        Await(inClose, "a fault holds vm.Lock (read)");
        var close = Task.Run(() => xe.CloseVm(vm));
        WaitUntil(() => vm.Lock.WaitingWriterCount == 1, "close waits");
        xe.Hooks.Clear(HookPoint.AfterVmLock);
        var late = h.Fault(vm, Base + 0x3000);
        // The late fault must have found the VM (still in the ASID map) and queued behind the close
        // on vm.Lock: released any earlier, a slow worker could pop it after CloseVm had removed the
        // ASID, and it would get the unknown-ASID error instead.
        WaitUntil(() => vm.Lock.WaitingReaderCount == 1, "the late fault waits for vm.Lock behind the close");
        go.Set();
        Assert.AreEqual(0, close.Result);
        h.WaitIdle();
        Assert.AreEqual(0, xe.Ledger[first.FaultId]!.LastError);
        Assert.AreEqual(-Errno.ENOENT, xe.Ledger[late.FaultId]!.LastError);
        Assert.AreEqual(1L, xe.Stats().Counters[ModelCounter.ClosedVm]);
        h.CheckInvariants();
    }

    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void AnExceptionInAServiceIsContainedAndTheFaultStillAckedOnce()
    {
        using var h = new XeHarness();
        var (xe, vm) = h.CreateSvmVm(4 * MiB);
        var thrown = 0;
        xe.Hooks.Set(HookPoint.AfterRangeLock, c =>
        {
            if (c.Address == Base && Interlocked.Exchange(ref thrown, 1) == 0)
            {
                throw new InvalidOperationException("injected");
            }
        });
        var bad = h.Fault(vm, Base);
        var good = h.Fault(vm, Base + 2 * MiB);
        h.WaitIdle();
        Assert.AreEqual(-Errno.EFAULT, xe.Ledger[bad.FaultId]!.LastError);
        Assert.AreEqual(0, xe.Ledger[good.FaultId]!.LastError);
        Assert.AreEqual(1L, xe.Stats().WorkerExceptions);
        Assert.AreEqual(1, xe.WorkerErrors.Count);
        h.AssertNoLockdepReports(); // the guards released every lock on the way out (no HeldAtExit)
        Assert.AreEqual(0, xe.CloseVm(vm));
        Assert.AreEqual(0, xe.LiveRanges);
    }

    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void OptionsAreValidated()
    {
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new XeDevice(new XeOptions { NumPfWork = 0 }));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new XeDevice(new XeOptions { NumPfWork = 9 }));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new XeDevice(new XeOptions { QueueEntries = 100 }));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new XeDevice(new XeOptions { LatencyScale = -1 }));
        Assert.AreEqual(8192, new XeOptions().ResolvedQueueEntries, "roundup_pow_of_two((512 + 64) * 8)");
        using var xe = new XeDevice(new XeOptions { LatencyScale = 0 });
        using var other = new XeDevice(new XeOptions { LatencyScale = 0 });
        var vm = other.CreateVm();
        Assert.ThrowsExactly<ArgumentException>(() => xe.MapSvm(vm, Base, 2 * MiB));
        Assert.AreEqual(-Errno.EINVAL, other.MapSvm(vm, Base + 1, 2 * MiB), "unaligned");
        other.BindSvm(vm, 2 * MiB);
        Assert.AreEqual(-Errno.EINVAL, other.MapBo(vm, Base, 4096), "overlap");
        Assert.AreEqual(-Errno.EINVAL, other.Unmap(vm, 0x7000_0000, 4096), "nothing there");
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => xe.ResetGt(5));
    }

    /// <summary>P10 pagefault_info: geometry, cursor, the workers' cache windows and alloc-state counts, consistent under the lock.</summary>
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void PagefaultInfoSnapshot()
    {
        using var h = new XeHarness(Fast() with { NumPfWork = 2, QueueEntries = 64 });
        var (xe, vm) = h.CreateSvmVm(4 * MiB);
        using var inService = new ManualResetEventSlim();
        using var go = new ManualResetEventSlim();
        xe.Hooks.Set(HookPoint.AfterVmLock, _ => { inService.Set(); Block(go); });
        h.Fault(vm, Base + 0x5000);
        Await(inService, "leader in service");
        h.Fault(vm, Base + 0x6000); // chains
        var info = xe.PagefaultInfo();
        go.Set();
        h.WaitIdle();

        Assert.AreEqual(LockingMode.Fine, info.Locking);
        Assert.AreEqual(2, info.NumPfWork);
        var q = Assert.ContainsSingle(info.Queues);
        Assert.AreEqual(64 * 64, q.SizeBytes);
        Assert.AreEqual(1, q.Active);
        Assert.AreEqual(1, q.Chained);
        Assert.AreEqual(62, q.Free);
        var active = Assert.ContainsSingle(q.Workers.Where(w => w.CacheValid));
        Assert.AreEqual(Base, active.CacheStart);
        Assert.AreEqual(Base + 2 * MiB, active.CacheEnd);
        Assert.AreEqual(vm.Asid, active.CacheAsid);
        StringAssert.Contains(info.ToString(), "chained=1");
        Assert.IsTrue(xe.PagefaultInfo().Queues[0].Workers.All(w => !w.CacheValid), "caches invalid once idle");
        h.CheckInvariants();
    }

    /// <summary>H5: coarse locking hashes a VM's faults onto one queue and worker: other workers stay idle. Fine spreads them.</summary>
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    [DataRow(LockingMode.Coarse, 1)]
    [DataRow(LockingMode.Fine, 4)]
    public void H05_CrossVmHeadOfQueueBlocking(LockingMode locking, int expectedConcurrency)
    {
        using var h = new XeHarness(new XeOptions { Locking = locking, NumPfWork = 4, Chaining = false,
            MigrationBaseLatency = TimeSpan.FromMilliseconds(5), MigrationBytesPerMicrosecond = 1e12 });
        var (xe, vm) = h.CreateSvmVm(64 * MiB);
        for (var i = 0; i < 16; i++)
        {
            h.Fault(vm, Base + (ulong)i * 2 * MiB);
        }

        h.WaitIdle();
        var st = xe.Stats();
        if (locking == LockingMode.Coarse)
        {
            Assert.AreEqual(4, xe.Queues.Count);
            Assert.AreEqual(16L, xe.Queues[(int)(vm.Asid % 4)].KickCounts().Sum(), "every fault of the VM on its ASID's queue");
            Assert.AreEqual(1L, st.MaxConcurrentServices);
        }
        else
        {
            Assert.IsTrue(st.MaxConcurrentServices >= 2, $"fine spreads one VM's faults over workers ({st.MaxConcurrentServices})");
        }

        Assert.IsTrue(st.MaxConcurrentMigrations <= expectedConcurrency);
        h.CheckInvariants();
    }
}
