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
    private readonly AsyncLockCore _core;

    // _core.Queue, read here by the inlined fast paths.
    private readonly AsyncLockQueue _queue;

    /// <summary>Creates an async reader-writer lock of the lock class <paramref name="className"/>.</summary>
    /// <param name="className">The lockdep class, <c>"TypeName.MemberName"</c> by convention.</param>
    /// <exception cref="ArgumentException">The name is null, empty or white space.</exception>
    public TrackedAsyncRwLock(string className)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(className);
        ClassName = className;
        _core = new AsyncLockCore(this, "async reader-writer lock");
        _queue = _core.Queue;
    }

    /// <inheritdoc/>
    public string ClassName { get; }

    /// <inheritdoc/>
    public LockKind Kind => LockKind.ReaderWriter;

    /// <summary>True when the calling async flow holds the lock in any mode (tracker on); with the tracker off, when anyone holds it.</summary>
    public bool IsHeldByCurrentThread => HeldModeByCurrentThread.HasValue;

    /// <summary>The mode the calling async flow holds the lock in (tracker on; with it off, the mode anyone holds it in), or null.</summary>
    public LockMode? HeldModeByCurrentThread => _core.HeldMode;

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
        _core.TryLockAsync(write: false, timeout, cancellationToken, file, line);

    /// <summary>Tries to acquire the exclusive hold within <paramref name="timeout"/>; release it with <see cref="UnlockWrite"/>. A zero timeout never waits (a trylock).</summary>
    /// <param name="timeout">Zero, positive, or <see cref="Timeout.InfiniteTimeSpan"/>.</param>
    /// <param name="cancellationToken">Cancels the wait (throws <see cref="OperationCanceledException"/>).</param>
    /// <param name="file">Filled in by the compiler: where the lock is taken, for lockdep reports.</param>
    /// <param name="line">Filled in by the compiler: where the lock is taken, for lockdep reports.</param>
    /// <returns>True when the calling flow now holds it for writing.</returns>
    [TryAcquires(true, "this:write")]
    public ValueTask<bool> TryWriteLockAsync(TimeSpan timeout, CancellationToken cancellationToken = default,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        _core.TryLockAsync(write: true, timeout, cancellationToken, file, line);

    /// <summary>Acquires a shared hold, blocking the calling thread while needed. A synchronous wait for a lock the calling flow holds is reported first (tracker on).</summary>
    /// <param name="file">Filled in by the compiler: where the lock is taken, for lockdep reports.</param>
    /// <param name="line">Filled in by the compiler: where the lock is taken, for lockdep reports.</param>
    [Acquires("this:read")]
    public void ReadLock([CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => _core.LockSync(write: false, file, line);

    /// <summary>Acquires the exclusive hold, blocking the calling thread while needed. A synchronous wait for a lock the calling flow holds is reported first (tracker on).</summary>
    /// <param name="file">Filled in by the compiler: where the lock is taken, for lockdep reports.</param>
    /// <param name="line">Filled in by the compiler: where the lock is taken, for lockdep reports.</param>
    [Acquires("this:write")]
    public void WriteLock([CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => _core.LockSync(write: true, file, line);

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
    public void Dispose() => _core.Dispose("an async reader-writer lock");

    /// <inheritdoc/>
    public override string ToString() => ClassName;

    /// <summary>Releases a hold; <paramref name="guardFlow"/> is the flow a guard was handed by (null: explicit unlock).</summary>
    internal void Release(bool write, AsyncFlow? guardFlow, string file, int line)
    {
        if (!_core.Exit(write, guardFlow, file, line))
        {
            throw new SynchronizationLockException($"{ClassName}: {(write ? "write" : "read")} unlock of an async reader-writer lock not held that way.");
        }
    }

    private ValueTask<AsyncReadGuard> ReadLockSlow(CancellationToken cancellationToken, string file, int line)
    {
        var flow = _core.Announce(write: false, file, line, syncWait: false);
        var waiter = _core.Enter(write: false, flow, cancellationToken, Timeout.InfiniteTimeSpan);
        return waiter is null ? new ValueTask<AsyncReadGuard>(new AsyncReadGuard(this, flow)) : WaitReadAsync(waiter, flow);
    }

    private ValueTask<AsyncWriteGuard> WriteLockSlow(CancellationToken cancellationToken, string file, int line)
    {
        var flow = _core.Announce(write: true, file, line, syncWait: false);
        var waiter = _core.Enter(write: true, flow, cancellationToken, Timeout.InfiniteTimeSpan);
        return waiter is null ? new ValueTask<AsyncWriteGuard>(new AsyncWriteGuard(this, flow)) : WaitWriteAsync(waiter, flow);
    }

    private async ValueTask<AsyncReadGuard> WaitReadAsync(AsyncLockWaiter waiter, AsyncFlow? flow)
    {
        await _core.Wait(waiter, write: false, flow).ConfigureAwait(false);
        return new AsyncReadGuard(this, flow);
    }

    private async ValueTask<AsyncWriteGuard> WaitWriteAsync(AsyncLockWaiter waiter, AsyncFlow? flow)
    {
        await _core.Wait(waiter, write: true, flow).ConfigureAwait(false);
        return new AsyncWriteGuard(this, flow);
    }
}
