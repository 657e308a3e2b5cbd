using System.Runtime.CompilerServices;
using XeLocked.Annotations;

namespace XeLocked.Locking;

/// <summary>
/// An async mutex: <c>await using (await m.LockAsync()) { ... }</c>. Not bound to a thread, so it may
/// be held across <c>await</c>; strictly FIFO (a release hands the mutex to the longest waiter);
/// cancellation and timeouts never leave it held nor a waiter stranded. Validated by the lockdep
/// tracker when it is on, with its holds belonging to the async flow that took it (see
/// <c>docs/lockdep.md</c>, "Async flows"): it takes part in the same lock classes, dependency
/// graph, declared order and cycle reports as the thread-bound primitives.
/// </summary>
/// <remarks>
/// <para>
/// An uncontended <see cref="LockAsync"/> is one compare-and-swap and returns a completed
/// <see cref="ValueTask{TResult}"/> of a struct guard (no allocation); the release is one more.
/// A contended one queues a waiter (one allocation) and completes it with continuations run
/// asynchronously. A cancelled token does not stop an acquisition that need not wait.
/// </para>
/// <para>
/// With the tracker on, acquiring it again in the async flow that holds it (asynchronously, or with
/// the synchronous <see cref="Lock"/>, the sync-over-async self-deadlock) is a <c>RecursiveLocking</c>
/// report before anything waits, and releasing it from another flow is a <c>BadUnlockBalance</c>.
/// With the tracker off it knows whether it is held, not by whom: <see cref="IsHeldByCurrentThread"/>
/// then says whether anyone holds it, and only releasing it while it is free is refused
/// (<see cref="SynchronizationLockException"/>).
/// </para>
/// </remarks>
/// <example>
/// <code>
/// public readonly TrackedAsyncMutex Gate = new("Cache.Gate");
///
/// await using (await cache.Gate.LockAsync(ct))
/// {
///     cache.Data = await LoadAsync(ct);   // held across the await: fine, it is async-aware
/// }
/// </code>
/// </example>
[LockPrimitive(LockKind.Exclusive, AsyncAware = true)]
public sealed class TrackedAsyncMutex : ITrackedLock, ILockdepInstance, IDisposable
{
    private readonly AsyncLockCore _core;

    // _core.Queue, read here by the inlined fast path.
    private readonly AsyncLockQueue _queue;

    /// <summary>Creates an async mutex of the lock class <paramref name="className"/>.</summary>
    /// <param name="className">The lockdep class, <c>"TypeName.MemberName"</c> by convention.</param>
    /// <exception cref="ArgumentException">The name is null, empty or white space.</exception>
    public TrackedAsyncMutex(string className)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(className);
        ClassName = className;
        _core = new AsyncLockCore(this, "async mutex");
        _queue = _core.Queue;
    }

    /// <inheritdoc/>
    public string ClassName { get; }

    /// <inheritdoc/>
    public LockKind Kind => LockKind.Exclusive;

    /// <summary>
    /// True when the calling async flow holds the mutex (tracker on); with the tracker off, true when
    /// anyone holds it.
    /// </summary>
    public bool IsHeldByCurrentThread => HeldModeByCurrentThread.HasValue;

    /// <summary><see cref="LockMode.Write"/> when the calling async flow holds the mutex (see <see cref="IsHeldByCurrentThread"/>), else null.</summary>
    public LockMode? HeldModeByCurrentThread => _core.HeldMode;

    /// <summary>True when anyone holds the mutex.</summary>
    public bool IsLocked => _queue.IsWriteHeld;

    /// <summary>Acquisitions waiting in the queue.</summary>
    public int WaiterCount => _queue.QueuedCount;

    /// <inheritdoc/>
    bool ILockdepInstance.IsLockedByAnyThread => _queue.IsHeld;

    /// <inheritdoc/>
    bool ILockdepInstance.HeldByAsyncFlow => true;

    /// <summary>
    /// Acquires the mutex, waiting asynchronously (in FIFO order) while it is held. Dispose the guard
    /// (<c>await using</c>) to release it.
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait; the mutex is then not taken and the wait throws <see cref="OperationCanceledException"/>.</param>
    /// <param name="file">Filled in by the compiler: where the lock is taken, for lockdep reports.</param>
    /// <param name="line">Filled in by the compiler: where the lock is taken, for lockdep reports.</param>
    /// <returns>The guard, completed synchronously when the mutex was free.</returns>
    /// <exception cref="LockdepViolationException">The tracker found a violation (throwing mode); the mutex was not taken.</exception>
    /// <exception cref="LockRecursionException">The calling async flow holds it already (tracker on, recording mode).</exception>
    [Acquires("this")]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ValueTask<AsyncMutexGuard> LockAsync(CancellationToken cancellationToken = default,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        if (!Lockdep.Enabled && _queue.TryWriteFast())
        {
            return new ValueTask<AsyncMutexGuard>(new AsyncMutexGuard(this, null));
        }

        return LockAsyncSlow(cancellationToken, file, line);
    }

    /// <summary>
    /// Tries to acquire the mutex, waiting at most <paramref name="timeout"/>. Release it with
    /// <see cref="Unlock"/>. A zero timeout never waits (a trylock, exempt from ordering checks
    /// as in lockdep); a longer one is validated as a blocking acquisition before it waits.
    /// </summary>
    /// <param name="timeout">Zero, positive, or <see cref="Timeout.InfiniteTimeSpan"/>.</param>
    /// <param name="cancellationToken">Cancels the wait (throws <see cref="OperationCanceledException"/>; the mutex is not taken).</param>
    /// <param name="file">Filled in by the compiler: where the lock is taken, for lockdep reports.</param>
    /// <param name="line">Filled in by the compiler: where the lock is taken, for lockdep reports.</param>
    /// <returns>True when the mutex is now held by the calling flow; false when the time ran out.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A negative timeout other than infinite.</exception>
    [TryAcquires(true, "this")]
    public ValueTask<bool> TryLockAsync(TimeSpan timeout, CancellationToken cancellationToken = default,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        _core.TryLockAsync(write: true, timeout, cancellationToken, file, line);

    /// <summary>Acquires the mutex if it is free and nobody waits; never waits.</summary>
    /// <param name="file">Filled in by the compiler: where the lock is taken, for lockdep reports.</param>
    /// <param name="line">Filled in by the compiler: where the lock is taken, for lockdep reports.</param>
    /// <returns>True when the calling flow now holds it.</returns>
    [TryAcquires(true, "this")]
    public bool TryLock([CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => _core.TryLock(write: true, file, line);

    /// <summary>
    /// Acquires the mutex, blocking the calling thread while it is held (for synchronous callers).
    /// With the tracker on, a synchronous wait for a mutex the calling async flow holds is reported
    /// (<c>RecursiveLocking</c>, sync-over-async) before it blocks.
    /// </summary>
    /// <param name="file">Filled in by the compiler: where the lock is taken, for lockdep reports.</param>
    /// <param name="line">Filled in by the compiler: where the lock is taken, for lockdep reports.</param>
    /// <exception cref="LockdepViolationException">The tracker found a violation (throwing mode); the mutex was not taken.</exception>
    [Acquires("this")]
    public void Lock([CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => _core.LockSync(write: true, file, line);

    /// <summary>Releases the mutex held by the calling async flow (after <see cref="Lock"/>, <see cref="TryLock"/> or <see cref="TryLockAsync"/>).</summary>
    /// <param name="file">Filled in by the compiler: where the lock is released, for lockdep reports.</param>
    /// <param name="line">Filled in by the compiler: where the lock is released, for lockdep reports.</param>
    /// <exception cref="SynchronizationLockException">The mutex is not held (tracker off; with it on, a <c>BadUnlockBalance</c> report, also when another flow holds it).</exception>
    [Releases("this")]
    public void Unlock([CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => Release(null, file, line);

    /// <summary>
    /// Frees the mutex. Freeing it while held is a <c>HeldLockFreed</c> report (tracker on) or an
    /// <see cref="InvalidOperationException"/> (tracker off); it then stays usable.
    /// </summary>
    public void Dispose() => _core.Dispose("an async mutex");

    /// <inheritdoc/>
    public override string ToString() => ClassName;

    /// <summary>Releases a hold; <paramref name="guardFlow"/> is the flow a guard was handed by (null: explicit unlock).</summary>
    internal void Release(AsyncFlow? guardFlow, string file, int line)
    {
        if (!_core.Exit(write: true, guardFlow, file, line))
        {
            throw new SynchronizationLockException($"{ClassName}: unlock of an async mutex that is not held.");
        }
    }

    private ValueTask<AsyncMutexGuard> LockAsyncSlow(CancellationToken cancellationToken, string file, int line)
    {
        var flow = _core.Announce(write: true, file, line, syncWait: false);
        var waiter = _core.Enter(write: true, flow, cancellationToken, Timeout.InfiniteTimeSpan);
        return waiter is null ? new ValueTask<AsyncMutexGuard>(new AsyncMutexGuard(this, flow)) : WaitAsync(waiter, flow);
    }

    private async ValueTask<AsyncMutexGuard> WaitAsync(AsyncLockWaiter waiter, AsyncFlow? flow)
    {
        await _core.Wait(waiter, write: true, flow).ConfigureAwait(false);
        return new AsyncMutexGuard(this, flow);
    }
}
