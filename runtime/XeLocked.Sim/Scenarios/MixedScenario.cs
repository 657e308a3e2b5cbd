using XeLocked.Sim.Output;
using XeLocked.Xe;

namespace XeLocked.Sim.Scenarios;

/// <summary>
/// The mixed workload behind <c>run</c> (the default scenario) and <c>stress</c>: several
/// processes (VMs) faulting SVM, BO and userptr memory from a seeded mix, with storms of identical
/// faults, while CPU threads munmap, invalidate, bind, prefetch and evict — and, in the stress
/// mix, close VMs, reset GTs and submit faults nobody can service. A watchdog turns a hang into a
/// failure that shows the queue state. The operation sequence of each thread is a function of the
/// seed; the interleaving is up to the scheduler.
/// </summary>
internal sealed class MixedScenario : IScenario
{
    private readonly string _name;
    private readonly ModelSettings _settings;
    private readonly int _vms;
    private readonly bool _hostile;
    private readonly TimeSpan _watchdog;
    private readonly XeOptions _options;
    private readonly Action<XeDevice>? _configure;
    private ModelRun? _run;

    private MixedScenario(string name, ModelSettings settings, int vms, bool hostile, TimeSpan watchdog, XeOptions options, Action<XeDevice>? configure = null)
    {
        _configure = configure;
        _name = name;
        _settings = settings;
        _vms = vms;
        _hostile = hostile;
        _watchdog = watchdog;
        _options = options;
    }

    /// <summary>The default scenario of <c>run</c>: the realistic mix, the series as merged.</summary>
    /// <param name="settings">What to run with.</param>
    /// <param name="vms">Processes (VMs).</param>
    public static MixedScenario Default(ModelSettings settings, int vms) => Default(settings, vms, null);

    /// <summary>The default scenario with a hook on the device (tests inject faults here).</summary>
    /// <param name="settings">What to run with.</param>
    /// <param name="vms">Processes (VMs).</param>
    /// <param name="configure">Called with the device before the run.</param>
    public static MixedScenario Default(ModelSettings settings, int vms, Action<XeDevice>? configure) =>
        new("default", settings, vms, hostile: false, TimeSpan.FromSeconds(30), ModelFactory.Options(settings), configure);

    /// <summary>
    /// The stress mix. The fixes for the hazards that break the end-of-run invariants by design
    /// (H10: a GT reset strands cross-GT chained faults; H12: the GC leaks a range reference) are
    /// on unless <paramref name="faithful"/>, which reproduces them.
    /// </summary>
    /// <param name="settings">The stress settings.</param>
    /// <param name="faithful">Leave the hazard fixes off.</param>
    /// <param name="configure">Called with the device before the run (tests install fault-injection hooks).</param>
    public static MixedScenario Stress(StressSettings settings, bool faithful, Action<XeDevice>? configure = null) =>
        new("stress", settings.Model, settings.Vms, hostile: true, settings.WatchdogTimeout,
            ModelFactory.Options(settings.Model) with { FixH10ResetCrossGtChains = !faithful, FixH12GcRefLeak = !faithful }, configure);

    /// <inheritdoc/>
    public string Label => $"{_name} ({_settings.Locking}, {_settings.Workers} workers, {_vms} VMs)";

    /// <inheritdoc/>
    public ProgressSample Sample() => _run?.Sample() ?? new ProgressSample(0, _settings.Faults, 0, 0, 0);

    /// <inheritdoc/>
    public RunReport Run(CancellationToken cancellationToken)
    {
        using var run = new ModelRun(_options, _settings.Faults, _configure);
        _run = run;
        _opsDone = false;
        var xe = run.Device;
        var processes = Enumerable.Range(0, _vms).Select(_ => SimProcess.Create(xe, run.Fail)).ToArray();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var dog = new Watchdog(_watchdog, () => run.Sample().Acked, () => xe.OutstandingFaults > 0, () => Describe(xe, processes));
        using var fired = dog.Fired.Register(stop.Cancel);

        var opThreads = Enumerable.Range(0, _hostile ? 2 : 1).Select(k => new Thread(() => RunOps(run, processes, k, stop.Token))
        {
            IsBackground = true,
            Name = $"cpu-ops-{k}",
        }).ToList();
        run.Start();
        opThreads.ForEach(t => t.Start());
        try
        {
            new Submitter(run, processes, new FaultMix(_settings.Seed, xe.Gts.Count, _hostile), window: 256)
                .Run(_settings.Faults, _settings.Duration, stop.Token, storms: _hostile ? 16 : 4);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            run.Fail($"the fault submitter threw: {e}");
        }

        // The op threads pace themselves on submissions; stop them once submission is over.
        _opsDone = true;
        foreach (var t in opThreads)
        {
            if (!t.Join(_watchdog + _watchdog))
            {
                run.Fail($"CPU operation thread {t.Name} did not finish (hung in the model).");
                run.Abandon();
            }
        }

        var drained = dog.Report is null && run.Drain(_watchdog + _watchdog); // a timeout records the queue state
        if (dog.Report is { } hang)
        {
            run.Fail($"hang: {hang}");
        }

        if (!drained)
        {
            run.Abandon();
        }

        var report = run.Finish(_name, _settings, null, _watchdog, processes.Select(p => p.Vm));
        var prefetchDeadlocks = xe.Stats().PrefetchDeadlocks;
        return prefetchDeadlocks == 0 ? report : report with { Failures = report.Failures.Append($"{prefetchDeadlocks} prefetch flushes deadlocked").ToArray() };
    }

    private volatile bool _opsDone;

    private void RunOps(ModelRun run, SimProcess[] processes, int k, CancellationToken stop)
    {
        var ops = new CpuOps(run.Device, processes, _settings.Seed + 1 + k, _hostile, run.Fail);
        var every = _hostile ? 400 : 250;
        var next = (long)every * (k + 1);
        try
        {
            while (!stop.IsCancellationRequested && !_opsDone)
            {
                var spin = new SpinWait();
                while (run.Accepted < next && !_opsDone && !stop.IsCancellationRequested)
                {
                    spin.SpinOnce();
                }

                if (_opsDone || stop.IsCancellationRequested)
                {
                    return;
                }

                ops.RunOne();
                next += every;
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            run.Fail($"CPU operation thread {k} threw: {e}");
        }
    }

    /// <summary>
    /// The state for a hang report: the reader-writer semaphores of the device and of each
    /// process's VM (holders and waiters: a writer queued behind readers that wait for work items
    /// is hazard H13), and the page-fault queues. Taken on another thread, so that a lock held by a
    /// stuck thread cannot hang the watchdog itself. Then every thread's held locks, as lockdep's
    /// <c>debug_show_all_locks</c> prints them (<see cref="XeLocked.Locking.Lockdep.ShowAllLocks"/>:
    /// a lock-free read of the tracker's per-thread stacks, so it is taken on the watchdog thread).
    /// </summary>
    private static string Describe(XeDevice xe, SimProcess[] processes)
    {
        var snapshot = Task.Run(() =>
        {
            var sb = new System.Text.StringBuilder();
            sb.Append(RwState("XeDevice.UsmLock", xe.UsmLock)).Append('\n');
            sb.Append(RwState("XeDevice.DriverMigrateLock", xe.DriverMigrateLock)).Append('\n');
            foreach (var p in processes)
            {
                sb.Append(RwState($"{p.Vm} Vm.Lock", p.Vm.Lock)).Append('\n');
            }

            sb.Append("pagefault_info:\n").Append(xe.PagefaultInfo());
            return sb.ToString();
        });
        var state = snapshot.Wait(TimeSpan.FromSeconds(2))
            ? $"{snapshot.Result}\noutstanding faults: {xe.OutstandingFaults}"
            : $"lock and queue state unavailable (a lock the snapshot needs is held); outstanding faults: {xe.OutstandingFaults}";
        return state + "\n" + XeLocked.Locking.Lockdep.ShowAllLocks();
    }

    private static string RwState(string name, XeLocked.Locking.TrackedRwSemaphore s) =>
        $"{name}: {(s.IsWriteLocked ? "write-locked" : $"{s.ReaderCount} readers")}, waiting: {s.WaitingWriterCount} writers, {s.WaitingReaderCount} readers";
}
