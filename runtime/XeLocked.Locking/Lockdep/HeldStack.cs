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

    /// <summary>
    /// The sequence that orders the entries of a thread's stack and of an async flow's stack against
    /// each other (for <see cref="Merge"/>): an async entry takes the next value, a thread entry the
    /// current one (0 while no async flow exists), so equal values mean "the thread entry came later".
    /// </summary>
    private static long s_seq;

    public HeldStack()
    {
        ThreadId = Environment.CurrentManagedThreadId;
        ThreadName = Thread.CurrentThread.Name;
        Owner = Thread.CurrentThread;
        FinalizerSink = LockdepState.CurrentCapture;
        Label = $"{ThreadName ?? "thread"}/{ThreadId}";
        HeldStackRegistry.Register(this);
    }

    /// <summary>A stack that belongs to no thread: an async flow's (<paramref name="flow"/>), or a merged copy used for one validation (null).</summary>
    private HeldStack(AsyncFlow? flow, string label)
    {
        Flow = flow;
        Owner = null;
        Label = label;
        FinalizerSink = LockdepState.CurrentCapture;
        if (flow is null)
        {
            GC.SuppressFinalize(this); // a scratch copy: the locks are checked where they really live
        }
    }

    /// <summary>The held-lock stack of an async flow.</summary>
    public static HeldStack ForFlow(AsyncFlow flow) => new(flow, "async flow " + flow.Label);

    /// <summary>
    /// The union of a thread's and an async flow's held locks, in acquisition order (by their
    /// sequence numbers), with its chain key: what an acquisition by that thread inside that flow
    /// is validated against. A copy: pushing to it changes neither stack.
    /// </summary>
    public static HeldStack Merge(HeldStack thread, HeldStack flow)
    {
        var m = new HeldStack(null, thread.Label + " in " + flow.Label);
        int i = 0, j = 0;
        while (i < thread.Depth || j < flow.Depth)
        {
            var takeFlow = i == thread.Depth || (j < flow.Depth && flow.Entries[j].Seq <= thread.Entries[i].Seq);
            ref var e = ref takeFlow ? ref flow.Entries[j++] : ref thread.Entries[i++];
            m.Push(e.Map, e.Class, e.Read, e.Trylock, XeLocked.Locking.ChainKey.Next(m.ChainKey, e.Class.Id, e.Read), e.File, e.Line);
            m.Entries[m.Depth - 1].Seq = e.Seq;
        }

        return m;
    }

    /// <summary>The owning thread (for <see cref="HeldStackRegistry"/>: a finished thread's stack is not shown); null for a flow's stack.</summary>
    public Thread? Owner { get; }

    /// <summary>The async flow whose stack this is, or null for a thread's.</summary>
    public AsyncFlow? Flow { get; }

    /// <summary>How reports name the holder: <c>name/id</c> for a thread, <c>async flow name#id</c> for a flow.</summary>
    public string Label { get; }

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
    public HeldStackEntry[] Entries = new HeldStackEntry[8];

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
        e.Seq = Flow is not null ? Interlocked.Increment(ref s_seq) : AsyncFlow.Exists ? Volatile.Read(ref s_seq) : 0;
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
    public HeldStackEntry[] Snapshot() => Entries.AsSpan(0, Depth).ToArray();

    ~HeldStack()
    {
        try
        {
            if (Depth > 0)
            {
                LockdepState.DispatchFromFinalizer(Flow is null ? ReportBuilder.ThreadEndedHoldingLocks(this) : ReportBuilder.FlowEndedHoldingLocks(this), FinalizerSink);
            }
        }
        catch
        {
            // A finalizer must never throw: that would end the process.
        }
    }
}
