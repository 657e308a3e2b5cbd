using System.Diagnostics;
using XeLocked.Locking;
using XeLocked.Sim.Output;
using XeLocked.Xe;

namespace XeLocked.Sim.Scenarios;

/// <summary>
/// One device for the length of a scenario: creates it with the declared lock order loaded into
/// lockdep, samples it for progress, and at the end drains it, checks the invariants (every fault
/// acked exactly once or squashed by a reset, no worker exception, no leaked range, VMA or VM, no
/// lockdep report) and turns its statistics into a <see cref="RunReport"/>.
/// </summary>
internal sealed class ModelRun : IDisposable
{
    private readonly LockdepReportCapture _capture;
    private readonly Stopwatch _clock = new();
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _failures = new();
    private long _target;
    private long _accepted;
    private bool _abandoned;

    /// <summary>Creates the device.</summary>
    /// <param name="options">The model's options.</param>
    /// <param name="target">Faults the scenario intends to submit (for the progress bar).</param>
    /// <param name="configure">Called with the new device before anything runs (tests install hooks here).</param>
    public ModelRun(XeOptions options, long target, Action<XeDevice>? configure = null)
    {
        if (Lockdep.Enabled)
        {
            Lockdep.LoadDeclaredOrder(typeof(XeDevice).Assembly);
        }

        // Async-local: the device's threads created below inherit it, so the run sees exactly its
        // own reports (and other code in the process none of them); record, do not throw, so that a
        // violation is reported at the end instead of unwinding a worker.
        _capture = Lockdep.CaptureReports(LockdepMode.Record);
        _target = target;
        Device = new XeDevice(options);
        configure?.Invoke(Device);
    }

    /// <summary>The device under test.</summary>
    public XeDevice Device { get; }

    /// <summary>Problems found so far (by the scenario or the final checks), in the order found.</summary>
    public IReadOnlyCollection<string> Failures => _failures;

    /// <summary>Records a problem; callable from any thread.</summary>
    public void Fail(string message) => _failures.Enqueue(message);

    /// <summary>
    /// Gives the device up after a hang or a failed drain: <see cref="Finish"/> checks only the
    /// ledger (it does not wait, close VMs or count leaks) and <see cref="Dispose"/> does not wait
    /// for the workers (they may be blocked forever); the process is expected to exit soon.
    /// </summary>
    public void Abandon() => _abandoned = true;

    /// <summary>Lockdep reports recorded since the run started.</summary>
    public IReadOnlyList<LockdepReport> NewLockdepReports => _capture.Reports;

    /// <summary>Starts the wall clock (first submission).</summary>
    public void Start() => _clock.Start();

    /// <summary>Submits one fault and counts it when accepted.</summary>
    public FaultSubmission Submit(in PageFaultRequest request)
    {
        var s = Device.SubmitFault(request);
        if (s.Accepted)
        {
            Interlocked.Increment(ref _accepted);
        }

        return s;
    }

    /// <summary>
    /// Submits <paramref name="count"/> copies of <paramref name="request"/> as one burst
    /// (<see cref="XeDevice.SubmitFaultBurst"/>: a storm arrives in one interrupt) and counts the
    /// accepted ones.
    /// </summary>
    /// <returns>The first refusal, or the last answer when all were accepted.</returns>
    public FaultSubmission SubmitStorm(in PageFaultRequest request, int count)
    {
        var burst = new PageFaultRequest[count];
        Array.Fill(burst, request);
        var answers = Device.SubmitFaultBurst(burst);
        var accepted = answers.Count(a => a.Accepted);
        Interlocked.Add(ref _accepted, accepted);
        return answers.FirstOrDefault(a => !a.Accepted, answers[^1]);
    }

    /// <summary>Faults accepted so far through <see cref="Submit"/> and <see cref="SubmitStorm"/>.</summary>
    public long Accepted => Interlocked.Read(ref _accepted);

    /// <summary>
    /// Live counters for the progress display, from lock-free reads only: acked (or squashed) =
    /// accepted − outstanding; services = the model's service counter (every call of the fault
    /// service, the number the summary table and the JSON report too: the GT stats' SVM and VMA
    /// counts leave out services that end before either handler, such as a fault on a closed VM);
    /// chained from the GT stats.
    /// </summary>
    public ProgressSample Sample() => new(
        Math.Max(0, Accepted - Device.OutstandingFaults),
        Interlocked.Read(ref _target),
        Device.Counter(ModelCounter.Services),
        Device.GtStatTotal(GtStatId.ChainPagefaultCount),
        _capture.Reports.Count);

    /// <summary>Waits until every submitted fault is acked; records a failure (with the queue state) when it does not happen in <paramref name="timeout"/>.</summary>
    public bool Drain(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (Device.WaitIdle(TimeSpan.FromMilliseconds(100)))
            {
                return true;
            }

            if (Device.OutstandingFaults < 0)
            {
                // The model's count of accepted-but-unfinished faults went below zero: some fault
                // was finished (acked or squashed) twice. Waiting longer cannot help.
                Fail($"{-Device.OutstandingFaults} more faults finished than were accepted (outstanding = {Device.OutstandingFaults}): a fault was acked or squashed twice.");
                return false;
            }
        }

        Fail($"the device did not go idle within {timeout.TotalSeconds:0.#} s: {Device.OutstandingFaults} faults outstanding.\n{Device.PagefaultInfo()}");
        return false;
    }

    /// <summary>
    /// Stops the clock, checks the ledger, closes every VM, checks for leaks, workers and lockdep
    /// (<see cref="InvariantChecks"/>), and builds the report. After <see cref="Abandon"/> only the
    /// lock-free checks run.
    /// </summary>
    /// <param name="scenario">The scenario's name.</param>
    /// <param name="settings">What it ran with.</param>
    /// <param name="variant">The table column header, or null for the locking.</param>
    /// <param name="drainTimeout">How long the final drain may take.</param>
    /// <param name="vms">The VMs still open (closed here, then checked for leaks).</param>
    public RunReport Finish(string scenario, ModelSettings settings, string? variant, TimeSpan drainTimeout, IEnumerable<Vm> vms)
    {
        var drained = !_abandoned && Drain(drainTimeout);
        _clock.Stop();
        var stats = Device.Stats();
        Record(InvariantChecks.Ledger(Device));
        if (drained)
        {
            foreach (var vm in vms)
            {
                var err = Device.CloseVm(vm);
                if (err != 0 && err != -Errno.ENOENT)
                {
                    Fail($"closing {vm} failed: {Errno.Name(err)}");
                }
            }

            if (Drain(drainTimeout))
            {
                Record(InvariantChecks.Leaks(Device));
            }
        }

        var reports = NewLockdepReports;
        Record(InvariantChecks.WorkersAndLockdep(Device, reports));
        return ReportMapping.From(stats, scenario, settings, variant, Device.Options.LatencyScale, _clock.Elapsed,
            reports.Count, Lockdep.Enabled, _failures);
    }

    /// <summary>Disposes the device.</summary>
    public void Dispose()
    {
        _capture.Dispose();
        if (!_abandoned)
        {
            Device.Dispose();
        }
    }

    private void Record(IEnumerable<string> failures)
    {
        foreach (var f in failures)
        {
            Fail(f);
        }
    }
}
