using System.Collections.Concurrent;
using XeLocked.Annotations;
using XeLocked.Locking;

namespace XeLocked.Xe;

/// <summary>
/// The Xe device as far as page-fault handling goes: USM state (the ASID → VM map under
/// <see cref="UsmLock"/>), the page-fault queue(s) and workers, the workqueues, the GTs with their
/// GuC CT channels, the simulated GPU engines, the statistics. The public API is what user space,
/// the GuC and the CPU do to the driver: create and close VMs, bind, prefetch, fault, unmap,
/// invalidate, evict, reset.
/// </summary>
/// <remarks>
/// Thread-safe. Every operation either succeeds or returns a negated errno (bad input gets the
/// driver's error); no exception escapes a worker. Dispose closes the VMs still open and stops the
/// worker threads.
/// </remarks>
public sealed partial class XeDevice : IDisposable
{
    private readonly ConcurrentQueue<string> _workerErrors = new();
    private readonly List<Gt> _gts = new();
    private int _disposed;

    internal int LiveVmCount;
    internal int LiveVmaCount;
    internal int LiveRangeCount;
    internal int ServicesInFlight;

    /// <summary>Creates a device with <paramref name="options"/> (defaults: fine locking, 2 workers).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public XeDevice(XeOptions? options = null)
    {
        Options = options ?? new XeOptions();
        Options.Validate();
        Time = new SimTime(Options.LatencyScale);
        Engines = new GpuEngines(Options, Time, Counters);
        Policy = LockingPolicy.For(Options);
        for (var i = 0; i < Options.NumGts; i++)
        {
            _gts.Add(new Gt(this, i));
        }

        // usm.pf_wq: WQ_UNBOUND | WQ_HIGHPRI, max_active = num_pf_work (P04/P05).
        FaultWq = new WorkQueue(this, "xe-pf-wq", Options.NumPfWork);
        PrefetchWq = new WorkQueue(this, "xe-prefetch-wq", Options.NumPfWork);

        var queueCount = Policy.QueueCount(Options.NumPfWork);
        var entries = Options.ResolvedQueueEntries;
        var queues = new PageFaultQueue[queueCount];
        Queues = queues;
        var workers = new List<PageFaultWorker>();
        for (var q = 0; q < queueCount; q++)
        {
            queues[q] = new PageFaultQueue(this, q, entries);
            var perQueue = queueCount == 1 ? Options.NumPfWork : 1;
            var qw = new PageFaultWorker[perQueue];
            for (var i = 0; i < perQueue; i++)
            {
                qw[i] = new PageFaultWorker(this, workers.Count, i, queues[q], FaultWq);
                workers.Add(qw[i]);
            }

            queues[q].SetWorkers(qw);
        }

        Workers = workers;
    }

    /// <summary>The options the device was created with.</summary>
    public XeOptions Options { get; }

    /// <summary>Test and simulation hooks.</summary>
    public XeHooks Hooks { get; } = new();

    /// <summary>Every accepted fault and what happened to it.</summary>
    public FaultLedger Ledger { get; } = new();

    /// <summary>The GTs.</summary>
    public IReadOnlyList<Gt> Gts => _gts;

    /// <summary>The root GT (GT0): PAGEFAULT_US and notifier stats go there.</summary>
    public Gt RootGt => _gts[0];

    /// <summary>
    /// <c>xe->usm.lock</c>: "protects UM state" — the ASID → VM map and the ASID allocator. Fault
    /// workers take it in read mode only around the lookup (it is not nested with <c>Vm.Lock</c>).
    /// </summary>
    [LockOrder(Before = new[] { "WorkQueue.PoolLock" })]
    public readonly TrackedRwSemaphore UsmLock = new("XeDevice.UsmLock");

    /// <summary>
    /// <c>driver_migrate_lock</c> (static in <c>xe_svm_alloc_vram</c>, so global in the driver; per
    /// device here so that independent devices in one process do not share it). Read for a
    /// migration, write for the retry after -EBUSY. Inside <c>SvmRange.Lock</c>.
    /// </summary>
    [LockOrder(After = new[] { "SvmRange.Lock" }, Before = new[] { "CpuMm.MmapLock" })]
    public readonly TrackedRwSemaphore DriverMigrateLock = new("XeDevice.DriverMigrateLock");

    /// <summary>The device-wide validation context (<c>xe->val</c>).</summary>
    public Validation Validation { get; } = new();

    /// <summary>The page-fault queues: one under fine locking, <see cref="XeOptions.NumPfWork"/> under coarse.</summary>
    public IReadOnlyList<PageFaultQueue> Queues { get; }

    /// <summary>VMs alive (not yet freed).</summary>
    public int LiveVms => Volatile.Read(ref LiveVmCount);

    /// <summary>VMAs alive.</summary>
    public int LiveVmas => Volatile.Read(ref LiveVmaCount);

    /// <summary>SVM ranges alive (refcount &gt; 0).</summary>
    public int LiveRanges => Volatile.Read(ref LiveRangeCount);

    /// <summary>Exceptions caught at a worker's top level (model bugs; empty in a correct run).</summary>
    public IReadOnlyCollection<string> WorkerErrors => _workerErrors.ToArray();

    internal ModelCounters Counters { get; } = new();

    internal SimTime Time { get; }

    internal GpuEngines Engines { get; }

    internal LockingPolicy Policy { get; }

    internal WorkQueue FaultWq { get; }

    internal WorkQueue PrefetchWq { get; }

    internal IReadOnlyList<PageFaultWorker> Workers { get; }

    internal LatencyRecorder AckLatency { get; } = new();

    /// <summary>The ASID → VM map.</summary>
    [GuardedBy("UsmLock:read", Write = "UsmLock:write")]
    private readonly Dictionary<uint, Vm> _asidToVm = new();

    /// <summary><c>usm.next_asid</c>: cyclic allocator.</summary>
    [GuardedBy("UsmLock:write")]
    private uint _nextAsid = 1;

    /// <summary>Closes every VM still open, waits for the workers, and stops their threads.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        WaitWorkersIdle(TimeSpan.FromSeconds(10));
        foreach (var vm in OpenVms())
        {
            CloseVm(vm);
        }

        WaitWorkersIdle(TimeSpan.FromSeconds(10));
        FaultWq.Dispose();
        PrefetchWq.Dispose();
    }

    internal void RecordWorkerException(string where, Exception e)
    {
        Counters.Add(ModelCounter.WorkerExceptions);
        _workerErrors.Enqueue($"{where}: {e}");
    }

    /// <summary><c>xe_pagefault_asid_to_vm</c>: lookup plus <c>xe_vm_get</c> under the USM lock (read), released before <c>Vm.Lock</c>.</summary>
    [Excludes("UsmLock")]
    internal Vm? AsidToVm(uint asid)
    {
        using (UsmLock.ReadGuard())
        {
            Time.Spin(Options.AsidLookupLatency);
            return _asidToVm.TryGetValue(asid, out var vm) ? vm.Get() : null;
        }
    }

    /// <summary>The VMs in the ASID map (open, not yet closed), a snapshot.</summary>
    [Excludes("UsmLock")]
    public IReadOnlyList<Vm> OpenVms()
    {
        using (UsmLock.ReadGuard())
        {
            return _asidToVm.Values.ToList();
        }
    }
}
