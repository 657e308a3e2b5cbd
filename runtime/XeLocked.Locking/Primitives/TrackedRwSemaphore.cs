using System.Runtime.CompilerServices;
using XeLocked.Annotations;

namespace XeLocked.Locking;

/// <summary>
/// A reader-writer semaphore with the kernel <c>rw_semaphore</c>'s rules: many readers or one
/// writer, readers are <b>not</b> recursive, writers are preferred (a reader that arrives while a
/// writer waits queues behind it), and a writer can downgrade to a reader atomically. Built on
/// <see cref="Monitor"/> (its wait queue), validated by lockdep when the tracker is on.
/// </summary>
/// <remarks>
/// <para>Fairness: when a writer releases (or downgrades), the readers that were waiting at that
/// moment are let in before the next waiting writer (they get a "pass"), so neither side starves;
/// a reader arriving later still queues behind a waiting writer.</para>
/// <para>All state (<c>_readers</c>, <c>_writerThreadId</c>, the waiting counts and the passes) is
/// guarded by <c>_gate</c>. Misuse never corrupts it: a recursive acquisition throws
/// <see cref="LockRecursionException"/> (tracker off) or reports <c>RecursiveLocking</c>; a release
/// that is not held, or in the other mode, throws <see cref="SynchronizationLockException"/>
/// (tracker off) or reports <c>BadUnlockBalance</c>, and changes nothing.</para>
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
    private readonly object _gate = new();
    private readonly LockdepMap? _map;

    // State, all under _gate.
    private int _readers;
    private int _writerThreadId;
    private int _writersWaiting;
    private int _readersWaiting;
    private int _readerPasses;
    private int _disposed;

    /// <summary>Creates a semaphore of the lock class <paramref name="className"/>.</summary>
    /// <param name="className">The lockdep class, <c>"TypeName.MemberName"</c> by convention.</param>
    /// <exception cref="ArgumentException">The name is null, empty or white space.</exception>
    public TrackedRwSemaphore(string className)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(className);
        ClassName = className;
        _map = Lockdep.Enabled ? new LockdepMap(this) : null;
    }

    /// <inheritdoc/>
    public string ClassName { get; }

    /// <inheritdoc/>
    public LockKind Kind => LockKind.ReaderWriter;

    /// <inheritdoc/>
    public bool IsHeldByCurrentThread => HeldModeByCurrentThread.HasValue;

    /// <inheritdoc/>
    public LockMode? HeldModeByCurrentThread =>
        Volatile.Read(ref _writerThreadId) == Environment.CurrentManagedThreadId ? LockMode.Write
        : ReadHolds.Contains(this) ? LockMode.Read
        : null;

    /// <summary>Number of readers holding the semaphore now (a snapshot, for diagnostics and tests).</summary>
    public int ReaderCount { get { lock (_gate) { return _readers; } } }

    /// <summary>True when some thread holds the semaphore in write mode (a snapshot).</summary>
    public bool IsWriteLocked => Volatile.Read(ref _writerThreadId) != 0;

    /// <summary>Number of writers waiting now (a snapshot, for tests of writer preference).</summary>
    public int WaitingWriterCount { get { lock (_gate) { return _writersWaiting; } } }

    /// <summary>Number of readers waiting now (a snapshot, for tests of writer preference and downgrade).</summary>
    public int WaitingReaderCount { get { lock (_gate) { return _readersWaiting; } } }

    /// <inheritdoc/>
    bool ILockdepInstance.IsLockedByAnyThread { get { lock (_gate) { return _readers > 0 || _writerThreadId != 0; } } }

    internal LockdepMap? Map => _map;

    private bool IsWriter => Volatile.Read(ref _writerThreadId) == Environment.CurrentManagedThreadId;

    /// <summary>Acquires in read mode (<c>down_read</c>), blocking while a writer holds or waits.</summary>
    /// <param name="file">Filled in by the compiler: where the lock is taken, for lockdep reports.</param>
    /// <param name="line">Filled in by the compiler: where the lock is taken, for lockdep reports.</param>
    /// <exception cref="LockRecursionException">The calling thread already holds it in either mode (tracker off, or recording mode).</exception>
    /// <exception cref="LockdepViolationException">The tracker found a violation (throwing mode); nothing was taken.</exception>
    [Acquires("this:read")]
    public void LockRead([CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        BeforeBlockingAcquire(LockMode.Read, file, line);
        try
        {
            lock (_gate)
            {
                if (_writerThreadId != 0 || _writersWaiting > 0)
                {
                    WaitAsReader();
                }

                _readers++;
            }
        }
        catch when (Lockdep.Enabled)
        {
            LockdepHooks.Abandoned(_map!, LockMode.Read);
            throw;
        }

        ReadHolds.Add(this);
    }

    /// <summary>Acquires in write mode (<c>down_write</c>), blocking until no reader or writer holds it.</summary>
    /// <param name="file">Filled in by the compiler: where the lock is taken, for lockdep reports.</param>
    /// <param name="line">Filled in by the compiler: where the lock is taken, for lockdep reports.</param>
    /// <exception cref="LockRecursionException">The calling thread already holds it in either mode (tracker off, or recording mode).</exception>
    /// <exception cref="LockdepViolationException">The tracker found a violation (throwing mode); nothing was taken.</exception>
    [Acquires("this:write")]
    public void LockWrite([CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        BeforeBlockingAcquire(LockMode.Write, file, line);
        try
        {
            lock (_gate)
            {
                if (_writerThreadId != 0 || _readers > 0 || _readerPasses > 0)
                {
                    WaitAsWriter();
                }

                _writerThreadId = Environment.CurrentManagedThreadId;
            }
        }
        catch when (Lockdep.Enabled)
        {
            LockdepHooks.Abandoned(_map!, LockMode.Write);
            throw;
        }
    }

    /// <summary>Acquires in read mode if no writer holds or waits (<c>down_read_trylock</c>); never blocks.</summary>
    /// <param name="file">Filled in by the compiler: where the lock is taken, for lockdep reports.</param>
    /// <param name="line">Filled in by the compiler: where the lock is taken, for lockdep reports.</param>
    /// <returns>True when the calling thread now holds it for read; false when a writer holds or waits, or this thread holds it already.</returns>
    [TryAcquires(true, "this:read")]
    public bool TryLockRead([CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        if (IsHeldByCurrentThread)
        {
            return false;
        }

        lock (_gate)
        {
            if (_writerThreadId != 0 || _writersWaiting > 0)
            {
                return false;
            }

            _readers++;
        }

        ReadHolds.Add(this);
        if (Lockdep.Enabled)
        {
            LockdepHooks.Acquired(_map!, LockMode.Read, subclass: 0, trylock: true, file, line);
        }

        return true;
    }

    /// <summary>Acquires in write mode if nobody holds it (<c>down_write_trylock</c>); never blocks.</summary>
    /// <param name="file">Filled in by the compiler: where the lock is taken, for lockdep reports.</param>
    /// <param name="line">Filled in by the compiler: where the lock is taken, for lockdep reports.</param>
    /// <returns>True when the calling thread now holds it for write.</returns>
    [TryAcquires(true, "this:write")]
    public bool TryLockWrite([CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        if (IsHeldByCurrentThread)
        {
            return false;
        }

        lock (_gate)
        {
            if (_writerThreadId != 0 || _readers > 0 || _readerPasses > 0)
            {
                return false;
            }

            _writerThreadId = Environment.CurrentManagedThreadId;
        }

        if (Lockdep.Enabled)
        {
            LockdepHooks.Acquired(_map!, LockMode.Write, subclass: 0, trylock: true, file, line);
        }

        return true;
    }

    /// <summary>Releases a read hold (<c>up_read</c>).</summary>
    /// <param name="file">Filled in by the compiler: where the lock is released, for lockdep reports.</param>
    /// <param name="line">Filled in by the compiler: where the lock is released, for lockdep reports.</param>
    /// <exception cref="SynchronizationLockException">The calling thread holds no read hold (tracker off; with it on, a <c>BadUnlockBalance</c> report).</exception>
    [Releases("this:read")]
    public void UnlockRead([CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        if (Lockdep.Enabled && !LockdepHooks.Releasing(_map!, LockMode.Read, file, line))
        {
            return;
        }

        if (!ReadHolds.Contains(this))
        {
            throw new SynchronizationLockException(
                $"{ClassName}: read unlock by a thread that does not hold it for read" +
                (IsWriter ? " (it holds it for write: use UnlockWrite)." : "."));
        }

        ReadHolds.Remove(this);
        lock (_gate)
        {
            if (--_readers == 0)
            {
                Monitor.PulseAll(_gate);
            }
        }
    }

    /// <summary>Releases the write hold (<c>up_write</c>).</summary>
    /// <param name="file">Filled in by the compiler: where the lock is released, for lockdep reports.</param>
    /// <param name="line">Filled in by the compiler: where the lock is released, for lockdep reports.</param>
    /// <exception cref="SynchronizationLockException">The calling thread is not the writer (tracker off; with it on, a <c>BadUnlockBalance</c> report).</exception>
    [Releases("this:write")]
    public void UnlockWrite([CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        if (Lockdep.Enabled && !LockdepHooks.Releasing(_map!, LockMode.Write, file, line))
        {
            return;
        }

        if (!IsWriter)
        {
            throw new SynchronizationLockException(
                $"{ClassName}: write unlock by a thread that does not hold it for write" +
                (ReadHolds.Contains(this) ? " (it holds it for read: use UnlockRead)." : "."));
        }

        lock (_gate)
        {
            _writerThreadId = 0;
            _readerPasses = _readersWaiting;
            Monitor.PulseAll(_gate);
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
                (ReadHolds.Contains(this) ? " (it holds it for read already)." : "."));
        }

        lock (_gate)
        {
            _writerThreadId = 0;
            _readers++;
            _readerPasses = _readersWaiting;
            Monitor.PulseAll(_gate);
        }

        ReadHolds.Add(this);
        if (Lockdep.Enabled)
        {
            LockdepHooks.Downgraded(_map!, file, line);
        }
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
    public void Dispose()
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        bool held;
        lock (_gate)
        {
            held = _readers > 0 || _writerThreadId != 0;
        }

        if (Lockdep.Enabled)
        {
            LockdepHooks.Freed(_map!, held);
        }
        else if (held)
        {
            throw new InvalidOperationException($"{ClassName}: a rw-semaphore was disposed while held.");
        }

        Volatile.Write(ref _disposed, 1);
    }

    /// <inheritdoc/>
    public override string ToString() => ClassName;

    /// <summary>Waits (under <c>_gate</c>) until a reader may enter: no writer holds, and none waits or this reader has a pass.</summary>
    private void WaitAsReader()
    {
        _readersWaiting++;
        try
        {
            while (true)
            {
                if (_writerThreadId == 0)
                {
                    if (_writersWaiting == 0)
                    {
                        break;
                    }

                    if (_readerPasses > 0)
                    {
                        _readerPasses--;
                        break;
                    }
                }

                Monitor.Wait(_gate);
            }
        }
        finally
        {
            _readersWaiting--;

            // Passes never outnumber the readers waiting for them, or a writer would wait forever.
            if (_readerPasses > _readersWaiting)
            {
                _readerPasses = _readersWaiting;
                Monitor.PulseAll(_gate);
            }
        }
    }

    /// <summary>Waits (under <c>_gate</c>) until a writer may enter: nobody holds it and no reader has a pass.</summary>
    private void WaitAsWriter()
    {
        _writersWaiting++;
        try
        {
            while (_writerThreadId != 0 || _readers > 0 || _readerPasses > 0)
            {
                Monitor.Wait(_gate);
            }
        }
        finally
        {
            // If the wait was interrupted, readers held back by this waiting writer may go now.
            if (--_writersWaiting == 0)
            {
                Monitor.PulseAll(_gate);
            }
        }
    }

    private void BeforeBlockingAcquire(LockMode mode, string file, int line)
    {
        if (IsHeldByCurrentThread)
        {
            ThrowRecursive(mode, file, line);
        }

        if (Lockdep.Enabled)
        {
            // Validate before blocking, as lockdep does: a deadlock is reported, not entered.
            LockdepHooks.Acquiring(_map!, mode, subclass: 0, file, line);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowRecursive(LockMode mode, string file, int line)
    {
        if (Lockdep.Enabled)
        {
            LockdepHooks.RecursiveInstance(_map!, mode, subclass: 0, file, line);
        }

        throw new LockRecursionException(
            $"{ClassName}: recursive {(mode == LockMode.Read ? "read" : "write")} acquisition of a non-recursive rw-semaphore " +
            $"the thread holds for {HeldModeByCurrentThread?.ToString().ToLowerInvariant()}.");
    }

    /// <summary>The semaphores the current thread holds for read (few: a small list beats a set).</summary>
    private static class ReadHolds
    {
        [ThreadStatic]
        private static List<TrackedRwSemaphore>? t_held;

        public static bool Contains(TrackedRwSemaphore s)
        {
            var held = t_held;
            if (held == null)
            {
                return false;
            }

            foreach (var h in held)
            {
                if (ReferenceEquals(h, s))
                {
                    return true;
                }
            }

            return false;
        }

        public static void Add(TrackedRwSemaphore s) => (t_held ??= new List<TrackedRwSemaphore>(4)).Add(s);

        public static void Remove(TrackedRwSemaphore s) => t_held?.Remove(s);
    }
}

/// <summary>The guard returned by <see cref="TrackedRwSemaphore.ReadGuard"/>; disposing it releases the read hold.</summary>
[ScopedLock]
public readonly struct ReadGuard : IDisposable
{
    private readonly TrackedRwSemaphore _sem;

    internal ReadGuard(TrackedRwSemaphore sem) => _sem = sem;

    /// <summary>Releases the read hold.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Dispose() => _sem.UnlockRead();
}

/// <summary>The guard returned by <see cref="TrackedRwSemaphore.WriteGuard"/>; disposing it releases the write hold.</summary>
[ScopedLock]
public readonly struct WriteGuard : IDisposable
{
    private readonly TrackedRwSemaphore _sem;

    internal WriteGuard(TrackedRwSemaphore sem) => _sem = sem;

    /// <summary>Releases the write hold.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Dispose() => _sem.UnlockWrite();
}
