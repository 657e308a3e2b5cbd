using System.Diagnostics;

namespace XeLocked.Xe;

/// <summary>
/// One page-fault worker (<c>struct xe_pagefault_work</c>, P04): a work item on the fault workqueue
/// that pops faults from its queue, services them, and acks each leader with its chain.
/// </summary>
internal sealed class PageFaultWorker
{
    private readonly XeDevice _xe;

    public PageFaultWorker(XeDevice xe, int id, int queueSlot, PageFaultQueue queue, WorkQueue wq)
    {
        _xe = xe;
        Id = id;
        QueueSlot = queueSlot;
        Queue = queue;
        Work = new WorkItem($"pf-work/{id}", Run, wq);
    }

    public int Id { get; }

    public PageFaultQueue Queue { get; }

    public WorkItem Work { get; }

    /// <summary>This worker's index among its queue's workers (its storm-cache slot there).</summary>
    public int QueueSlot { get; }

    /// <summary><c>xe_pagefault_queue_work</c> (P07 + P08).</summary>
    private void Run()
    {
        _xe.Counters.Add(ModelCounter.WorkerInvocations);
        var t0 = Stopwatch.GetTimestamp();
        var threshold = t0 + (long)(_xe.Options.WorkerBudget.TotalSeconds * Stopwatch.Frequency);
        var window = FaultWindow.Invalid;

        while (Queue.Pop(this, out var pf))
        {
            var err = 0;
            if (_xe.Options.LastFaultCache && window.Matches(pf!))
            {
                pf!.Gt!.Stats.Increment(GtStatId.LastPagefaultCount);
            }
            else
            {
                _xe.Hooks.Fire(HookPoint.BeforeService, pf!.PageAddr, pf.Asid, pf.FaultId);
                _xe.Counters.Add(ModelCounter.Services);
                try
                {
                    err = FaultService.Service(_xe, pf);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // A model bug or a throwing hook: never let it escape the worker or lose the
                    // fault. The locks were released by their guards on the way out; ack an error.
                    _xe.RecordWorkerException($"pf-work/{Id} service of {pf}", e);
                    err = -Errno.EFAULT;
                }
                if (err == FaultService.VmLockContended)
                {
                    // v4 trylock variant: give the fault back and let the workqueue run something else.
                    _xe.Counters.Add(ModelCounter.TrylockRequeues);
                    Queue.RequeueChain(this, pf);
                    Work.QueueWork();
                    break;
                }

                if (err != 0)
                {
                    if (!pf.HardwarePrefetch)
                    {
                        window = FaultWindow.Invalid; // save_to_vm + print in the driver
                    }
                    else
                    {
                        pf.Gt!.Stats.Increment(GtStatId.InvalidPrefetchPagefaultCount);
                    }
                }
                else
                {
                    window = pf.HintStart != PageFault.InvalidHint
                        ? new FaultWindow(pf.HintStart, pf.HintEnd, pf.Asid)
                        : FaultWindow.Invalid;
                }
            }

            // The leader's slot is FREE (reusable by the producer) once acked: keep what the hook reports.
            var (addr, asid, id) = (pf.PageAddr, pf.Asid, pf.FaultId);
            _xe.Hooks.Fire(HookPoint.BeforeAckWalk, addr, asid, id);
            AckChain(pf, err, window);
            _xe.Hooks.Fire(HookPoint.AfterAckWalk, addr, asid, id);

            if (Stopwatch.GetTimestamp() > threshold)
            {
                _xe.Counters.Add(ModelCounter.WorkerBudgetRequeues);
                Work.QueueWork();
                break;
            }
        }

        // P07: worker runtime on the root GT.
        _xe.RootGt.Stats.Increment(GtStatId.PagefaultUs, (long)Stopwatch.GetElapsedTime(t0).TotalMicroseconds);
    }

    /// <summary>
    /// The ack walk: ack the leader, then each chained fault inside the proven window with the same
    /// error; requeue the others. With P11 batching, consecutive acks to one GuC share one CT-lock
    /// hold (<see cref="GucCt.AckBegin"/> … <see cref="GucCt.AckEnd"/>).
    /// </summary>
    private void AckChain(PageFault leader, int err, FaultWindow window)
    {
        var invalidated = false;
        PageFault? cur = leader;
        while (cur != null)
        {
            var guc = cur.Gt!.Guc;
            if (_xe.Options.BatchedAcks)
            {
                guc.AckBegin();
                do
                {
                    guc.AckInBatch(cur, err);
                    cur = Queue.AckStep(this, cur, ref invalidated, window);
                }
                while (cur != null && ReferenceEquals(cur.Gt!.Guc, guc));

                guc.AckEnd();
            }
            else
            {
                guc.Ack(cur, err);
                cur = Queue.AckStep(this, cur, ref invalidated, window);
            }
        }
    }
}
