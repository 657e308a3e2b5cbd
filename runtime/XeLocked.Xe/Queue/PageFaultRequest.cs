namespace XeLocked.Xe;

/// <summary>
/// What the producer (the GuC G2H page-fault message, parsed) hands to
/// <see cref="XeDevice.SubmitFault"/>.
/// </summary>
/// <param name="Asid">Address-space id of the faulting context.</param>
/// <param name="Address">Faulting GPU virtual address (page aligned by the model).</param>
/// <param name="Access">Read, write or atomic.</param>
/// <param name="Gt">The GT that faulted (0-based, &lt; <see cref="XeOptions.NumGts"/>).</param>
public readonly record struct PageFaultRequest(uint Asid, ulong Address, AccessType Access = AccessType.Read, int Gt = 0)
{
    /// <summary>A TRVA fault: the producer NACKs it (<c>fault_type_level = NACK</c>); it is acked with -EFAULT.</summary>
    public bool Nack { get; init; }

    /// <summary>A hardware prefetch fault (<c>XE_PAGEFAULT_ACCESS_PREFETCH</c>): failures are counted, not logged.</summary>
    public bool HardwarePrefetch { get; init; }

    /// <summary>Engine class (4 bits; P06 packs class and instance into one byte).</summary>
    public byte EngineClass { get; init; }

    /// <summary>Engine instance (4 bits).</summary>
    public byte EngineInstance { get; init; }
}

/// <summary>The IRQ handler's answer to one fault.</summary>
/// <param name="Error">0 when accepted, -ENOSPC when the queue was full (dropped with a warning), -EINVAL for a bad GT.</param>
/// <param name="FaultId">The fault's id (for <see cref="FaultLedger"/>), 0 when not accepted.</param>
public readonly record struct FaultSubmission(int Error, long FaultId)
{
    /// <summary>True when the handler accepted the fault (it will be acked exactly once, or squashed by a reset).</summary>
    public bool Accepted => Error == 0;
}
