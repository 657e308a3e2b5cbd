namespace XeLocked.Locking;

/// <summary>
/// The validator's entry points for async locks, whose holds belong to an <see cref="AsyncFlow"/>
/// rather than a thread. The checks are the same; the held set an acquisition is validated against
/// is the flow's async locks together with the calling thread's locks, so a cycle may mix both.
/// </summary>
internal static partial class LockValidator
{
    /// <summary>
    /// Records an async-lock acquisition in <paramref name="flow"/>; validates it first unless it is a
    /// trylock. Returns false, and records nothing, when the flow holds <paramref name="map"/> already
    /// (the caller reports that with <see cref="RecursiveInFlow"/>): one pass under the flow's lock.
    /// </summary>
    /// <exception cref="LockdepViolationException">A violation, in the throwing mode; nothing was pushed.</exception>
    public static bool AcquireInFlow(AsyncFlow flow, LockdepMap map, int read, int subclass, bool trylock, string file, int line)
    {
        lock (flow.Sync)
        {
            if (flow.Stack.Find(map) >= 0)
            {
                return false;
            }

            if (HeldStack.CurrentOrNull is { Depth: > 0 } thread)
            {
                AcquireMerged(flow.Stack, thread, map, read, subclass, trylock, file, line);
            }
            else
            {
                AcquireOn(flow.Stack, map, read, subclass, trylock, file, line);
            }

            return true;
        }
    }

    /// <summary>The mode <paramref name="flow"/> holds <paramref name="map"/> in (<see cref="ReadKind"/>), or -1.</summary>
    public static int HeldInFlow(AsyncFlow flow, LockdepMap map)
    {
        lock (flow.Sync)
        {
            var i = flow.Stack.Find(map);
            return i < 0 ? -1 : flow.Stack.Entries[i].Read;
        }
    }

    /// <summary>
    /// Records the release of an async lock by <paramref name="flow"/>. Returns false when the
    /// release is bad and was only recorded, so the primitive must not be touched.
    /// </summary>
    /// <param name="flow">The releasing flow (null: the calling context has none).</param>
    /// <param name="map">The lock.</param>
    /// <param name="read">The mode released.</param>
    /// <param name="holder">Who holds the lock when the flow does not (for the report), or null.</param>
    /// <param name="file">Where the release is.</param>
    /// <param name="line">Where the release is.</param>
    /// <exception cref="LockdepViolationException">A bad unlock, in the throwing mode.</exception>
    public static bool ReleaseInFlow(AsyncFlow? flow, LockdepMap map, int read, string? holder, string file, int line)
    {
        if (flow is null)
        {
            if (!LockdepState.Validating)
            {
                return true;
            }

            LockdepState.Dispatch(ReportBuilder.BadUnlock(HeldStack.CurrentOrNull, map, read, file, line, NotHeld(holder)), canThrow: true);
            return false;
        }

        lock (flow.Sync)
        {
            var stack = flow.Stack;
            if (stack.Depth > 0)
            {
                ref var top = ref stack.Entries[stack.Depth - 1];
                if (ReferenceEquals(top.Map, map) && SameMode(top.Read, read))
                {
                    stack.Pop();
                    return true;
                }
            }

            return ReleaseSlow(stack, map, read, primitiveHeld: true, file, line, NotHeld(holder));
        }
    }

    private static string NotHeld(string? holder) => holder is null
        ? "but this async flow does not hold it!"
        : $"but it is held by {holder}, not by this async flow!";

    /// <summary>
    /// An acquisition announced by <see cref="AcquireInFlow"/> did not happen (cancelled or timed
    /// out): its entry is removed from <paramref name="flow"/>'s stack (never a report).
    /// </summary>
    public static void AbandonInFlow(AsyncFlow flow, LockdepMap map, int read)
    {
        lock (flow.Sync)
        {
            var stack = flow.Stack;
            for (var i = stack.Depth - 1; i >= 0; i--)
            {
                if (ReferenceEquals(stack.Entries[i].Map, map) && SameMode(stack.Entries[i].Read, read))
                {
                    var above = stack.Entries.AsSpan(i + 1, stack.Depth - i - 1).ToArray();
                    Truncate(stack, i);
                    Reacquire(stack, above);
                    return;
                }
            }
        }
    }

    /// <summary>
    /// <paramref name="flow"/> acquires an async lock it holds already (asynchronously or, worse, with
    /// a synchronous wait): reports <c>RecursiveLocking</c> before anything waits; the caller then
    /// refuses the acquisition.
    /// </summary>
    public static void RecursiveInFlow(AsyncFlow flow, LockdepMap map, int read, string file, int line, bool syncWait)
    {
        if (!LockdepState.Validating)
        {
            return;
        }

        LockdepReport report;
        lock (flow.Sync)
        {
            var stack = flow.Stack;
            var i = stack.Find(map);
            var held = i >= 0 ? stack.Entries[i] : new HeldStackEntry { Map = map, Read = read, File = "", Line = 0 };
            report = ReportBuilder.Recursive(stack, map.GetClass(0), read, file, line, held, sameInstance: true,
                syncWait ? "a synchronous wait on an async lock this async flow holds: sync-over-async self-deadlock" : null);
        }

        LockdepState.Dispatch(report, canThrow: true);
    }

    /// <summary>An async lock is being disposed: reports <c>HeldLockFreed</c> if a flow holds it.</summary>
    public static void FreedAsync(LockdepMap map, bool held)
    {
        var flow = AsyncFlow.CurrentOrNull;
        var mine = flow is not null && HeldInFlow(flow, map) >= 0;
        if (held && LockdepState.Validating)
        {
            LockdepState.Dispatch(ReportBuilder.HeldLockFreed(flow?.Stack, map, mine), canThrow: true);
        }

        map.MarkFreed();
    }

    /// <summary>The calling flow's part of <see cref="AssertNoLocksHeld"/>.</summary>
    private static void AssertNoFlowLocksHeld(string what)
    {
        if (AsyncFlow.CurrentOrNull is not { } flow || !LockdepState.Validating)
        {
            return;
        }

        LockdepReport? report = null;
        lock (flow.Sync)
        {
            if (flow.Stack.Depth > 0)
            {
                report = ReportBuilder.HeldAtExit(flow.Stack, what);
            }
        }

        if (report is not null)
        {
            LockdepState.Dispatch(report, canThrow: true);
        }
    }
}
