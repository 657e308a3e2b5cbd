using Microsoft.VisualStudio.TestTools.UnitTesting;
using XeLocked.Locking;
using XeLocked.Xe;

namespace XeLocked.Runtime.Tests.Xe;

using Lockdep = XeLocked.Locking.Lockdep;

/// <summary>
/// Shared set-up and the invariant check run after every Xe scenario: every accepted fault acked
/// exactly once (or squashed/dropped as the scenario expects), no worker exception, no VMA or range
/// leaked, refcounts back to zero once the VMs are closed, and no lockdep report from this device.
/// </summary>
internal sealed class XeHarness : IDisposable
{
    public const ulong MiB = 1UL << 20;
    public const ulong KiB = 1UL << 10;

    private readonly LockdepReportCapture _capture;

    public XeHarness(XeOptions? options = null)
    {
        Lockdep.LoadDeclaredOrder(typeof(XeDevice).Assembly);
        // Async-local capture: the device's worker threads are created inside it and inherit it, so
        // this test sees exactly the reports its device caused (tests run in parallel with the lockdep
        // tests' deliberate violations). Record mode: a report does not throw inside a worker.
        _capture = Lockdep.CaptureReports(LockdepMode.Record);
        Device = new XeDevice(options ?? Fast());
    }

    /// <summary>The reports this test's device caused so far.</summary>
    public IReadOnlyList<LockdepReport> Reports => _capture.Reports;

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
        if (expectNeverAcked == 0)
        {
            WaitIdle();
        }
        else
        {
            TestSync.WaitUntil(() => Device.OutstandingFaults == expectNeverAcked && Device.WaitWorkersIdle(TimeSpan.Zero), "only the stranded faults left");
        }

        var summary = Device.Ledger.Summarize();
        Assert.AreEqual(0, summary.Inconsistent.Count, $"faults acked twice or acked+squashed: {string.Join(",", summary.Inconsistent)}");
        Assert.AreEqual(expectNeverAcked, summary.NeverAcked.Count, $"faults never acked: {summary}");
        Assert.AreEqual(expectSquashed, summary.Squashed, $"squashed: {summary}");
        Assert.AreEqual(0, Device.WorkerErrors.Count, string.Join("\n", Device.WorkerErrors));
        Assert.AreEqual(0L, Device.Stats().WorkerExceptions);

        foreach (var vm in Device.OpenVms())
        {
            Assert.AreEqual(0, Device.CloseVm(vm));
        }

        Assert.IsTrue(Device.WaitWorkersIdle(TimeSpan.FromSeconds(10)));
        Assert.AreEqual((long)expectNeverAcked, Device.OutstandingFaults);
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
        Assert.IsTrue(Lockdep.Enabled, "the Xe tests run with the tracker on");
        var mine = _capture.Reports;
        Assert.AreEqual(0, mine.Count, "lockdep reports:\n" + string.Join("\n\n", mine.Select(r => r.Text)));
    }

    public void Dispose()
    {
        Device.Dispose();
        _capture.Dispose();
    }
}
