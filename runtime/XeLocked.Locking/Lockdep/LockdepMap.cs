namespace XeLocked.Locking;

/// <summary>
/// Per-instance lockdep state (the kernel's <c>struct lockdep_map</c>): which primitive this is,
/// its class name, and its cached classes (<c>class_cache</c>). Allocated only when the tracker is
/// on. When the tracker is on and the primitive is garbage-collected while still held (its holder
/// thread ended without releasing it), the finalizer records a <c>HeldLockFreed</c> report.
/// </summary>
internal sealed class LockdepMap
{
    /// <summary>Subclasses per class (<c>MAX_LOCKDEP_SUBCLASSES</c>).</summary>
    public const int MaxSubclasses = 8;

    private LockClass? _class0;
    private LockClass?[]? _subclasses;

    public LockdepMap(ILockdepInstance owner)
    {
        Owner = owner;
        FinalizerSink = LockdepState.CurrentCapture;
    }

    /// <summary>Where a report from the finalizer goes: the capture scope active when the lock was created.</summary>
    public LockdepReportCapture? FinalizerSink { get; }

    /// <summary>The primitive.</summary>
    public ILockdepInstance Owner { get; }

    /// <summary>Its lock class name.</summary>
    public string ClassName => Owner.ClassName;

    /// <summary>The class for <paramref name="subclass"/>, from the cache or the registry.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public LockClass GetClass(int subclass) =>
        subclass == 0 && _class0 is { } c ? c : GetClassSlow(subclass);

    private LockClass GetClassSlow(int subclass)
    {
        if (subclass == 0)
        {
            return _class0 ??= LockClassRegistry.Get(ClassName, 0);
        }

        var cache = _subclasses ??= new LockClass?[MaxSubclasses];
        return cache[subclass] ??= LockClassRegistry.Get(ClassName, subclass);
    }

    /// <summary>Called when the primitive was disposed: no finalizer check any more.</summary>
    public void MarkFreed() => GC.SuppressFinalize(this);

    ~LockdepMap()
    {
        try
        {
            if (Owner.IsLockedByAnyThread)
            {
                LockdepState.DispatchFromFinalizer(ReportBuilder.HeldLockFinalized(this), FinalizerSink);
            }
        }
        catch
        {
            // A finalizer must never throw: that would end the process.
        }
    }
}

/// <summary>What the tracker needs from a primitive beyond <see cref="ITrackedLock"/>.</summary>
internal interface ILockdepInstance : ITrackedLock
{
    /// <summary>True when some thread holds the lock (for the finalizer's held-lock-freed check).</summary>
    bool IsLockedByAnyThread { get; }

    /// <summary>True for an async lock, whose holds belong to an async flow rather than a thread.</summary>
    bool HeldByAsyncFlow => false;
}
