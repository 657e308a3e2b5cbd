namespace XeLocked.Locking;

/// <summary>
/// Per-instance lockdep state (the kernel's <c>struct lockdep_map</c>): which primitive this is and
/// its class name. The tracker hangs its cached class lookups here.
/// </summary>
internal sealed class LockdepMap
{
    /// <summary>Subclasses per class (<c>MAX_LOCKDEP_SUBCLASSES</c>).</summary>
    public const int MaxSubclasses = 8;

    public LockdepMap(ITrackedLock owner) => Owner = owner;

    /// <summary>The primitive.</summary>
    public ITrackedLock Owner { get; }

    /// <summary>Its lock class name.</summary>
    public string ClassName => Owner.ClassName;
}
