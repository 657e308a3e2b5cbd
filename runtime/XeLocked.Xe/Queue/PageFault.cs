namespace XeLocked.Xe;

/// <summary>
/// One 64-byte entry of the page-fault ring (<c>struct xe_pagefault</c>) in stable storage: it stays
/// in place while QUEUED, CHAINED or ACTIVE, and the producer writes only FREE entries.
/// </summary>
/// <remarks>
/// Locking: the entry's alloc state and chain link live in the owning queue (arrays indexed by
/// <see cref="Slot"/>, protected by <c>PageFaultQueue.Lock</c>). The payload (address, ASID, …) is written by the producer or a
/// requeue only while the entry is FREE, under that lock, and is stable afterwards, so the worker
/// that owns the entry (ACTIVE) reads it without the lock. The start/end hint is written and read
/// only by that worker.
/// </remarks>
public sealed class PageFault
{
    /// <summary>The "no hint" value of <see cref="HintStart"/> (<c>U64_MAX</c>).</summary>
    internal const ulong InvalidHint = ulong.MaxValue;

    internal PageFault(PageFaultQueue queue, int slot)
    {
        Queue = queue;
        Slot = slot;
    }

    /// <summary>The queue this entry belongs to.</summary>
    internal PageFaultQueue Queue { get; }

    /// <summary>The slot index in the ring.</summary>
    public int Slot { get; }

    // ------------------------------------------------ payload (stable while not FREE)

    /// <summary>The model's fault id (the producer's private message data).</summary>
    internal long FaultId;

    /// <summary>The GT that faulted (<c>pf.gt</c>).</summary>
    internal Gt? Gt;

    /// <summary><c>consumer.page_addr</c>.</summary>
    internal ulong PageAddr;

    /// <summary><c>consumer.asid</c>.</summary>
    internal uint Asid;

    /// <summary><c>consumer.access_type</c> (without the prefetch bit).</summary>
    internal AccessType Access;

    /// <summary><c>XE_PAGEFAULT_ACCESS_PREFETCH</c>.</summary>
    internal bool HardwarePrefetch;

    /// <summary><c>fault_type_level == XE_PAGEFAULT_TYPE_LEVEL_NACK</c>.</summary>
    internal bool Nack;

    /// <summary>P08 REQUEUE bit in <c>fault_type_level</c>: requeued after a chain mismatch (4 KiB window).</summary>
    internal bool Requeued;

    /// <summary>P06: engine class in bits 3:0, instance in bits 7:4.</summary>
    internal byte EngineClassInstance;

    /// <summary>The ledger record (for ack accounting and latency).</summary>
    internal FaultRecord? Record;

    // ------------------------------------------------ worker-owned

    /// <summary>P08 hint: start of the VA span the service proved valid (owner worker only).</summary>
    internal ulong HintStart = InvalidHint;

    /// <summary>P08 hint: end of that span.</summary>
    internal ulong HintEnd;

    /// <summary>
    /// Copies the payload of <paramref name="src"/> into this entry. Only the queue calls it, on a FREE
    /// entry, under its lock (the producer "must only write into entries in the FREE state").
    /// </summary>
    internal void CopyPayloadFrom(in PageFaultPayload src)
    {
        FaultId = src.FaultId;
        Gt = src.Gt;
        PageAddr = src.PageAddr;
        Asid = src.Asid;
        Access = src.Access;
        HardwarePrefetch = src.HardwarePrefetch;
        Nack = src.Nack;
        Requeued = src.Requeued;
        EngineClassInstance = src.EngineClassInstance;
        Record = src.Record;
        HintStart = InvalidHint;
        HintEnd = 0;
    }

    /// <summary>The payload as a value (for requeue: copy out, free, copy into a new slot).</summary>
    internal PageFaultPayload Payload() => new(FaultId, Gt, PageAddr, Asid, Access, HardwarePrefetch, Nack, Requeued, EngineClassInstance, Record);

    /// <inheritdoc/>
    public override string ToString() => $"pf[{Slot}] id={FaultId} asid={Asid} addr=0x{PageAddr:x} gt={Gt?.Id}";
}

/// <summary>The payload of a <see cref="PageFault"/> as a value.</summary>
internal readonly record struct PageFaultPayload(
    long FaultId, Gt? Gt, ulong PageAddr, uint Asid, AccessType Access, bool HardwarePrefetch, bool Nack,
    bool Requeued, byte EngineClassInstance, FaultRecord? Record);
