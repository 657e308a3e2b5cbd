namespace XeLocked.Xe;

/// <summary>Fault access type (<c>consumer.access_type</c>).</summary>
public enum AccessType : byte
{
    /// <summary>Read access.</summary>
    Read = 0,

    /// <summary>Write access.</summary>
    Write = 1,

    /// <summary>Atomic access: needs VRAM (devmem-only) where the device supports it.</summary>
    Atomic = 2,
}
