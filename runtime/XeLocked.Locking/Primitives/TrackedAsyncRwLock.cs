using System.Runtime.CompilerServices;
using XeLocked.Annotations;

namespace XeLocked.Locking;

/// <summary>
/// An async reader-writer lock: <c>await using (await l.ReadLockAsync()) { ... }</c> for shared
/// holds, <c>WriteLockAsync</c> for exclusive ones. Not bound to a thread, so it may be held across
/// <c>await</c>; one FIFO queue for both modes: a release grants the head of the queue — one writer,
/// or the run of readers at the head — and a reader that arrives while a writer waits queues behind
/// it, so writers are not starved (readers are non-recursive, as the kernel's <c>down_read</c>).
/// Cancellation and timeouts never leave it held nor a waiter stranded. Validated by the lockdep
/// tracker when it is on, with its holds belonging to the async flow (see
/// <c>docs/lockdep.md</c>, "Async flows").
/// </summary>
/// <remarks>
/// Uncontended acquisitions and releases are one compare-and-swap each and allocate nothing; a
/// wait allocates its queue node. With the tracker on, acquiring it again in an async flow that
/// holds it (any mode) is a <c>RecursiveLocking</c> report before anything waits, and releasing it
/// from another flow or in the other mode is a <c>BadUnlockBalance</c>. With the tracker off it knows
/// how it is held, not by whom (see <see cref="TrackedAsyncMutex"/>).
/// </remarks>
/// <example>
/// <code>
/// public readonly TrackedAsyncRwLock Index = new("Catalog.Index");
///
/// await using (await catalog.Index.ReadLockAsync(ct)) { ... }
/// await using (await catalog.Index.WriteLockAsync(ct)) { ... }
/// </code>
/// </example>
[LockPrimitive(LockKind.ReaderWriter, AsyncAware = true)]
public sealed class TrackedAsyncRwLock : ITrackedLock, ILockdepInstance, IDisposable
{
    private readonly AsyncLockQueue _queue = new();
    private readonly LockdepMap? _map;
    private string? _writer;
    private int _disposed;

    /// <summary>Creates an async reader-writer lock of the lock class <paramref name="className"/>.</summary>
    /// <param name="className">The lockdep class, <c>"TypeName.MemberName"</c> by convention.</param>
    /// <exception cref="ArgumentException">The name is null, empty or white space.</exception>
    public TrackedAsyncRwLock(string className)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(className);
        ClassName = className;
        _map = Lockdep.Enabled ? new LockdepMap(this) : null;
    }

    /// <inheritdoc/>
    public string ClassName { get; }

    /// <inheritdoc/>
    public LockKind Kind => LockKind.ReaderWriter;

    /// <summary>True when the calling async flow holds the lock in any mode (tracker on); with the tracker off, when anyone holds it.</summary>
    public bool IsHeldByCurrentThread => HeldModeByCurrentThread.HasValue;

    /// <summary>The mode the calling async flow holds the lock in (tracker on; with it off, the mode anyone holds it in), or null.</summary>
    public LockMode? HeldModeByCurrentThread =>
        Lockdep.Enabled
            ? AsyncFlow.CurrentOrNull is { } flow ? AsyncLockdepHooks.HeldMode(flow, _map!) : null
            : _queue.IsWriteHeld ? LockMode.Write : _queue.Readers > 0 ? LockMode.Read : null;

    /// <summary>True when a writer holds the lock.</summary>
    public bool IsWriteLocked => _queue.IsWriteHeld;

    /// <summary>Readers holding the lock.</summary>
    public int ReaderCount => _queue.Readers;

    /// <summary>Acquisitions (of either mode) waiting in the queue.</summary>
    public int WaiterCount => _queue.QueuedCount;

    /// <inheritdoc/>
    bool ILockdepInstance.IsLockedByAnyThread => _queue.IsHeld;

    /// <inheritdoc/>
    bool ILockdepInstance.HeldByAsyncFlow => true;

    /// <summary>Acquires a shared hold, waiting asynchronously (FIFO) while a writer holds or waits. Dispose the guard to release it.</summary>
    /// <param name="cancellationToken">Cancels the wait; the lock is then not taken and the wait throws <see cref="OperationCanceledException"/>.</param>
    /// <param name="file">Filled in by the compiler: where the lock is taken, for lockdep reports.</param>
    /// <param name="line">Filled in by the compiler: where the lock is taken, for lockdep reports.</param>
    /// <returns>The guard, completed synchronously when the lock could be shared at once.</returns>
    /// <exception cref="LockdepViolationException">The tracker found a violation (throwing mode); nothing was taken.</exception>
    [Acquires("this:read")]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ValueTask<AsyncReadGuard> ReadLockAsync(CancellationToken cancellationToken = default,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        if (!Lockdep.Enabled && _queue.TryReadFast())
        {
            return new ValueTask<AsyncReadGuard>(new AsyncReadGuard(this, null));
        }

        return ReadLockSlow(cancellationToken, file, line);
    }

    /// <summary>Acquires the exclusive hold, waiting asynchronously (FIFO) while anyone holds it. Dispose the guard to release it.</summary>
    /// <param name="cancellationToken">Cancels the wait; the lock is then not taken and the wait throws <see cref="OperationCanceledException"/>.</param>
    /// <param name="file">Filled in by the compiler: where the lock is taken, for lockdep reports.</param>
    /// <param name="line">Filled in by the compiler: where the lock is taken, for lockdep reports.</param>
    /// <returns>The guard, completed synchronously when the lock was free.</returns>
    /// <exception cref="LockdepViolationException">The tracker found a violation (throwing mode); nothing was taken.</exception>
    [Acquires("this:write")]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ValueTask<AsyncWriteGuard> WriteLockAsync(CancellationToken cancellationToken = default,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        if (!Lockdep.Enabled && _queue.TryWriteFast())
        {
            return new ValueTask<AsyncWriteGuard>(new AsyncWriteGuard(this, null));
        }

        return WriteLockSlow(cancellationToken, file, line);
    }

    /// <summary>Tries to acquire a shared hold within <paramref name="timeout"/>; release it with <see cref="UnlockRead"/>. A zero timeout never waits (a trylock).</summary>
    /// <param name="timeout">Zero, positive, or <see cref="Timeout.InfiniteTimeSpan"/>.</param>
    /// <param name="cancellationToken">Cancels the wait (throws <see cref="OperationCanceledException"/>).</param>
    /// <param name="file">Filled in by the compiler: where the lock is taken, for lockdep reports.</param>
    /// <param name="line">Filled in by the compiler: where the lock is taken, for lockdep reports.</param>
    /// <returns>True when the calling flow now holds it for reading.</returns>
    [TryAcquires(true, "this:read")]
    public ValueTask<bool> TryReadLockAsync(TimeSpan timeout, CancellationToken cancellationToken = default,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        TryAsync(write: false, timeout, cancellationToken, file, line);

    /// <summary>Tries to acquire the exclusive hold within <paramref name="timeout"/>; release it with <see cref="UnlockWrite"/>. A zero timeout never waits (a trylock).</summary>
    /// <param name="timeout">Zero, positive, or <see cref="Timeout.InfiniteTimeSpan"/>.</param>
    /// <param name="cancellationToken">Cancels the wait (throws <see cref="OperationCanceledException"/>).</param>
    /// <param name="file">Filled in by the compiler: where the lock is taken, for lockdep reports.</param>
    /// <param name="line">Filled in by the compiler: where the lock is taken, for lockdep reports.</param>
    /// <returns>True when the calling flow now holds it for writing.</returns>
    [TryAcquires(true, "this:write")]
    public ValueTask<bool> TryWriteLockAsync(TimeSpan timeout, CancellationToken cancellationToken = default,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        TryAsync(write: true, timeout, cancellationToken, file, line);

    /// <summary>Acquires a shared hold, blocking the calling thread while needed. A synchronous wait for a lock the calling flow holds is reported first (tracker on).</summary>
    /// <param name="file">Filled in by the compiler: where the lock is taken, for lockdep reports.</param>
    /// <param name="line">Filled in by the compiler: where the lock is taken, for lockdep reports.</param>
    [Acquires("this:read")]
    public void ReadLock([CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => LockSync(write: false, file, line);

    /// <summary>Acquires the exclusive hold, blocking the calling thread while needed. A synchronous wait for a lock the calling flow holds is reported first (tracker on).</summary>
    /// <param name="file">Filled in by the compiler: where the lock is taken, for lockdep reports.</param>
    /// <param name="line">Filled in by the compiler: where the lock is taken, for lockdep reports.</param>
    [Acquires("this:write")]
    public void WriteLock([CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => LockSync(write: true, file, line);

    /// <summary>Releases a shared hold of the calling flow.</summary>
    /// <param name="file">Filled in by the compiler: where the lock is released, for lockdep reports.</param>
    /// <param name="line">Filled in by the compiler: where the lock is released, for lockdep reports.</param>
    /// <exception cref="SynchronizationLockException">No reader holds it (tracker off; with it on, a <c>BadUnlockBalance</c> report).</exception>
    [Releases("this:read")]
    public void UnlockRead([CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => Release(write: false, null, file, line);

    /// <summary>Releases the exclusive hold of the calling flow.</summary>
    /// <param name="file">Filled in by the compiler: where the lock is released, for lockdep reports.</param>
    /// <param name="line">Filled in by the compiler: where the lock is released, for lockdep reports.</param>
    /// <exception cref="SynchronizationLockException">No writer holds it (tracker off; with it on, a <c>BadUnlockBalance</c> report).</exception>
    [Releases("this:write")]
    public void UnlockWrite([CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => Release(write: true, null, file, line);

    /// <summary>Frees the lock; freeing it while held is a <c>HeldLockFreed</c> report (tracker on) or an <see cref="InvalidOperationException"/> (off).</summary>
    public void Dispose()
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        var held = _queue.IsHeld;
        if (Lockdep.Enabled)
        {
            AsyncLockdepHooks.Freed(_map!, held);
        }
        else if (held)
        {
            throw new InvalidOperationException($"{ClassName}: an async reader-writer lock was disposed while held.");
        }

        Volatile.Write(ref _disposed, 1);
    }

    /// <inheritdoc/>
    public override string ToString() => ClassName;

    /// <summary>Releases a hold; <paramref name="guardFlow"/> is the flow a guard was handed by (null: explicit unlock).</summary>
    internal void Release(bool write, AsyncFlow? guardFlow, string file, int line)
    {
        var mode = write ? LockMode.Write : LockMode.Read;
        if (Lockdep.Enabled && !AsyncLockChecks.Releasing(guardFlow, _map!, mode, write ? _writer : null, file, line))
        {
            return;
        }

        if (!(write ? _queue.ExitWrite() : _queue.ExitRead()))
        {
            throw new SynchronizationLockException($"{ClassName}: {(write ? "write" : "read")} unlock of an async reader-writer lock not held that way.");
        }
    }

    private ValueTask<AsyncReadGuard> ReadLockSlow(CancellationToken cancellationToken, string file, int line)
    {
        var flow = Announce(write: false, file, line, syncWait: false);
        var waiter = Enter(write: false, flow, cancellationToken, Timeout.InfiniteTimeSpan);
        return waiter is null ? new ValueTask<AsyncReadGuard>(new AsyncReadGuard(this, flow)) : WaitReadAsync(waiter, flow);
    }

    private ValueTask<AsyncWriteGuard> WriteLockSlow(CancellationToken cancellationToken, string file, int line)
    {
        var flow = Announce(write: true, file, line, syncWait: false);
        var waiter = Enter(write: true, flow, cancellationToken, Timeout.InfiniteTimeSpan);
        return waiter is null ? new ValueTask<AsyncWriteGuard>(new AsyncWriteGuard(this, flow)) : WaitWriteAsync(waiter, flow);
    }

    private async ValueTask<AsyncReadGuard> WaitReadAsync(AsyncLockWaiter waiter, AsyncFlow? flow)
    {
        await Wait(waiter, write: false, flow).ConfigureAwait(false);
        return new AsyncReadGuard(this, flow);
    }

    private async ValueTask<AsyncWriteGuard> WaitWriteAsync(AsyncLockWaiter waiter, AsyncFlow? flow)
    {
        await Wait(waiter, write: true, flow).ConfigureAwait(false);
        return new AsyncWriteGuard(this, flow);
    }

    private ValueTask<bool> TryAsync(bool write, TimeSpan timeout, CancellationToken cancellationToken, string file, int line)
    {
        AsyncLockChecks.ThrowIfBadTimeout(timeout);
        if (timeout == TimeSpan.Zero)
        {
            if (!(write ? _queue.TryWriteFast() : _queue.TryReadFast()))
            {
                return new ValueTask<bool>(false);
            }

            if (Lockdep.Enabled)
            {
                var f = AsyncFlow.Current;
                if (!AsyncLockdepHooks.TryAcquired(f, _map!, write ? LockMode.Write : LockMode.Read, file, line))
                {
                    // A second read hold by the flow that holds it (readers are not recursive): refused.
                    _queue.ExitRead();
                    return new ValueTask<bool>(false);
                }

                Took(write, f);
            }

            return new ValueTask<bool>(true);
        }

        var flow = Announce(write, file, line, syncWait: false);
        var waiter = Enter(write, flow, cancellationToken, timeout);
        return waiter is null ? new ValueTask<bool>(true) : Wait(waiter, write, flow);
    }

    private void LockSync(bool write, string file, int line)
    {
        var flow = Announce(write, file, line, syncWait: true);
        AsyncLockWaiter? waiter = null;
        try
        {
            if (!(write ? _queue.TryWriteFast() : _queue.TryReadFast()) &&
                !_queue.AcquireOrEnqueue(write, default, Timeout.InfiniteTimeSpan, sync: true, out waiter))
            {
                waiter!.WaitSync();
            }
        }
        catch
        {
            Abandon(write, flow);
            throw;
        }

        Took(write, flow);
    }

    /// <summary>Takes the lock at once (returns null) or queues a waiter (returns it); undoes the announcement if that throws.</summary>
    private AsyncLockWaiter? Enter(bool write, AsyncFlow? flow, CancellationToken cancellationToken, TimeSpan timeout)
    {
        AsyncLockWaiter? waiter = null;
        try
        {
            if ((write ? _queue.TryWriteFast() : _queue.TryReadFast()) ||
                _queue.AcquireOrEnqueue(write, cancellationToken, timeout, sync: false, out waiter))
            {
                Took(write, flow);
                return null;
            }
        }
        catch
        {
            Abandon(write, flow);
            throw;
        }

        return waiter;
    }

    /// <summary>Awaits a queued waiter: true when granted, false when timed out (announcement undone), throws when cancelled (undone).</summary>
    private async ValueTask<bool> Wait(AsyncLockWaiter waiter, bool write, AsyncFlow? flow)
    {
        bool granted;
        try
        {
            granted = await new ValueTask<bool>(waiter, waiter.Version).ConfigureAwait(false);
        }
        catch
        {
            Abandon(write, flow);
            throw;
        }

        if (granted)
        {
            Took(write, flow);
        }
        else
        {
            Abandon(write, flow);
        }

        return granted;
    }

    private AsyncFlow? Announce(bool write, string file, int line, bool syncWait)
    {
        if (!Lockdep.Enabled)
        {
            return null;
        }

        var flow = AsyncFlow.Current;
        var mode = write ? LockMode.Write : LockMode.Read;
        if (!AsyncLockdepHooks.Acquiring(flow, _map!, mode, file, line))
        {
            AsyncLockdepHooks.Recursive(flow, _map!, mode, file, line, syncWait);
            throw new LockRecursionException($"{ClassName}: the async flow that holds this async reader-writer lock acquires it again.");
        }

        return flow;
    }

    private void Took(bool write, AsyncFlow? flow)
    {
        if (write && flow is not null)
        {
            _writer = flow.Holder;
        }
    }

    private void Abandon(bool write, AsyncFlow? flow)
    {
        if (flow is not null)
        {
            AsyncLockdepHooks.Abandoned(flow, _map!, write ? LockMode.Write : LockMode.Read);
        }
    }
}
