using XeLocked.Annotations;
using XeLocked.Locking;

namespace XeLocked.Xe;

/// <summary>
/// The page-fault ring (<c>struct xe_pagefault_queue</c>): "Used to capture all device page faults
/// for deferred processing." Fixed-size entries in stable storage, a producer head and a consumer
/// tail, and (P08) per-entry alloc states. Under fine locking there is one queue with
/// <see cref="XeOptions.NumPfWork"/> workers (P04); under coarse locking one queue per worker,
/// hashed by ASID (pre-series).
/// </summary>
/// <remarks>
/// <c>PageFaultQueue.Lock</c> (an IRQ-safe spinlock, innermost but for the workqueue's pool lock)
/// protects head, tail, every entry's alloc state and chain link, the round-robin worker cursor and
/// every worker's storm cache (P04/P08, D8).
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

    /// <summary>P04 <c>usm.current_pf_work</c>: round-robin worker cursor (under the lock, unlike P01's racy cursor, H9).</summary>
    [GuardedBy("Lock")]
    private uint _currentPfWork;

    /// <summary>The workers that pop this queue (set once at device creation).</summary>
    internal PageFaultWorker[] Workers { get; set; } = Array.Empty<PageFaultWorker>();

    /// <summary>How many times each worker was kicked by the producer (H9 test: no lost cursor updates).</summary>
    [GuardedBy("Lock")]
    private long[] _kicks = Array.Empty<long>();

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
        while (lpf.State != AllocState.Free);

        lpf.CopyPayloadFrom(payload);
        lpf.State = AllocState.Queued;
        lpf.Next = null;
        return lpf;
    }

    /// <summary>P04 <c>xe_pagefault_work_index</c> (asserts the lock) and the kick of that worker.</summary>
    [Requires("Lock")]
    internal void KickNextWorkerLocked()
    {
        Lockdep.AssertHeld(Lock);
        if (_kicks.Length != Workers.Length)
        {
            _kicks = new long[Workers.Length];
        }

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

    /// <summary>Every slot (reset walks all of them).</summary>
    [Requires("Lock")]
    private IEnumerable<PageFault> AllSlotsLocked() => _data;

    /// <summary>(head, tail) for the pagefault_info snapshot.</summary>
    [Requires("Lock")]
    private (int Head, int Tail, uint CurrentPfWork) GeometryLocked() => (_head, _tail, _currentPfWork);
}

/// <summary>P10: the queue's part of the pagefault_info snapshot.</summary>
public sealed partial class PageFaultQueue
{
    /// <summary>Takes this queue's <see cref="QueueInfo"/> under its lock.</summary>
    [Excludes("Lock")]
    public QueueInfo Info()
    {
        using var g = Lock.Guard();
        var (head, tail, cur) = GeometryLocked();
        int free = 0, queued = 0, chained = 0, active = 0;
        foreach (var pf in AllSlotsLocked())
        {
            switch (pf.State)
            {
                case AllocState.Free: free++; break;
                case AllocState.Queued: queued++; break;
                case AllocState.Chained: chained++; break;
                default: active++; break;
            }
        }

        var workers = Workers.Select(w => new WorkerInfo
        {
            Id = w.Id,
            CacheValid = w.CacheStart != PageFault.InvalidHint,
            CacheStart = w.CacheStart,
            CacheEnd = w.CacheEnd,
            CacheAsid = w.CacheAsid,
            LeaderSlot = w.CachePf?.Slot ?? -1,
        }).ToList();

        return new QueueInfo
        {
            Index = Index, SizeBytes = Size * 64, Head = head * 64, Tail = tail * 64, CurrentPfWork = cur,
            Free = free, Queued = queued, Chained = chained, Active = active, Workers = workers,
        };
    }

    /// <summary>The alloc state of every slot (tests: "all slots FREE afterwards").</summary>
    [Excludes("Lock")]
    public AllocState[] SlotStates()
    {
        using var g = Lock.Guard();
        return AllSlotsLocked().Select(p => p.State).ToArray();
    }
}
