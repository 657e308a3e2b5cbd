namespace XeLocked.Xe;

/// <summary>
/// P10 debugfs <c>pagefault_info</c> [INFERRED content]: the queue geometry, the round-robin cursor,
/// every worker's storm-cache window and the number of entries in each alloc state, taken under
/// <c>PageFaultQueue.Lock</c> (one consistent snapshot per queue).
/// </summary>
public sealed record PageFaultInfo
{
    /// <summary>Entry size in bytes (next power of two ≥ sizeof(xe_pagefault)).</summary>
    public int EntrySize { get; init; } = 64;

    /// <summary><c>num_pf_work</c>.</summary>
    public int NumPfWork { get; init; }

    /// <summary>Fine or coarse.</summary>
    public LockingMode Locking { get; init; }

    /// <summary>One entry per queue.</summary>
    public required IReadOnlyList<QueueInfo> Queues { get; init; }

    /// <summary>Human-readable dump, one field per line.</summary>
    public override string ToString()
    {
        var sb = new System.Text.StringBuilder();
        sb.AppendLine($"locking: {Locking}").AppendLine($"num_pf_work: {NumPfWork}").AppendLine($"entry_size: {EntrySize}");
        foreach (var q in Queues)
        {
            sb.AppendLine($"queue[{q.Index}]: size={q.SizeBytes} head={q.Head} tail={q.Tail} current_pf_work={q.CurrentPfWork} " +
                          $"free={q.Free} queued={q.Queued} chained={q.Chained} active={q.Active}");
            foreach (var w in q.Workers)
            {
                sb.AppendLine(w.CacheValid
                    ? $"  worker[{w.Id}]: cache=[0x{w.CacheStart:x}, 0x{w.CacheEnd:x}) asid={w.CacheAsid} leader_slot={w.LeaderSlot}"
                    : $"  worker[{w.Id}]: cache=invalid");
            }
        }

        return sb.ToString();
    }
}

/// <summary>One queue of <see cref="PageFaultInfo"/>.</summary>
public sealed record QueueInfo
{
    /// <summary>Queue index.</summary>
    public int Index { get; init; }

    /// <summary>Size in bytes (entries × 64).</summary>
    public int SizeBytes { get; init; }

    /// <summary>Head, in bytes.</summary>
    public int Head { get; init; }

    /// <summary>Tail, in bytes.</summary>
    public int Tail { get; init; }

    /// <summary>Round-robin worker cursor.</summary>
    public uint CurrentPfWork { get; init; }

    /// <summary>Entries FREE.</summary>
    public int Free { get; init; }

    /// <summary>Entries QUEUED.</summary>
    public int Queued { get; init; }

    /// <summary>Entries CHAINED.</summary>
    public int Chained { get; init; }

    /// <summary>Entries ACTIVE.</summary>
    public int Active { get; init; }

    /// <summary>The queue's workers.</summary>
    public required IReadOnlyList<WorkerInfo> Workers { get; init; }
}

/// <summary>One worker's storm cache.</summary>
public sealed record WorkerInfo
{
    /// <summary>Worker id.</summary>
    public int Id { get; init; }

    /// <summary>False when the cache is invalid (<c>start == U64_MAX</c>).</summary>
    public bool CacheValid { get; init; }

    /// <summary>Cache window start.</summary>
    public ulong CacheStart { get; init; }

    /// <summary>Cache window end.</summary>
    public ulong CacheEnd { get; init; }

    /// <summary>Cache ASID.</summary>
    public uint CacheAsid { get; init; }

    /// <summary>Slot of the ACTIVE leader, -1 when none.</summary>
    public int LeaderSlot { get; init; }
}
