using Microsoft.VisualStudio.TestTools.UnitTesting;
using XeLocked.Locking;
using XeLocked.Xe;

namespace XeLocked.Runtime.Tests.Xe;

/// <summary>
/// Shared set-up and the invariant check run after every Xe scenario: every accepted fault acked
/// exactly once (or squashed/dropped as the scenario expects), no worker exception, no VMA or range
/// leaked, refcounts back to zero once the VMs are closed, and no lockdep report from this device.
/// </summary>
internal sealed class XeHarness : IDisposable
{
    public const ulong MiB = 1UL << 20;
    public const ulong KiB = 1UL << 10;

    private static readonly string[] XeLockClasses =
    {
        "Vm.Lock", "Vma.FaultLock", "SvmRange.Lock", "Svm.RangeLock", "Svm.NotifierLock", "GarbageCollector.Lock",
        "GarbageCollector.ListLock", "DmaResv.Lock", "Validation.Lock", "CpuMm.MmapLock", "XeDevice.UsmLock",
        "XeDevice.DriverMigrateLock", "GucCt.Lock", "PageFaultQueue.Lock", "Vm.UserptrInvalidatedLock", "WorkQueue.PoolLock",
    };

    private readonly int _reportsBefore;

    public XeHarness(XeOptions? options = null)
    {
        Lockdep.LoadDeclaredOrder(typeof(XeDevice).Assembly);
        _reportsBefore = Lockdep.Reports.Count;
        Device = new XeDevice(options ?? Fast());
    }

    public XeDevice Device { get; }

    /// <summary>Options with tiny latencies, for fast tests.</summary>
    public static XeOptions Fast(XeOptions? o = null) => (o ?? new XeOptions()) with { LatencyScale = 0.0 };

    public FaultSubmission Fault(Vm vm, ulong addr, AccessType access = AccessType.Read, int gt = 0)
    {
        var s = Device.SubmitFault(new PageFaultRequest(vm.Asid, addr, access, gt));
        Assert.IsTrue(s.Accepted, $"fault at 0x{addr:x} rejected: {Errno.Name(s.Error)}");
        return s;
    }

    public void WaitIdle(int seconds = 20) =>
        Assert.IsTrue(Device.WaitIdle(TimeSpan.FromSeconds(seconds)),
            $"device not idle: outstanding={Device.OutstandingFaults} ledger={Device.Ledger.Summarize()}");

    /// <summary>The invariants of §8 checked after every scenario; closes every VM first.</summary>
    public void CheckInvariants(int expectSquashed = 0, int expectNeverAcked = 0, bool allowAnyLeaks = false)
    {
        WaitIdle();
        var summary = Device.Ledger.Summarize();
        Assert.AreEqual(0, summary.Inconsistent.Count, $"faults acked twice or acked+squashed: {string.Join(",", summary.Inconsistent)}");
        Assert.AreEqual(expectNeverAcked, summary.NeverAcked.Count, $"faults never acked: {summary}");
        Assert.AreEqual(expectSquashed, summary.Squashed, $"squashed: {summary}");
        Assert.AreEqual(0, Device.WorkerErrors.Count, string.Join("\n", Device.WorkerErrors));
        Assert.AreEqual(0L, Device.Stats().WorkerExceptions);

        foreach (var asid in Enumerable.Range(1, 64))
        {
            var vm = Device.LookupVm((uint)asid);
            if (vm != null)
            {
                Assert.AreEqual(0, Device.CloseVm(vm));
            }
        }

        Assert.IsTrue(Device.WaitIdle(TimeSpan.FromSeconds(10)));
        if (!allowAnyLeaks)
        {
            Assert.AreEqual(0, Device.LiveRanges, "ranges leaked");
            Assert.AreEqual(0, Device.LiveVmas, "VMAs leaked");
            Assert.AreEqual(0, Device.LiveVms, "VMs leaked (refcount not back to zero)");
        }

        AssertNoLockdepReports();
    }

    public void AssertNoLockdepReports()
    {
        var mine = Lockdep.Reports.Skip(_reportsBefore)
            .Where(r => r.Classes.Count == 0 ? XeLockClasses.Any(c => r.Text.Contains(c, StringComparison.Ordinal)) || r.Text.Contains("xe_", StringComparison.Ordinal) || r.Text.Contains("vm ", StringComparison.Ordinal) || r.Text.Contains("range[", StringComparison.Ordinal)
                                             : r.Classes.Any(c => XeLockClasses.Contains(c)))
            .ToList();
        Assert.AreEqual(0, mine.Count, "lockdep reports:\n" + string.Join("\n\n", mine.Select(r => r.Text)));
    }

    public void Dispose() => Device.Dispose();
}
