namespace XeLocked.Xe;

/// <summary>What the model tells a hook about the point that fired (all fields optional).</summary>
public sealed class HookContext
{
    /// <summary>The point that fired.</summary>
    public HookPoint Point { get; init; }

    /// <summary>The faulting or affected address, when there is one.</summary>
    public ulong Address { get; init; }

    /// <summary>The ASID of the VM involved, when there is one.</summary>
    public uint Asid { get; init; }

    /// <summary>The fault's id (see <see cref="FaultSubmission.FaultId"/>), when a fault is involved.</summary>
    public long FaultId { get; init; }

    /// <summary>The SVM range involved, when there is one.</summary>
    public SvmRange? Range { get; init; }

    /// <summary>The VMA involved, when there is one.</summary>
    public Vma? Vma { get; init; }

    /// <summary>The SVM fault's migration timeslice in ms at this point (<c>ctx.timeslice_ms</c>), when relevant.</summary>
    public int TimesliceMs { get; init; }

    /// <summary>How many times this thread reached this point for the same operation (retries).</summary>
    public int Attempt { get; init; }
}
