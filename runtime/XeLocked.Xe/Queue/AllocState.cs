namespace XeLocked.Xe;

/// <summary>The alloc state of a queue entry (P08). Transitions happen under <c>PageFaultQueue.Lock</c>.</summary>
public enum AllocState
{
    /// <summary>Unused; may be overwritten by the producer, a retry or a requeue.</summary>
    Free = 0,

    /// <summary>Enqueued; may be dequeued by a worker.</summary>
    Queued = 1,

    /// <summary>Chained onto an ACTIVE leader; acked when the leader completes.</summary>
    Chained = 2,

    /// <summary>Dequeued; the worker's currently serviced fault (its chain hangs off <c>next</c>).</summary>
    Active = 3,
}
