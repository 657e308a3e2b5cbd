namespace XeLocked.Locking;

/// <summary>
/// One logical async flow, as the tracker sees it: the held-lock stack of the async locks
/// (<see cref="TrackedAsyncMutex"/>, <see cref="TrackedAsyncRwLock"/>) taken in it. The current
/// flow is found through an <see cref="AsyncLocal{T}"/>, so it follows the
/// <see cref="ExecutionContext"/> across awaits and thread hops; the object itself is mutable and
/// shared, so what an awaited callee acquires or releases is seen by its caller.
/// </summary>
/// <remarks>
/// <para>
/// A flow begins at its first async-lock acquisition in a context that has none (it is installed
/// in that context and flows on from there), or explicitly with
/// <see cref="Lockdep.BeginAsyncFlow"/>. An <see cref="AsyncLocal{T}"/> value set inside an awaited
/// async method does not flow back to its caller, so a flow that begins inside an awaited callee is
/// not the caller's until the caller uses one of the guards the callee handed back (see
/// <see cref="Adopt"/>).
/// </para>
/// <para>
/// The stack is guarded by <see cref="Sync"/>: a flow's own steps never overlap, but work it starts
/// without a flow of its own shares the object (it inherits the execution context) and may run
/// concurrently.
/// </para>
/// </remarks>
internal sealed class AsyncFlow
{
    private static readonly AsyncLocal<AsyncFlow?> s_current = new();
    private static int s_nextId;
    private static volatile bool s_exists;

    private AsyncFlow(string? name)
    {
        Id = Interlocked.Increment(ref s_nextId);
        Name = name;
        Label = $"{name ?? "flow"}#{Id}";
        Holder = "async flow " + Label;
        Stack = HeldStack.ForFlow(this);
        s_exists = true;
    }

    /// <summary>True once any flow was created: until then a thread's acquisitions need not look for one.</summary>
    public static bool Exists => s_exists;

    /// <summary>Serialises every access to <see cref="Stack"/>.</summary>
    public Lock Sync { get; } = new();

    /// <summary>The flow's held async locks, bottom first.</summary>
    public HeldStack Stack { get; }

    /// <summary>A process-unique number.</summary>
    public int Id { get; }

    /// <summary>The name given to <see cref="Lockdep.BeginAsyncFlow"/>, or null.</summary>
    public string? Name { get; }

    /// <summary>How reports name the flow: <c>name#id</c>.</summary>
    public string Label { get; }

    /// <summary>How reports name the flow as a holder: <c>async flow name#id</c>.</summary>
    public string Holder { get; }

    /// <summary>The calling code's flow, or null when it has none (one read of an async-local once a flow exists).</summary>
    public static AsyncFlow? CurrentOrNull => s_exists ? s_current.Value : null;

    /// <summary>The calling code's flow, created and installed in its execution context if it has none.</summary>
    public static AsyncFlow Current => (s_exists ? s_current.Value : null) ?? Install(new AsyncFlow(null));

    /// <summary>Starts a new flow in the calling context; returns the flow it replaces.</summary>
    public static AsyncFlow? Begin(string? name, out AsyncFlow flow)
    {
        var previous = s_current.Value;
        flow = Install(new AsyncFlow(name));
        return previous;
    }

    /// <summary>Puts <paramref name="flow"/> back as the calling context's flow (end of a <see cref="Lockdep.BeginAsyncFlow"/> scope).</summary>
    public static void Restore(AsyncFlow? flow) => s_current.Value = flow;

    /// <summary>
    /// The calling context has no flow and uses a guard of <paramref name="flow"/>: it is the caller of
    /// the awaited callee that began the flow, and becomes part of it.
    /// </summary>
    public static void Adopt(AsyncFlow flow) => s_current.Value = flow;

    /// <inheritdoc/>
    public override string ToString() => Label;

    private static AsyncFlow Install(AsyncFlow flow)
    {
        s_current.Value = flow;
        return flow;
    }
}
