using System.Runtime.CompilerServices;

namespace XeLocked.Locking;

/// <summary>
/// The calling thread's held locks, bottom first, and the current chain key (the kernel's
/// <c>current-&gt;held_locks</c>, <c>lockdep_depth</c>, <c>curr_chain_key</c>). Touched only by its
/// own thread, so it needs no synchronisation. If the thread ends while it still holds locks, the
/// finalizer records a <c>HeldAtExit</c> report (lockdep's <c>debug_check_no_locks_held</c>).
/// </summary>
internal sealed class HeldStack
{
    /// <summary>Locks one thread may hold at once (<c>MAX_LOCK_DEPTH</c>).</summary>
    public const int MaxDepth = 48;

    [ThreadStatic]
    private static HeldStack? t_current;

    public HeldStack()
    {
        ThreadId = Environment.CurrentManagedThreadId;
        ThreadName = Thread.CurrentThread.Name;
        Owner = Thread.CurrentThread;
        FinalizerSink = LockdepState.CurrentCapture;
        HeldStackRegistry.Register(this);
    }

    /// <summary>The owning thread (for <see cref="HeldStackRegistry"/>: a finished thread's stack is not shown).</summary>
    public Thread Owner { get; }

    /// <summary>Where a report from the finalizer goes: the capture scope active when the thread first locked.</summary>
    public LockdepReportCapture? FinalizerSink { get; }

    /// <summary>The calling thread's stack, created on first use.</summary>
    public static HeldStack Current
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => t_current ?? Create();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static HeldStack Create() => t_current = new HeldStack();

    /// <summary>The calling thread's stack, or null when it never took a tracked lock.</summary>
    public static HeldStack? CurrentOrNull => t_current;

    /// <summary>Entries <c>[0, Depth)</c> are held, bottom first.</summary>
    public HeldLock[] Entries = new HeldLock[8];

    /// <summary>Number of held entries.</summary>
    public int Depth;

    /// <summary>
    /// Bumped before every write of an entry (<see cref="Push"/>, and the validator's truncation
    /// before a re-acquire), so that <see cref="HeldStackRegistry"/> can tell a stable copy from one
    /// taken while the stack left a state and came back to it (same depth and chain key).
    /// </summary>
    public int Version;

    /// <summary>The chain key of the held sequence.</summary>
    public ulong ChainKey = XeLocked.Locking.ChainKey.Initial;

    /// <summary>The owning thread's managed id.</summary>
    public int ThreadId { get; }

    /// <summary>The owning thread's name when the stack was created (null if unnamed).</summary>
    public string? ThreadName { get; }

    /// <summary>Pushes an entry whose chain key <paramref name="newKey"/> was already computed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(LockdepMap map, LockClass cls, int read, bool trylock, ulong newKey, string file, int line)
    {
        Volatile.Write(ref Version, Version + 1);
        if (Depth == Entries.Length)
        {
            Array.Resize(ref Entries, Entries.Length * 2);
        }

        ref var e = ref Entries[Depth];
        e.Map = map;
        e.Subclass = cls.Subclass;
        e.Read = read;
        e.Trylock = trylock;
        e.PrevChainKey = ChainKey;
        e.File = file;
        e.Line = line;
        Depth++;
        ChainKey = newKey;
    }

    /// <summary>
    /// Pops the top entry and restores the chain key below it. The slot is not cleared (that would
    /// cost three GC write barriers on the fast path); it is overwritten by the next push, so at
    /// most <see cref="MaxDepth"/> stale references per thread are kept.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Pop()
    {
        Depth--;
        ChainKey = Entries[Depth].PrevChainKey;
    }

    /// <summary>Index of the topmost entry for <paramref name="map"/>, or -1.</summary>
    public int Find(LockdepMap map)
    {
        for (var i = Depth - 1; i >= 0; i--)
        {
            if (ReferenceEquals(Entries[i].Map, map))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>A copy of the held entries, bottom first (for reports).</summary>
    public HeldLock[] Snapshot() => Entries.AsSpan(0, Depth).ToArray();

    ~HeldStack()
    {
        try
        {
            if (Depth > 0)
            {
                LockdepState.DispatchFromFinalizer(ReportBuilder.ThreadEndedHoldingLocks(this), FinalizerSink);
            }
        }
        catch
        {
            // A finalizer must never throw: that would end the process.
        }
    }
}
