using XeLocked.Annotations;
using XeLocked.Locking;

namespace XeLocked.Xe;

/// <summary>P08: the fault-storm cache: pop with chaining and drain, try_chain, unchain and requeue, the ack-walk step, reset.</summary>
public sealed partial class PageFaultQueue
{
    /// <summary>The default chaining window (2 MiB).</summary>
    internal const ulong ChainWindow = 2UL << 20;

    /// <summary>The window of a requeued fault (4 KiB).</summary>
    internal const ulong RequeueWindow = 4UL << 10;

    /// <summary>No extra stat (pop/drain chains count only CHAIN_PAGEFAULT_COUNT).</summary>
    private const GtStatId GtStatIdNone = (GtStatId)(-1);

    /// <summary>
    /// <c>xe_pagefault_queue_pop</c>: the first QUEUED entry that does not chain becomes this worker's
    /// ACTIVE fault and sets its cache window (2 MiB, or 4 KiB for a requeued fault); then the drain
    /// step chains every following entry that matches any cache. False when the queue is empty.
    /// </summary>
    [Excludes("Lock")]
    internal bool Pop(PageFaultWorker worker, out PageFault? pf)
    {
        var chaining = _xe.Options.Chaining;
        using var g = Lock.Guard();
        PageFault lpf;
        while (true)
        {
            if (IsEmpty())
            {
                pf = null;
                return false;
            }

            lpf = TailEntryLocked();
            AdvanceTailLocked();
            if (StateOf(lpf) != AllocState.Queued)
            {
                continue;
            }

            if (chaining && TryChainLocked(lpf, GtStatIdNone))
            {
                continue;
            }

            break;
        }

        var align = lpf.Requeued ? RequeueWindow : ChainWindow;
        var start = lpf.PageAddr & ~(align - 1);
        _caches[worker.QueueSlot] = new WorkerCache(start, start + align, lpf.Asid, lpf);
        SetState(lpf, AllocState.Active);

        while (chaining && !IsEmpty())
        {
            var next = TailEntryLocked();
            if (StateOf(next) != AllocState.Queued)
            {
                AdvanceTailLocked();
                continue;
            }

            if (!TryChainLocked(next, GtStatIdNone))
            {
                break;
            }

            AdvanceTailLocked();
        }

        pf = lpf;
        return true;
    }

    /// <summary>
    /// <c>xe_pagefault_try_chain</c> (pf QUEUED, lock held): chain onto the ACTIVE leader of any worker
    /// whose cache window holds the address (same ASID). A fault that carries a chain never chains.
    /// </summary>
    [Requires("Lock")]
    internal bool TryChainLocked(PageFault pf, GtStatId extraStat)
    {
        Lockdep.AssertHeld(Lock);
        if (NextOf(pf) != null)
        {
            return false;
        }

        foreach (var c in _caches)
        {
            if (!c.IsValid)
            {
                continue;
            }

            var end = pf.Requeued ? c.Start + RequeueWindow : c.End;
            if (pf.PageAddr < c.Start || pf.PageAddr >= end || pf.Asid != c.Asid)
            {
                continue;
            }

            var gt = pf.Gt!;
            gt.Stats.Increment(GtStatId.ChainPagefaultCount);
            if (extraStat != GtStatIdNone)
            {
                gt.Stats.Increment(extraStat);
            }

            SetState(pf, AllocState.Chained);
            SetNext(pf, NextOf(c.Pf!));
            SetNext(c.Pf!, pf);
            return true;
        }

        return false;
    }

    /// <summary>
    /// <c>xe_pagefault_unchain_requeue</c>: frees a chained entry and re-adds its fault at head with the
    /// REQUEUE flag (4 KiB window). No <c>queue_work</c>: the current worker's pop loop finds it (H18).
    /// Returns the old <c>next</c>.
    /// </summary>
    /// <param name="pf">The entry to give back.</param>
    /// <param name="mismatch">True for a chain mismatch (REQUEUE flag, CHAIN_MISMATCH stat); false for the
    /// trylock and reset-fix requeues, which keep the fault's window and do not count as mismatches.</param>
    [Requires("Lock")]
    internal PageFault? UnchainRequeueLocked(PageFault pf, bool mismatch = true)
    {
        Lockdep.AssertHeld(Lock);
        var next = NextOf(pf);
        var payload = pf.Payload() with { Requeued = mismatch || pf.Requeued };
        SetState(pf, AllocState.Free);
        SetNext(pf, null);
        var npf = AddLocked(payload);
        if (npf == null)
        {
            // "PageFault Queue full, shouldn't be possible": the fault is lost (counted).
            payload.Record?.MarkDropped();
            _xe.FaultGone();
        }

        if (mismatch)
        {
            payload.Gt!.Stats.Increment(GtStatId.ChainMismatchPagefaultCount);
        }

        _xe.Counters.Add(ModelCounter.Requeues);
        return next;
    }

    /// <summary>
    /// One step of the ack walk (§3.2): invalidate the worker's cache on the first step (no new chains
    /// onto a finished leader), free <paramref name="pf"/>, follow the chain, requeue chained entries
    /// outside the proven window, and make the next one ACTIVE ("ensure resets are safe").
    /// </summary>
    [Excludes("Lock")]
    internal PageFault? AckStep(PageFaultWorker worker, PageFault pf, ref bool invalidated, in FaultWindow window)
    {
        using var g = Lock.Guard();
        if (!invalidated)
        {
            _caches[worker.QueueSlot] = WorkerCache.Invalid;
            invalidated = true;
        }

        var cur = NextOf(pf);
        SetState(pf, AllocState.Free);
        SetNext(pf, null);
        while (cur != null && !window.Matches(cur))
        {
            cur = UnchainRequeueLocked(cur);
        }

        if (cur != null)
        {
            SetState(cur, AllocState.Active);
        }

        return cur;
    }

    /// <summary>
    /// v4-era trylock failure: give the leader and its chain back to the queue (the v4 code put the
    /// leader back at tail; with stable storage, requeue at head) and invalidate the cache.
    /// </summary>
    [Excludes("Lock")]
    internal void RequeueChain(PageFaultWorker worker, PageFault leader)
    {
        using var g = Lock.Guard();
        _caches[worker.QueueSlot] = WorkerCache.Invalid;
        PageFault? cur = leader;
        while (cur != null)
        {
            cur = UnchainRequeueLocked(cur, mismatch: false);
        }
    }

    /// <summary>
    /// P08 <c>xe_pagefault_queue_reset</c> for <paramref name="gt"/>: frees every QUEUED or CHAINED
    /// entry of that GT without an ack, and cuts the chain of every ACTIVE entry (any GT). Faithful to
    /// the series, a CHAINED entry of another GT whose leader's chain is cut stays CHAINED forever
    /// (H10) unless <see cref="XeOptions.FixH10ResetCrossGtChains"/> requeues it.
    /// </summary>
    /// <returns>The number of entries squashed.</returns>
    [Excludes("Lock")]
    internal int Reset(Gt gt)
    {
        var squashed = 0;
        using var g = Lock.Guard();

        // Pass 1: cut every ACTIVE entry's chain (any GT). With the H10 fix, walk the chain first:
        // this GT's entries are freed, the others requeued. (Walking before pass 2 frees anything
        // keeps each chained entry visited once.)
        foreach (var pf in _data)
        {
            if (StateOf(pf) != AllocState.Active)
            {
                continue;
            }

            var cur = NextOf(pf);
            SetNext(pf, null);
            while (_xe.Options.FixH10ResetCrossGtChains && cur != null)
            {
                if (cur.Gt == gt)
                {
                    var next = NextOf(cur);
                    SetNext(cur, null);
                    SetState(cur, AllocState.Free);
                    squashed++;
                    cur.Record?.MarkSquashed();
                    _xe.FaultGone();
                    cur = next;
                }
                else
                {
                    // The fix: a chained fault of another GT is still owed an ack; requeue it.
                    cur = UnchainRequeueLocked(cur, mismatch: false);
                }
            }
        }

        // Pass 2: free this GT's QUEUED and CHAINED entries without an ack. Faithful to the series, a
        // CHAINED entry of another GT that hung off a cut chain stays CHAINED (H10).
        foreach (var pf in _data)
        {
            var state = StateOf(pf);
            if (pf.Gt != gt || state is AllocState.Active or AllocState.Free)
            {
                continue;
            }

            squashed++;
            pf.Record?.MarkSquashed();
            _xe.FaultGone();
            SetState(pf, AllocState.Free);
            SetNext(pf, null);
        }

        return squashed;
    }
}

/// <summary>A worker-local "last fault serviced OK" window (<c>cache_start/end/asid</c>).</summary>
internal readonly record struct FaultWindow(ulong Start, ulong End, uint Asid)
{
    public static FaultWindow Invalid => new(PageFault.InvalidHint, 0, 0);

    public bool IsValid => Start != PageFault.InvalidHint;

    /// <summary><c>xe_pagefault_match</c> against the proven window: same ASID, address in [start, end).</summary>
    public bool Matches(PageFault pf) => IsValid && pf.Asid == Asid && pf.PageAddr >= Start && pf.PageAddr < End;
}
