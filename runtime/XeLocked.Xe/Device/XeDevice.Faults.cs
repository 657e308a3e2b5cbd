using System.Diagnostics;

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
        Counters.Add(ModelCounter.FaultsSubmitted);
        if (request.Gt < 0 || request.Gt >= _gts.Count)
        {
            Counters.Add(ModelCounter.Warnings);
            return new FaultSubmission(-Errno.EINVAL, 0);
        }

        var gt = _gts[request.Gt];
        var id = Interlocked.Increment(ref _nextFaultId);
        var address = request.Address & ~(Svm.Chunk4K - 1);
        var record = Ledger.Accept(id, request.Asid, address, gt.Id, Stopwatch.GetTimestamp());
        var payload = new PageFaultPayload(id, gt, address, request.Asid, request.Access, request.HardwarePrefetch,
            request.Nack, Requeued: false,
            EngineClassInstance: (byte)((request.EngineClass & 0xf) | ((request.EngineInstance & 0xf) << 4)), record);

        FaultArrived();
        var queue = Queues[Policy.QueueIndex(request.Asid, Queues.Count)];
        var accepted = false;
        using (queue.Lock.Guard())
        {
            if (!queue.IsFull())
            {
                var empty = queue.IsEmpty();
                var lpf = queue.AddLocked(payload);
                if (lpf != null)
                {
                    accepted = true;
                    Hooks.Fire(HookPoint.FaultQueued, address, request.Asid, id);
                    if (Options.Chaining && queue.TryChainLocked(lpf, GtStatId.ChainIrqPagefaultCount))
                    {
                        if (empty)
                        {
                            gt.Stats.Increment(GtStatId.ChainDrainIrqPagefaultCount);
                            queue.AdvanceTailLocked(); // the only entry was consumed by chaining
                        }
                    }
                    else
                    {
                        queue.KickNextWorkerLocked();
                    }
                }
            }
        }

        if (!accepted)
        {
            // drm_warn "PageFault Queue full, shouldn't be possible"
            Counters.Add(ModelCounter.QueueFullDrops);
            Counters.Add(ModelCounter.Warnings);
            Ledger.Forget(id);
            FaultGone();
            return new FaultSubmission(-Errno.ENOSPC, 0);
        }

        Counters.Add(ModelCounter.FaultsAccepted);
        return new FaultSubmission(0, id);
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
