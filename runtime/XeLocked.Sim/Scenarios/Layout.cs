namespace XeLocked.Sim.Scenarios;

/// <summary>Where the scenarios put things in a VM's GPU address space.</summary>
internal static class Layout
{
    /// <summary>1 MiB.</summary>
    public const ulong MiB = 1UL << 20;

    /// <summary>2 MiB: the largest SVM range (chunk) size.</summary>
    public const ulong Range2M = 2 * MiB;

    /// <summary>Start of the SVM (CPU-address-mirror) VMA.</summary>
    public const ulong SvmBase = 0x10_0000_0000;

    /// <summary>Start of the BO VMAs.</summary>
    public const ulong BoBase = 0x20_0000_0000;

    /// <summary>Start of the userptr VMA.</summary>
    public const ulong UserptrBase = 0x30_0000_0000;

    /// <summary>An address no VMA covers (faults there are acked with -EINVAL).</summary>
    public const ulong Unmapped = 0x7f_0000_0000;
}
