namespace XeLocked.Xe;

/// <summary>What backs a VMA.</summary>
public enum VmaKind
{
    /// <summary>A buffer object (VM-private: it shares the VM's dma-resv).</summary>
    Bo,

    /// <summary>A userptr: CPU pages pinned through an MMU interval notifier.</summary>
    Userptr,

    /// <summary>A CPU-address-mirror VMA: faults go through SVM ranges.</summary>
    CpuAddrMirror,
}
