using XeLocked.Annotations;

namespace XeLocked.Locking;

/// <summary>The async locks' part of the site: holds belong to the async flow that acquired.</summary>
internal readonly partial struct LockdepSite
{
    /// <summary>
    /// Before an async lock's blocking (or timed) acquisition waits: validates it and returns the
    /// calling flow (null when the tracker is off). A flow that holds the lock already is a
    /// <c>RecursiveLocking</c> report, then a <see cref="LockRecursionException"/> naming
    /// <paramref name="what"/>: nothing waits.
    /// </summary>
    /// <param name="mode">The mode acquired.</param>
    /// <param name="file">Where the lock is taken.</param>
    /// <param name="line">Where the lock is taken.</param>
    /// <param name="syncWait">The caller blocks its thread (sync-over-async) rather than awaiting.</param>
    /// <param name="what">The primitive, for the exception: "async mutex".</param>
    public AsyncFlow? AnnounceInFlow(LockMode mode, string file, int line, bool syncWait, string what)
    {
        if (!Lockdep.Enabled)
        {
            return null;
        }

        var flow = AsyncFlow.Current;
        if (!AsyncLockdepHooks.Acquiring(flow, _map!, mode, file, line))
        {
            AsyncLockdepHooks.Recursive(flow, _map!, mode, file, line, syncWait);
            throw new LockRecursionException($"{_map!.ClassName}: the async flow that holds this {what} acquires it again.");
        }

        return flow;
    }

    /// <summary>
    /// After a successful non-blocking try-acquisition by the calling flow: records it. False when
    /// the flow held the lock already (nothing recorded); <paramref name="flow"/> is the calling flow.
    /// </summary>
    public bool TryAcquiredInFlow(LockMode mode, string file, int line, out AsyncFlow flow)
    {
        flow = AsyncFlow.Current;
        return AsyncLockdepHooks.TryAcquired(flow, _map!, mode, file, line);
    }

    /// <summary>An acquisition announced by <see cref="AnnounceInFlow"/> did not happen (cancelled, timed out, or it threw).</summary>
    public void AbandonedInFlow(AsyncFlow? flow, LockMode mode)
    {
        if (flow is not null)
        {
            AsyncLockdepHooks.Abandoned(flow, _map!, mode);
        }
    }

    /// <summary>
    /// Before an async lock's release: the flow check (always true when the tracker is off). A
    /// guard used by a context that has no flow yet makes that context part of the guard's flow
    /// <paramref name="guardFlow"/> (the caller of the awaited callee that began it); any other
    /// release is checked against the calling context's flow. False: refused (recorded), the
    /// primitive must not be touched.
    /// </summary>
    /// <param name="guardFlow">The flow a guard was handed by; null for an explicit unlock.</param>
    /// <param name="mode">The mode released.</param>
    /// <param name="holder">The holder of a write hold, as recorded when it was taken; null for a read hold.</param>
    /// <param name="file">Where the lock is released.</param>
    /// <param name="line">Where the lock is released.</param>
    public bool ReleasingInFlow(AsyncFlow? guardFlow, LockMode mode, string? holder, string file, int line)
    {
        if (!Lockdep.Enabled)
        {
            return true;
        }

        var flow = AsyncFlow.CurrentOrNull;
        if (flow is null && guardFlow is not null)
        {
            AsyncFlow.Adopt(guardFlow);
            flow = guardFlow;
        }

        return AsyncLockdepHooks.Releasing(flow, _map!, mode, flow is not null && ReferenceEquals(holder, flow.Holder) ? null : holder, file, line);
    }

    /// <summary>The mode the calling async flow holds the lock in, or null (tracker on only).</summary>
    public LockMode? HeldModeInFlow() =>
        AsyncFlow.CurrentOrNull is { } flow ? AsyncLockdepHooks.HeldMode(flow, _map!) : null;

    /// <summary>The async lock's <see cref="Dispose(ref int, bool, string, string)"/>: the tracker's check is the flows'.</summary>
    public void DisposeInFlow(ref int disposed, bool held, string className, string what) =>
        Dispose(_map, AsyncLockdepHooks.Freed, ref disposed, held, className, what);
}
