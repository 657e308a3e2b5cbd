using System.Diagnostics;
using XeLocked.Annotations;

namespace XeLocked.Xe;

/// <summary>The producer side (the IRQ handler), acks, GT reset and waiting for quiescence.</summary>
public sealed partial class XeDevice
{
    private long _nextFaultId;
    private long _outstanding;
    private readonly ManualResetEventSlim _quiescent = new(true);

    /// <summary>Accepted faults not yet acked, squashed or dropped.</summary>
    public long OutstandingFaults => Interlocked.Read(ref _outstanding);

    /// <summary>
    /// The page-fault IRQ handler (<c>xe_pagefault_handler</c>, P04 + P08): under the queue lock,
    /// reject when full (-ENOSPC, a counted warning), add the fault at head skipping non-FREE slots,
    /// chain it onto a worker's ACTIVE leader when it matches a cache window (advancing the tail if
    /// the queue was empty), else kick the next worker round robin.
    /// </summary>
    /// <param name="request">The parsed G2H message.</param>
    /// <returns>Accepted with the fault's id; or -ENOSPC (queue full) or -EINVAL (no such GT).</returns>
    public FaultSubmission SubmitFault(in PageFaultRequest request)
    {
        if (!TryPrepare(request, out var queue, out var payload, out var rejected))
        {
            return rejected;
        }

        bool accepted;
        using (queue.Lock.Guard())
        {
            accepted = EnqueueLocked(queue, payload);
        }

        return Finish(payload, accepted);
    }

    /// <summary>
    /// A burst of G2H page-fault messages handled in one interrupt: each fault as by
    /// <see cref="SubmitFault"/>, in order, but a queue's lock is held across the consecutive faults
    /// that go to it. The driver's handler runs in IRQ context, where no worker thread preempts it,
    /// so a burst of faults (a storm: many EU threads touching one page) is in the queue within
    /// about a microsecond. A model thread can be preempted for milliseconds between two
    /// <see cref="SubmitFault"/> calls, long enough for a worker to finish the first fault of a
    /// storm before the rest arrive; holding the queue lock keeps the burst together.
    /// </summary>
    /// <param name="requests">The parsed G2H messages, in arrival order.</param>
    /// <returns>One answer per request, in order.</returns>
    public FaultSubmission[] SubmitFaultBurst(ReadOnlySpan<PageFaultRequest> requests)
    {
        var results = new FaultSubmission[requests.Length];
        var payloads = new PageFaultPayload?[requests.Length];
        var i = 0;
        while (i < requests.Length)
        {
            if (!TryPrepare(requests[i], out var queue, out var payload, out results[i]))
            {
                i++;
                continue;
            }

            var first = i;
            using (queue.Lock.Guard())
            {
                results[i] = new FaultSubmission(EnqueueLocked(queue, payload) ? 0 : -Errno.ENOSPC, payload.FaultId);
                payloads[i++] = payload;
                while (i < requests.Length && QueueOf(requests[i]) == queue)
                {
                    // The GT is valid (QueueOf found its queue), so the preparation succeeds.
                    _ = TryPrepare(requests[i], out _, out payload, out _);
                    results[i] = new FaultSubmission(EnqueueLocked(queue, payload) ? 0 : -Errno.ENOSPC, payload.FaultId);
                    payloads[i++] = payload;
                }
            }

            // The bookkeeping of each answer, outside the queue lock as in SubmitFault.
            for (var k = first; k < i; k++)
            {
                results[k] = Finish(payloads[k]!.Value, results[k].Accepted);
            }
        }

        return results;
    }

    /// <summary>The queue a request goes to (one queue, or the ASID's under coarse locking); null for a bad GT.</summary>
    private PageFaultQueue? QueueOf(in PageFaultRequest request) =>
        request.Gt < 0 || request.Gt >= _gts.Count ? null : Queues[Policy.QueueIndex(request.Asid, Queues.Count)];

    /// <summary>
    /// The IRQ handler's work before the queue lock: validates the GT, assigns the id, records the
    /// fault in the ledger and counts it outstanding. False (with the answer) for a bad GT.
    /// </summary>
    private bool TryPrepare(in PageFaultRequest request, out PageFaultQueue queue, out PageFaultPayload payload, out FaultSubmission rejected)
    {
        Counters.Add(ModelCounter.FaultsSubmitted);
        if (request.Gt < 0 || request.Gt >= _gts.Count)
        {
            Counters.Add(ModelCounter.Warnings);
            queue = null!;
            payload = default;
            rejected = new FaultSubmission(-Errno.EINVAL, 0);
            return false;
        }

        var gt = _gts[request.Gt];
        var id = Interlocked.Increment(ref _nextFaultId);
        var address = request.Address & ~(Svm.Chunk4K - 1);
        var record = Ledger.Accept(id, request.Asid, address, gt.Id, Stopwatch.GetTimestamp());
        payload = new PageFaultPayload(id, gt, address, request.Asid, request.Access, request.HardwarePrefetch,
            request.Nack, Requeued: false,
            EngineClassInstance: (byte)((request.EngineClass & 0xf) | ((request.EngineInstance & 0xf) << 4)), record);
        FaultArrived();
        queue = Queues[Policy.QueueIndex(request.Asid, Queues.Count)];
        rejected = default;
        return true;
    }

    /// <summary>The IRQ handler's work under the queue lock; false when the queue is full.</summary>
    [Requires("queue.Lock")]
    private bool EnqueueLocked(PageFaultQueue queue, in PageFaultPayload payload)
    {
        if (queue.IsFull())
        {
            return false;
        }

        var empty = queue.IsEmpty();
        var lpf = queue.AddLocked(payload);
        if (lpf == null)
        {
            return false;
        }

        Hooks.Fire(HookPoint.FaultQueued, payload.PageAddr, payload.Asid, payload.FaultId);
        if (Options.Chaining && queue.TryChainLocked(lpf, GtStatId.ChainIrqPagefaultCount))
        {
            if (empty)
            {
                payload.Gt!.Stats.Increment(GtStatId.ChainDrainIrqPagefaultCount);
                queue.AdvanceTailLocked(); // the only entry was consumed by chaining
            }
        }
        else
        {
            queue.KickNextWorkerLocked();
        }

        return true;
    }

    /// <summary>The answer to an enqueued (or dropped, queue full) fault, after the queue lock.</summary>
    private FaultSubmission Finish(in PageFaultPayload payload, bool accepted)
    {
        if (!accepted)
        {
            // drm_warn "PageFault Queue full, shouldn't be possible"
            Counters.Add(ModelCounter.QueueFullDrops);
            Counters.Add(ModelCounter.Warnings);
            Ledger.Forget(payload.FaultId);
            FaultGone();
            return new FaultSubmission(-Errno.ENOSPC, 0);
        }

        Counters.Add(ModelCounter.FaultsAccepted);
        return new FaultSubmission(0, payload.FaultId);
    }

    /// <summary>
    /// GT reset (<c>xe_pagefault_reset</c>, P08): frees the QUEUED and CHAINED entries of the GT
    /// without an ack and cuts every ACTIVE entry's chain (see hazard H10).
    /// </summary>
    /// <returns>The number of faults squashed.</returns>
    /// <exception cref="ArgumentOutOfRangeException">No such GT.</exception>
    public int ResetGt(int gtId)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(gtId);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(gtId, _gts.Count);
        var squashed = 0;
        foreach (var q in Queues)
        {
            squashed += q.Reset(_gts[gtId]);
        }

        Counters.Add(ModelCounter.Squashed, squashed);
        return squashed;
    }

    /// <summary>
    /// Waits until every accepted fault is acked, squashed or dropped and the workqueues are idle.
    /// </summary>
    /// <returns>True when quiescent within <paramref name="timeout"/>.</returns>
    public bool WaitIdle(TimeSpan timeout)
    {
        var sw = Stopwatch.StartNew();
        while (true)
        {
            var left = timeout - sw.Elapsed;
            if (left <= TimeSpan.Zero)
            {
                return false;
            }

            _quiescent.Wait(left < TimeSpan.FromMilliseconds(5) ? left : TimeSpan.FromMilliseconds(5));
            if (OutstandingFaults == 0 && FaultWq.IsIdle && PrefetchWq.IsIdle)
            {
                return true;
            }
        }
    }

    /// <summary>
    /// Waits until the workqueues are idle (nothing pending or running), whatever the outstanding
    /// faults (an entry stranded by hazard H10 keeps <see cref="OutstandingFaults"/> above zero forever).
    /// </summary>
    /// <returns>True when idle within <paramref name="timeout"/>.</returns>
    public bool WaitWorkersIdle(TimeSpan timeout) =>
        SpinWait.SpinUntil(() => FaultWq.IsIdle && PrefetchWq.IsIdle, timeout);

    /// <summary>Called by the GuC CT when an ack is written for <paramref name="pf"/>.</summary>
    internal void RecordAck(PageFault pf, int err)
    {
        Counters.Add(ModelCounter.Acks);
        Counters.Add(err == 0 ? ModelCounter.AcksSuccess : ModelCounter.AcksError);
        if (pf.Record != null)
        {
            pf.Record.Acked(err);
            AckLatency.RecordSince(pf.Record.SubmitTimestamp);
        }

        FaultGone();
    }

    private void FaultArrived()
    {
        if (Interlocked.Increment(ref _outstanding) == 1)
        {
            _quiescent.Reset();
        }
    }

    /// <summary>An accepted fault left the system (acked, squashed or dropped).</summary>
    internal void FaultGone()
    {
        if (Interlocked.Decrement(ref _outstanding) == 0)
        {
            _quiescent.Set();
        }
    }
}
