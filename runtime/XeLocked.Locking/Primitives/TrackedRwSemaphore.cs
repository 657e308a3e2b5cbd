using System.Runtime.CompilerServices;
using XeLocked.Annotations;

namespace XeLocked.Locking;

/// <summary>
/// A reader-writer semaphore with the kernel <c>rw_semaphore</c>'s rules: many readers or one
/// writer, readers are <b>not</b> recursive, writers are preferred (a reader that arrives while a
/// writer waits queues behind it), and a writer can downgrade to a reader atomically. One
/// interlocked count word for the uncontended paths (as the kernel's <c>sem->count</c>), a
/// <see cref="Monitor"/> wait queue for the rest; validated by lockdep when the tracker is on.
/// </summary>
/// <remarks>
/// <para>Fairness: when a writer releases (or downgrades), the readers that were waiting at that
/// moment are let in before the next waiting writer (they get a "pass"), so neither side starves;
/// a reader arriving later still queues behind a waiting writer (see <see cref="RwSemaphoreWaitQueue"/>).</para>
/// <para>The count word (<see cref="RwSemaphoreCount"/>) holds the number of readers, a writer bit
/// and a "slow" bit, set whenever a thread waits or a reader pass is outstanding; while it is set
/// every acquisition and release goes through the wait queue. While it is clear, an uncontended
/// read or write acquisition or release is one compare-and-swap of the word. Each thread's read
/// holds are in <see cref="RwSemaphoreReadHolds"/>, the tracker's checks in <see cref="LockdepSite"/>.</para>
/// <para>Misuse never corrupts it: a recursive acquisition throws <see cref="LockRecursionException"/>
/// (tracker off) or reports <c>RecursiveLocking</c>; a release that is not held, or in the other
/// mode, throws <see cref="SynchronizationLockException"/> (tracker off) or reports
/// <c>BadUnlockBalance</c>, and changes nothing.</para>
/// </remarks>
/// <example>
/// <code>
/// public readonly TrackedRwSemaphore Lock = new("Vm.Lock");
///
/// using (vm.Lock.ReadGuard()) { ... }          // fault path after the series
/// using (vm.Lock.WriteGuard()) { ... }         // bind IOCTL
/// </code>
/// </example>
[LockPrimitive(LockKind.ReaderWriter)]
public sealed class TrackedRwSemaphore : ITrackedLock, ILockdepInstance, IDisposable
{
    private readonly RwSemaphoreWaitQueue _queue = new();
    private readonly LockdepSite _lockdep;

    // Changed by compare-and-swap; the slow bit only under _queue's monitor.
    private RwSemaphoreCount _count;

    // The writer's managed thread id, 0 when no writer; written by the writer only.
    private int _writerThreadId;
    private int _disposed;

    /// <summary>Creates a semaphore of the lock class <paramref name="className"/>.</summary>
    /// <param name="className">The lockdep class, <c>"TypeName.MemberName"</c> by convention.</param>
    /// <exception cref="ArgumentException">The name is null, empty or white space.</exception>
    public TrackedRwSemaphore(string className)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(className);
        ClassName = className;
        _lockdep = LockdepSite.For(this);
    }

    /// <inheritdoc/>
    public string ClassName { get; }

    /// <inheritdoc/>
    public LockKind Kind => LockKind.ReaderWriter;

    /// <inheritdoc/>
    public bool IsHeldByCurrentThread => HeldModeByCurrentThread.HasValue;

    /// <inheritdoc/>
    public LockMode? HeldModeByCurrentThread =>
        IsWriter ? LockMode.Write
        : RwSemaphoreReadHolds.Current.Contains(this) ? LockMode.Read
        : null;

    /// <summary>Number of readers holding the semaphore now (a snapshot, for diagnostics and tests).</summary>
    public int ReaderCount => _count.Readers;

    /// <summary>True when some thread holds the semaphore in write mode (a snapshot).</summary>
    public bool IsWriteLocked => _count.IsWriteLocked;

    /// <summary>Number of writers waiting now (a snapshot, for tests of writer preference).</summary>
    public int WaitingWriterCount => _queue.WritersWaiting;

    /// <summary>Number of readers waiting now (a snapshot, for tests of writer preference and downgrade).</summary>
    public int WaitingReaderCount => _queue.ReadersWaiting;

    /// <inheritdoc/>
    bool ILockdepInstance.IsLockedByAnyThread => _count.IsHeld;

    internal LockdepMap? Map => _lockdep.Map;

    private bool IsWriter => Volatile.Read(ref _writerThreadId) == CurrentThread.Id;

    /// <summary>Acquires in read mode (<c>down_read</c>), blocking while a writer holds or waits.</summary>
    /// <param name="file">Filled in by the compiler: where the lock is taken, for lockdep reports.</param>
    /// <param name="line">Filled in by the compiler: where the lock is taken, for lockdep reports.</param>
    /// <exception cref="LockRecursionException">The calling thread already holds it in either mode (tracker off, or recording mode).</exception>
    /// <exception cref="LockdepViolationException">The tracker found a violation (throwing mode); nothing was taken.</exception>
    [Acquires("this:read")]
    public void LockRead([CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        // Recursion: this thread holds it for read (its hold list), or for write (only possible
        // when the writer bit is set, which spares the thread-id read on the common path).
        var holds = RwSemaphoreReadHolds.Current;
        if (holds.Contains(this) || (_count.IsWriteLocked && IsWriter))
        {
            ThrowRecursive(LockMode.Read, file, line);
        }

        _lockdep.Acquiring(LockMode.Read, subclass: 0, file, line);
        if (!_count.TryEnterReadFast())
        {
            Wait(LockMode.Read);
        }

        holds.Add(this);
    }

    /// <summary>Acquires in write mode (<c>down_write</c>), blocking until no reader or writer holds it.</summary>
    /// <param name="file">Filled in by the compiler: where the lock is taken, for lockdep reports.</param>
    /// <param name="line">Filled in by the compiler: where the lock is taken, for lockdep reports.</param>
    /// <exception cref="LockRecursionException">The calling thread already holds it in either mode (tracker off, or recording mode).</exception>
    /// <exception cref="LockdepViolationException">The tracker found a violation (throwing mode); nothing was taken.</exception>
    [Acquires("this:write")]
    public void LockWrite([CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        if (IsHeldByCurrentThread)
        {
            ThrowRecursive(LockMode.Write, file, line);
        }

        _lockdep.Acquiring(LockMode.Write, subclass: 0, file, line);
        if (!_count.TryEnterWriteFast())
        {
            Wait(LockMode.Write);
        }

        Volatile.Write(ref _writerThreadId, CurrentThread.Id);
    }

    /// <summary>Acquires in read mode if no writer holds or waits (<c>down_read_trylock</c>); never blocks.</summary>
    /// <param name="file">Filled in by the compiler: where the lock is taken, for lockdep reports.</param>
    /// <param name="line">Filled in by the compiler: where the lock is taken, for lockdep reports.</param>
    /// <returns>True when the calling thread now holds it for read; false when a writer holds or waits, or this thread holds it already.</returns>
    [TryAcquires(true, "this:read")]
    public bool TryLockRead([CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        if (IsHeldByCurrentThread || !(_count.TryEnterReadFast() || _queue.TryAddReader(ref _count)))
        {
            return false;
        }

        RwSemaphoreReadHolds.Current.Add(this);
        return _lockdep.TryAcquired(true, LockMode.Read, file, line);
    }

    /// <summary>Acquires in write mode if nobody holds it (<c>down_write_trylock</c>); never blocks.</summary>
    /// <param name="file">Filled in by the compiler: where the lock is taken, for lockdep reports.</param>
    /// <param name="line">Filled in by the compiler: where the lock is taken, for lockdep reports.</param>
    /// <returns>True when the calling thread now holds it for write.</returns>
    [TryAcquires(true, "this:write")]
    public bool TryLockWrite([CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        if (IsHeldByCurrentThread || !(_count.TryEnterWriteFast() || _queue.TrySetWriter(ref _count)))
        {
            return false;
        }

        Volatile.Write(ref _writerThreadId, CurrentThread.Id);
        return _lockdep.TryAcquired(true, LockMode.Write, file, line);
    }

    /// <summary>Releases a read hold (<c>up_read</c>).</summary>
    /// <param name="file">Filled in by the compiler: where the lock is released, for lockdep reports.</param>
    /// <param name="line">Filled in by the compiler: where the lock is released, for lockdep reports.</param>
    /// <exception cref="SynchronizationLockException">The calling thread holds no read hold (tracker off; with it on, a <c>BadUnlockBalance</c> report).</exception>
    [Releases("this:read")]
    public void UnlockRead([CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        if (!_lockdep.Releasing(LockMode.Read, file, line))
        {
            return;
        }

        if (!RwSemaphoreReadHolds.Current.Remove(this))
        {
            throw new SynchronizationLockException(
                $"{ClassName}: read unlock by a thread that does not hold it for read" +
                (IsWriter ? " (it holds it for write: use UnlockWrite)." : "."));
        }

        if (!_count.TryExitReadFast())
        {
            _queue.ExitRead(ref _count);
        }
    }

    /// <summary>Releases the write hold (<c>up_write</c>).</summary>
    /// <param name="file">Filled in by the compiler: where the lock is released, for lockdep reports.</param>
    /// <param name="line">Filled in by the compiler: where the lock is released, for lockdep reports.</param>
    /// <exception cref="SynchronizationLockException">The calling thread is not the writer (tracker off; with it on, a <c>BadUnlockBalance</c> report).</exception>
    [Releases("this:write")]
    public void UnlockWrite([CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        if (!_lockdep.Releasing(LockMode.Write, file, line))
        {
            return;
        }

        if (!IsWriter)
        {
            throw new SynchronizationLockException(
                $"{ClassName}: write unlock by a thread that does not hold it for write" +
                (RwSemaphoreReadHolds.Current.Contains(this) ? " (it holds it for read: use UnlockRead)." : "."));
        }

        Volatile.Write(ref _writerThreadId, 0);
        if (!_count.TryExitWriteFast())
        {
            _queue.ExitWrite(ref _count, downgrades: false);
        }
    }

    /// <summary>
    /// Turns the calling thread's write hold into a read hold atomically (<c>downgrade_write</c>):
    /// no writer can get in between, and the readers waiting now are let in.
    /// </summary>
    /// <param name="file">Filled in by the compiler: where the lock is downgraded, for lockdep reports.</param>
    /// <param name="line">Filled in by the compiler: where the lock is downgraded, for lockdep reports.</param>
    /// <exception cref="SynchronizationLockException">The calling thread is not the writer; nothing changes.</exception>
    [Releases("this:write")]
    [Acquires("this:read")]
    public void DowngradeWrite([CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        if (!IsWriter)
        {
            throw new SynchronizationLockException(
                $"{ClassName}: downgrade by a thread that does not hold it for write" +
                (RwSemaphoreReadHolds.Current.Contains(this) ? " (it holds it for read already)." : "."));
        }

        // Only this thread reads its own id here, so clearing it before the word changes is safe.
        Volatile.Write(ref _writerThreadId, 0);
        _queue.ExitWrite(ref _count, downgrades: true);
        RwSemaphoreReadHolds.Current.Add(this);
        _lockdep.Downgraded(file, line);
    }

    /// <summary>Acquires in read mode and returns a guard whose <c>Dispose</c> releases it.</summary>
    /// <param name="file">Filled in by the compiler: where the lock is taken, for lockdep reports.</param>
    /// <param name="line">Filled in by the compiler: where the lock is taken, for lockdep reports.</param>
    [Acquires("this:read")]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadGuard ReadGuard([CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        LockRead(file, line);
        return new ReadGuard(this);
    }

    /// <summary>Acquires in write mode and returns a guard whose <c>Dispose</c> releases it.</summary>
    /// <param name="file">Filled in by the compiler: where the lock is taken, for lockdep reports.</param>
    /// <param name="line">Filled in by the compiler: where the lock is taken, for lockdep reports.</param>
    [Acquires("this:write")]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public WriteGuard WriteGuard([CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        LockWrite(file, line);
        return new WriteGuard(this);
    }

    /// <summary>
    /// Frees the semaphore. Freeing one that some thread holds is a <c>HeldLockFreed</c> report
    /// (tracker on; thrown in the throwing mode) or an <see cref="InvalidOperationException"/>
    /// (tracker off); it then stays usable and undisposed.
    /// </summary>
    public void Dispose() => _lockdep.Dispose(ref _disposed, held: _count.IsHeld, ClassName, "a rw-semaphore");

    /// <inheritdoc/>
    public override string ToString() => ClassName;

    /// <summary>The blocking part of an acquisition; the tracker forgets the announced acquisition if the wait throws.</summary>
    private void Wait(LockMode mode)
    {
        try
        {
            if (mode == LockMode.Read)
            {
                _queue.WaitAsReader(ref _count);
            }
            else
            {
                _queue.WaitAsWriter(ref _count);
            }
        }
        catch when (Lockdep.Enabled)
        {
            _lockdep.Abandoned(mode);
            throw;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowRecursive(LockMode mode, string file, int line)
    {
        _lockdep.Recursive(mode, subclass: 0, file, line);
        throw new LockRecursionException(
            $"{ClassName}: recursive {(mode == LockMode.Read ? "read" : "write")} acquisition of a non-recursive rw-semaphore " +
            $"the thread holds for {HeldModeByCurrentThread?.ToString().ToLowerInvariant()}.");
    }
}
