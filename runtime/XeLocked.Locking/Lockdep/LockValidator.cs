namespace XeLocked.Locking;

/// <summary>
/// The validator proper (lockdep's <c>__lock_acquire</c>, <c>validate_chain</c>,
/// <c>check_deadlock</c>, <c>check_prevs_add</c>, <c>__lock_release</c>, <c>lock_downgrade</c>).
/// Fast path: a chain already validated costs one hash step and one lock-free lookup; everything
/// else happens on a chain miss, under the graph lock.
/// </summary>
internal static partial class LockValidator
{
    /// <summary>Records an acquisition of <paramref name="map"/>; validates it first unless it is a trylock.</summary>
    /// <exception cref="LockdepViolationException">A violation, in the throwing mode; nothing was pushed.</exception>
    public static void Acquire(LockdepMap map, int read, int subclass, bool trylock, string file, int line)
    {
        var stack = HeldStack.Current;
        if (AsyncFlow.Exists && AsyncFlow.CurrentOrNull is { } flow)
        {
            // Inside an async flow: the held set is the thread's locks and the flow's.
            lock (flow.Sync)
            {
                if (flow.Stack.Depth > 0)
                {
                    AcquireMerged(stack, flow.Stack, map, read, subclass, trylock, file, line);
                    return;
                }
            }
        }

        AcquireOn(stack, map, read, subclass, trylock, file, line);
    }

    /// <summary>Validates and pushes an acquisition on <paramref name="stack"/> alone.</summary>
    private static void AcquireOn(HeldStack stack, LockdepMap map, int read, int subclass, bool trylock, string file, int line)
    {
        var cls = map.GetClass(subclass);
        var key = ChainKey.Next(stack.ChainKey, cls.Id, read);
        var depth = stack.Depth;

        // Fast path: the first lock of a chain, a trylock (it cannot deadlock: lockdep skips
        // validate_chain for it), or a chain validated before.
        if (depth > 0 && (depth >= HeldStack.MaxDepth || (!trylock && LockdepState.Validating && !ChainCache.Contains(key))))
        {
            AcquireSlow(stack, map, cls, read, trylock, key, file, line);
        }

        stack.Push(map, cls, read, trylock, key, file, line);
    }

    /// <summary>
    /// Validates an acquisition against the union of <paramref name="own"/> (where it is pushed) and
    /// <paramref name="other"/> (the thread's stack for an async lock, the flow's for a thread lock),
    /// then pushes it on <paramref name="own"/>. The chain cache is keyed by the merged sequence.
    /// </summary>
    private static void AcquireMerged(HeldStack own, HeldStack other, LockdepMap map, int read, int subclass, bool trylock, string file, int line)
    {
        var merged = own.Flow is null ? HeldStack.Merge(own, other) : HeldStack.Merge(other, own);
        var cls = map.GetClass(subclass);
        var mergedKey = ChainKey.Next(merged.ChainKey, cls.Id, read);
        if (merged.Depth >= HeldStack.MaxDepth || (!trylock && LockdepState.Validating && !ChainCache.Contains(mergedKey)))
        {
            AcquireSlow(merged, map, cls, read, trylock, mergedKey, file, line);
        }

        own.Push(map, cls, read, trylock, ChainKey.Next(own.ChainKey, cls.Id, read), file, line);
    }

    private static void AcquireSlow(HeldStack stack, LockdepMap map, LockClass cls, int read, bool trylock, ulong key, string file, int line)
    {
        if (!LockdepState.Validating)
        {
            return;
        }

        if (stack.Depth >= HeldStack.MaxDepth)
        {
            LockdepState.Dispatch(ReportBuilder.DepthExceeded(stack, cls, file, line), canThrow: true);
        }

        if (!trylock && !ChainCache.Contains(key))
        {
            ValidateChain(stack, map, cls, read, key, file, line);
        }
    }

    /// <summary>
    /// Records a release. Returns false when the release is bad and was only recorded, so the
    /// primitive must not be touched. Fast path: the top entry is this instance in this mode; the
    /// thread's stack is exact (an entry is pushed before the primitive blocks and popped again
    /// if the wait fails), so the primitive need not be asked.
    /// </summary>
    /// <exception cref="LockdepViolationException">A bad unlock, in the throwing mode.</exception>
    public static bool Release(LockdepMap map, int read, string file, int line)
    {
        var stack = HeldStack.CurrentOrNull;
        if (stack is { Depth: > 0 })
        {
            ref var top = ref stack.Entries[stack.Depth - 1];
            if (ReferenceEquals(top.Map, map) && SameMode(top.Read, read))
            {
                stack.Pop();
                return true;
            }
        }

        return ReleaseSlow(stack, map, read, PrimitiveHolds(map, read), file, line);
    }

    /// <summary>What the primitive itself says: does the calling thread hold it in the mode of <paramref name="read"/>?</summary>
    private static bool PrimitiveHolds(LockdepMap map, int read) =>
        map.Owner.HeldModeByCurrentThread is { } mode && (mode == XeLocked.Annotations.LockMode.Write) == (read == ReadKind.Exclusive);

    /// <summary>A held write entry became a read entry (<c>lock_downgrade</c>); the entries above it are re-acquired.</summary>
    public static void Downgrade(LockdepMap map)
    {
        var stack = HeldStack.CurrentOrNull;
        var i = stack?.Find(map) ?? -1;
        if (i < 0 || stack!.Entries[i].Read != ReadKind.Exclusive)
        {
            return; // The primitive checked that the caller is the writer; nothing tracked to change.
        }

        var saved = stack.Entries.AsSpan(i, stack.Depth - i).ToArray();
        saved[0].Read = ReadKind.Shared;
        Truncate(stack, i);
        Reacquire(stack, saved);
    }

    /// <summary>A primitive is being disposed. Reports <c>HeldLockFreed</c> if anyone holds it.</summary>
    public static void Freed(LockdepMap map, bool heldByAnyThread)
    {
        var stack = HeldStack.CurrentOrNull;
        var mine = (stack?.Find(map) ?? -1) >= 0;
        if ((mine || heldByAnyThread) && LockdepState.Validating)
        {
            LockdepState.Dispatch(ReportBuilder.HeldLockFreed(stack, map, mine), canThrow: true);
        }

        map.MarkFreed();
    }

    /// <summary>
    /// The calling thread tries to acquire an instance it already holds. Reports
    /// <c>RecursiveLocking</c>; the caller must then refuse the acquisition (it would hang or
    /// silently recurse).
    /// </summary>
    public static void RecursiveInstance(LockdepMap map, int read, int subclass, string file, int line)
    {
        if (!LockdepState.Validating)
        {
            return;
        }

        var stack = HeldStack.Current;
        var cls = map.GetClass(subclass);
        var i = stack.Find(map);
        var held = i >= 0 ? stack.Entries[i] : new HeldStackEntry { Map = map, Subclass = subclass, Read = read, File = "", Line = 0 };
        LockdepState.Dispatch(ReportBuilder.Recursive(stack, cls, read, file, line, held, sameInstance: true), canThrow: true);
    }

    /// <summary>Lockdep's check at return to user space: reports <c>HeldAtExit</c> when the thread holds locks.</summary>
    public static void AssertNoLocksHeld(string what)
    {
        var stack = HeldStack.CurrentOrNull;
        if (stack is { Depth: > 0 } && LockdepState.Validating)
        {
            LockdepState.Dispatch(ReportBuilder.HeldAtExit(stack, what), canThrow: true);
        }

        AssertNoFlowLocksHeld(what);
    }

    private static bool SameMode(int heldRead, int releaseRead) =>
        (heldRead == ReadKind.Exclusive) == (releaseRead == ReadKind.Exclusive);

    private static bool ReleaseSlow(HeldStack? stack, LockdepMap map, int read, bool primitiveHeld, string file, int line, string? notHeld = null)
    {
        var i = stack?.Find(map) ?? -1;
        string? problem = null;
        if (i < 0)
        {
            problem = notHeld ?? "but there are no more locks to release!";
        }
        else if (!SameMode(stack!.Entries[i].Read, read))
        {
            problem = $"but it holds the lock for {ReadKind.Describe(stack.Entries[i].Read)}, not for {ReadKind.Describe(read)}!";
        }
        else if (!primitiveHeld)
        {
            problem = "but the lock itself says this thread does not hold it!";
        }

        if (problem is not null)
        {
            if (!LockdepState.Validating)
            {
                return true; // Turned off: let the primitive refuse with its own exception.
            }

            LockdepState.Dispatch(ReportBuilder.BadUnlock(stack, map, read, file, line, problem), canThrow: true);
            return false;
        }

        // Release out of nesting order (allowed): drop the entry, re-acquire the ones above it.
        var above = stack!.Entries.AsSpan(i + 1, stack.Depth - i - 1).ToArray();
        Truncate(stack, i);
        Reacquire(stack, above);
        return true;
    }

    private static void Truncate(HeldStack stack, int depth)
    {
        Volatile.Write(ref stack.Version, stack.Version + 1); // for HeldStackRegistry's stable reads
        stack.ChainKey = stack.Entries[depth].PrevChainKey;
        Array.Clear(stack.Entries, depth, stack.Depth - depth);
        stack.Depth = depth;
    }

    /// <summary>
    /// Pushes <paramref name="entries"/> again, validating chains that are new (lockdep's
    /// <c>reacquire_held_locks</c>). Reports found here are recorded, never thrown: the release or
    /// downgrade that triggered them has already happened.
    /// </summary>
    private static void Reacquire(HeldStack stack, HeldStackEntry[] entries)
    {
        foreach (var h in entries)
        {
            var key = ChainKey.Next(stack.ChainKey, h.Class.Id, h.Read);
            if (!h.Trylock && stack.Depth > 0 && LockdepState.Validating && !ChainCache.Contains(key))
            {
                LockdepReport? report;
                lock (LockdepState.GraphLock)
                {
                    report = CheckChain(stack, h.Map, h.Class, h.Read, h.File, h.Line);
                    ChainCache.Add(key);
                }

                if (report is not null)
                {
                    LockdepState.Dispatch(report, canThrow: false);
                }
            }

            stack.Push(h.Map, h.Class, h.Read, h.Trylock, key, h.File, h.Line);
        }
    }

    private static void ValidateChain(HeldStack stack, LockdepMap map, LockClass next, int read, ulong key, string file, int line)
    {
        LockdepReport? report;
        lock (LockdepState.GraphLock)
        {
            if (ChainCache.Contains(key))
            {
                return;
            }

            report = CheckChain(stack, map, next, read, file, line);

            // In the throwing mode the acquisition does not happen, so the chain is not validated:
            // trying it again reports it again. In the recording mode a bad chain is cached (each
            // reported once per process) unless a capture scope is collecting: then it is
            // re-validated each time and the scope de-duplicates, so that every test sees the
            // violations it causes even if another test hit the same chain before.
            if (report is null || (LockdepState.EffectiveMode == LockdepMode.Record && LockdepState.CurrentCapture is null))
            {
                ChainCache.Add(key);
            }
        }

        if (report is not null)
        {
            LockdepState.Dispatch(report, canThrow: true);
        }
    }

    /// <summary>Validates <paramref name="next"/> against the held stack. Caller holds the graph lock.</summary>
    private static LockdepReport? CheckChain(HeldStack stack, LockdepMap map, LockClass next, int read, string file, int line)
    {
        var held = stack.Entries;
        var depth = stack.Depth;

        // check_deadlock: the same class held already (any instance). Recursive read after read is fine.
        for (var i = 0; i < depth; i++)
        {
            if (ReferenceEquals(held[i].Class, next))
            {
                if (read == ReadKind.SharedRecursive && held[i].Read != ReadKind.Exclusive)
                {
                    continue;
                }

                return ReportBuilder.Recursive(stack, next, read, file, line, held[i], ReferenceEquals(held[i].Map, map));
            }
        }

        // Beyond lockdep: the declared order, against every held lock (not only the top one).
        var order = DeclaredOrder.Current;
        if (order.Edges.Count > 0)
        {
            for (var i = 0; i < depth; i++)
            {
                var heldName = held[i].Class.DeclaredName;
                if (heldName != next.DeclaredName && order.MustPrecede(next.DeclaredName, heldName))
                {
                    return ReportBuilder.DeclaredOrder(stack, next, read, file, line, held[i], order.Explain(next.DeclaredName, heldName));
                }
            }
        }

        // check_prevs_add: from the top down to the first non-trylock entry.
        for (var i = depth - 1; i >= 0; i--)
        {
            if (CheckPrevAdd(stack, held[i], next, read, file, line) is { } report)
            {
                return report;
            }

            if (!held[i].Trylock)
            {
                break;
            }
        }

        return null;
    }

    /// <summary>
    /// Lockdep's <c>check_prev_add</c>: cycle search, then add (or widen) the edge <c>prev → next</c>.
    /// Beyond lockdep, a search that finds no cycle over observed edges is continued through the
    /// declared order, which reports a cycle that closes only through declared edges.
    /// </summary>
    private static LockdepReport? CheckPrevAdd(HeldStack stack, in HeldStackEntry prev, LockClass next, int read, string file, int line)
    {
        var bit = DependencyEdge.DepBit(prev.Read, read);
        var edge = DependencyGraph.Find(prev.Class, next);
        var order = DeclaredOrder.Current;
        var known = edge is not null && (edge.Dep & bit) != 0;
        if (known && (order.Edges.Count == 0 || ReferenceEquals(edge!.CheckedAgainst, order)))
        {
            return null; // Known with this very type: validated when it was added.
        }

        // Not known; or known, but a declared order loaded since may close a cycle through it (the
        // load cleared the chain cache, so that chains seen before it are validated against it).
        if (DependencySearch.FindCycle(next, read, prev.Class, prev.Read) is { } path)
        {
            return ReportBuilder.Circular(stack, next, read, file, line, prev, path);
        }

        // Beyond lockdep: no cycle over observed edges alone, but one through the declared order?
        if (order.Edges.Count > 0 && DependencySearch.FindCycleThroughDeclared(order, prev.Class, prev.Read) is { } hops)
        {
            return ReportBuilder.DeclaredCycle(stack, next, read, file, line, prev, hops);
        }

        if (edge is not null)
        {
            edge.Dep |= bit;
        }
        else
        {
            edge = DependencyGraph.Add(prev.Class, next, bit, prev, file, line);
        }

        edge.CheckedAgainst = order;
        return null;
    }
}
