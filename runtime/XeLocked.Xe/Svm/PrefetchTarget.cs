namespace XeLocked.Xe;

/// <summary>Where a prefetch bind moves the memory.</summary>
public enum PrefetchTarget
{
    /// <summary>System memory (inline, never threaded: P03 v2 "Skip threaded prefetch … if prefetching to SRAM").</summary>
    Sram,

    /// <summary>VRAM of the device (threaded when more than one range: P03).</summary>
    Vram,
}
