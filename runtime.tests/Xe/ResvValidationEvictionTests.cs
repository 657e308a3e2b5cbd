using Microsoft.VisualStudio.TestTools.UnitTesting;
using XeLocked.Xe;
using static XeLocked.Runtime.Tests.Xe.TestSync;
using static XeLocked.Runtime.Tests.Xe.XeHarness;
using static XeLocked.Runtime.Tests.Xe.XeFixtures;

namespace XeLocked.Runtime.Tests.Xe;

using Lockdep = XeLocked.Locking.Lockdep;

/// <summary>dma-resv contention back-off (drm_exec), the validation OOM retry, and VRAM eviction (§1.11, §3.10).</summary>
[TestClass]
public sealed class ResvValidationEvictionTests
{
    /// <summary>drm_exec: the VM resv is contended at bind time: the fault backs off (counted), then binds.</summary>
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void ResvContentionBacksOffAndRetries()
    {
        using var h = new XeHarness();
        var (xe, vm) = h.CreateSvmVm(2 * MiB);
        using var atBind = new ManualResetEventSlim();
        using var resvTaken = new ManualResetEventSlim();
        xe.Hooks.Set(HookPoint.AfterGetPages, _ => { atBind.Set(); Block(resvTaken); });
        var f = h.Fault(vm, Base);
        Await(atBind, "fault about to lock the VM resv");
        vm.Resv.Lock.Lock(); // another ww context holds it (a bind, an eviction)
        resvTaken.Set();
        WaitUntil(() => xe.Stats().Counters[ModelCounter.ResvContentionRetries] == 1, "the fault's trylock failed: back-off");
        Assert.AreEqual(0, xe.Ledger[f.FaultId]!.Acks);
        vm.Resv.Lock.Unlock();
        h.WaitIdle();
        Assert.AreEqual(0, xe.Ledger[f.FaultId]!.LastError);
        h.CheckInvariants();
    }

    /// <summary>xe_validation_retry_on_oom: -ENOMEM during validation retries once with the validation lock exclusive.</summary>
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void ValidationOomRetriesOnceInExhaustiveMode()
    {
        using var h = new XeHarness();
        var xe = h.Device;
        var vm = xe.CreateVm();
        Assert.AreEqual(0, xe.MapBo(vm, Base, 1 * MiB));
        var modes = new List<bool>();
        xe.Hooks.Set(HookPoint.BeforeVmaRebind, _ =>
        {
            lock (modes)
            {
                modes.Add(xe.Validation.Lock.IsWriteLocked);
                return modes.Count == 1 ? -Errno.ENOMEM : 0;
            }
        });
        var f = h.Fault(vm, Base);
        h.WaitIdle();
        Assert.AreEqual(0, xe.Ledger[f.FaultId]!.LastError);
        CollectionAssert.AreEqual(new[] { false, true }, modes, "normal, then exhaustive (validation lock exclusive)");
        Assert.AreEqual(1L, xe.Stats().Counters[ModelCounter.OomRetries]);
        h.CheckInvariants();
    }

    /// <summary>A second -ENOMEM is final: error ack.</summary>
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void ValidationOomTwiceIsAnErrorAck()
    {
        using var h = new XeHarness();
        var xe = h.Device;
        var vm = xe.CreateVm();
        Assert.AreEqual(0, xe.MapBo(vm, Base, 1 * MiB));
        xe.Hooks.Set(HookPoint.BeforeVmaRebind, _ => -Errno.ENOMEM);
        var f = h.Fault(vm, Base);
        h.WaitIdle();
        Assert.AreEqual(-Errno.ENOMEM, xe.Ledger[f.FaultId]!.LastError);
        h.CheckInvariants();
    }

    /// <summary>§3.10: evicting SVM VRAM migrates pages back (notifier MIGRATE): PTEs zapped, no GC; the next fault migrates again.</summary>
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void SvmEvictionInvalidatesWithoutGc()
    {
        using var h = new XeHarness();
        var (xe, vm) = h.CreateSvmVm(2 * MiB);
        SvmRange? r = null;
        xe.Hooks.Set(HookPoint.AfterRangeLock, c => r = c.Range);
        h.Fault(vm, Base);
        h.WaitIdle();
        Assert.IsTrue(r!.ReadStateOnce().InVram);
        xe.EvictVram(vm);
        var s = r.ReadStateOnce();
        Assert.IsFalse(s.InVram);
        Assert.AreNotEqual(0, s.TileInvalidated, "PTEs zapped");
        Assert.AreEqual(0, vm.Svm.Gc.PendingCount, "eviction is not an unmap: no GC");
        var f = h.Fault(vm, Base + 0x1000);
        h.WaitIdle();
        Assert.AreEqual(0, xe.Ledger[f.FaultId]!.LastError);
        Assert.AreEqual(2L, xe.Stats().Migrations, "migrated back to VRAM on the next fault");
        Assert.AreEqual(0L, xe.Stats().Counters[ModelCounter.GcRangesRemoved]);
        Assert.AreEqual(1, vm.Svm.RangeCount, "same range");
        h.CheckInvariants();
    }
}
