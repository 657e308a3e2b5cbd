using XeLocked.Annotations;
using XeLocked.Locking;

namespace XeLocked.Xe;

/// <summary>
/// The page-fault ring (<c>struct xe_pagefault_queue</c>): "Used to capture all device page faults
/// for deferred processing." Fixed-size entries in stable storage, a producer head and a consumer
/// tail, and (P08) per-entry alloc states and chain links. Under fine locking there is one queue with
/// <see cref="XeOptions.NumPfWork"/> workers (P04); under coarse locking one queue per worker,
/// hashed by ASID (pre-series).
/// </summary>
/// <remarks>
/// <c>PageFaultQueue.Lock</c> (an IRQ-safe spinlock, innermost but for the workqueue's pool lock)
/// protects head, tail, every entry's alloc state and chain link, the round-robin worker cursor and
/// every worker's storm cache (P04/P08, D8). The per-entry and per-worker state is kept here, in
/// arrays indexed by slot and by worker, so that every access names this queue's lock.
/// </remarks>
public sealed partial class PageFaultQueue
{
    private readonly XeDevice _xe;
    private readonly PageFault[] _data;
    private readonly int _mask;

    internal PageFaultQueue(XeDevice xe, int index, int entries)
    {
        _xe = xe;
        Index = index;
        _data = new PageFault[entries];
        for (var i = 0; i < entries; i++)
        {
            _data[i] = new PageFault(this, i);
        }

        _state = new AllocState[entries];
        _next = new PageFault?[entries];
        _mask = entries - 1;
    }

    /// <summary>The queue's index (0 under fine locking).</summary>
    public int Index { get; }

    /// <summary>Number of entries in the ring.</summary>
    public int Size => _data.Length;

    /// <summary><c>pf_queue->lock</c>.</summary>
    [LockOrder(After = new[] { "GucCt.Lock" })]
    public readonly TrackedSpinLock Lock = new("PageFaultQueue.Lock");

    /// <summary>"Head pointer in entries, moved by producer, protected by @lock".</summary>
    [GuardedBy("Lock")]
    private int _head;

    /// <summary>"Tail pointer in entries, moved by consumer, protected by @lock".</summary>
    [GuardedBy("Lock")]
    private int _tail;

    /// <summary>P08 alloc state of each entry, by slot.</summary>
    [GuardedBy("Lock")]
    private readonly AllocState[] _state;

    /// <summary>P08 <c>consumer.next</c> of each entry, by slot.</summary>
    [GuardedBy("Lock")]
    private readonly PageFault?[] _next;

    /// <summary>P08 per-worker cache (<c>pf_workers[i].cache</c>), by the worker's index in this queue.</summary>
    [GuardedBy("Lock")]
    private WorkerCache[] _caches = Array.Empty<WorkerCache>();

    /// <summary>P04 <c>usm.current_pf_work</c>: round-robin worker cursor (under the lock, unlike P01's racy cursor, H9).</summary>
    [GuardedBy("Lock")]
    private uint _currentPfWork;

    /// <summary>How many times each worker was kicked by the producer (H9 test: no lost cursor updates).</summary>
    [GuardedBy("Lock")]
    private long[] _kicks = Array.Empty<long>();

    /// <summary>The workers that pop this queue (set once at device creation, before any fault).</summary>
    internal PageFaultWorker[] Workers { get; private set; } = Array.Empty<PageFaultWorker>();

    /// <summary>Attaches the workers (device construction, single-threaded).</summary>
    [Excludes("Lock")]
    internal void SetWorkers(PageFaultWorker[] workers)
    {
        using var g = Lock.Guard();
        Workers = workers;
        _caches = Enumerable.Repeat(WorkerCache.Invalid, workers.Length).ToArray();
        _kicks = new long[workers.Length];
    }

    /// <summary><c>xe_pagefault_queue_full</c>: <c>CIRC_SPACE(head, tail, size) &lt;= entry_size</c>.</summary>
    [Requires("Lock")]
    internal bool IsFull() => ((_tail - (_head + 1)) & _mask) <= 1;

    /// <summary><c>head == tail</c>.</summary>
    [Requires("Lock")]
    internal bool IsEmpty() => _head == _tail;

    /// <summary>
    /// P08 <c>xe_pagefault_queue_add</c>: advance head until a FREE slot (skipping resident CHAINED
    /// and ACTIVE entries), copy the fault in, mark it QUEUED. Null (a WARN) when the ring fills up
    /// while skipping.
    /// </summary>
    [Requires("Lock")]
    internal PageFault? AddLocked(in PageFaultPayload payload)
    {
        Lockdep.AssertHeld(Lock);
        PageFault lpf;
        do
        {
            if (IsFull())
            {
                _xe.Counters.Add(ModelCounter.Warnings);
                return null;
            }

            lpf = _data[_head];
            _head = (_head + 1) & _mask;
        }
        while (_state[lpf.Slot] != AllocState.Free);

        lpf.CopyPayloadFrom(payload);
        _state[lpf.Slot] = AllocState.Queued;
        _next[lpf.Slot] = null;
        return lpf;
    }

    /// <summary>P04 <c>xe_pagefault_work_index</c> (asserts the lock) and the kick of that worker.</summary>
    [Requires("Lock")]
    internal void KickNextWorkerLocked()
    {
        Lockdep.AssertHeld(Lock);
        var idx = (int)(_currentPfWork++ % (uint)Workers.Length);
        _kicks[idx]++;
        Workers[idx].Work.QueueWork();
    }

    /// <summary>Advances the tail by one entry (<c>xe_pagefault_queue_advance</c>).</summary>
    [Requires("Lock")]
    internal void AdvanceTailLocked() => _tail = (_tail + 1) & _mask;

    /// <summary>The producer-side per-worker kick counts (a snapshot).</summary>
    [Excludes("Lock")]
    public long[] KickCounts()
    {
        using var g = Lock.Guard();
        return (long[])_kicks.Clone();
    }

    /// <summary>Entry at the tail (not advancing).</summary>
    [Requires("Lock")]
    private PageFault TailEntryLocked() => _data[_tail];

    [Requires("Lock")]
    private AllocState StateOf(PageFault pf) => _state[pf.Slot];

    [Requires("Lock")]
    private void SetState(PageFault pf, AllocState s) => _state[pf.Slot] = s;

    [Requires("Lock")]
    private PageFault? NextOf(PageFault pf) => _next[pf.Slot];

    [Requires("Lock")]
    private void SetNext(PageFault pf, PageFault? next) => _next[pf.Slot] = next;
}

/// <summary>A worker's storm cache: window, ASID and ACTIVE leader (<c>start == U64_MAX</c>: invalid).</summary>
internal readonly record struct WorkerCache(ulong Start, ulong End, uint Asid, PageFault? Pf)
{
    public static WorkerCache Invalid => new(PageFault.InvalidHint, 0, 0, null);

    public bool IsValid => Start != PageFault.InvalidHint && Pf != null;
}
