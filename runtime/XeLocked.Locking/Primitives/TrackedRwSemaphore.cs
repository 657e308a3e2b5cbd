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
/// a reader arriving later still queues behind a waiting writer.</para>
/// <para>The count word holds the number of readers, a writer bit and a "slow" bit. The slow bit is
/// set, under <c>_gate</c>, whenever a thread waits or a reader pass is outstanding; while it is
/// set every acquisition and release goes through <c>_gate</c>, where the waiting counts and the
/// passes live (guarded by <c>_gate</c>). While it is clear, an uncontended read or write
/// acquisition or release is one compare-and-swap of the word.</para>
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
    private const int ReaderMask = (1 << 28) - 1;
    private const int WriterBit = 1 << 28;
    private const int SlowBit = 1 << 29;

    private readonly object _gate = new();
    private readonly LockdepMap? _map;

    // The count word: readers in the low 28 bits, WriterBit, SlowBit. Changed only by
    // compare-and-swap; SlowBit only under _gate.
    private int _state;

    // The writer's managed thread id, 0 when no writer; written by the writer only.
    private int _writerThreadId;

    // Under _gate.
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
        IsWriter ? LockMode.Write
        : ReadHolds.Current.Contains(this) ? LockMode.Read
        : null;

    /// <summary>Number of readers holding the semaphore now (a snapshot, for diagnostics and tests).</summary>
    public int ReaderCount => Volatile.Read(ref _state) & ReaderMask;

    /// <summary>True when some thread holds the semaphore in write mode (a snapshot).</summary>
    public bool IsWriteLocked => (Volatile.Read(ref _state) & WriterBit) != 0;

    /// <summary>Number of writers waiting now (a snapshot, for tests of writer preference).</summary>
    public int WaitingWriterCount { get { lock (_gate) { return _writersWaiting; } } }

    /// <summary>Number of readers waiting now (a snapshot, for tests of writer preference and downgrade).</summary>
    public int WaitingReaderCount { get { lock (_gate) { return _readersWaiting; } } }

    /// <inheritdoc/>
    bool ILockdepInstance.IsLockedByAnyThread => (Volatile.Read(ref _state) & (ReaderMask | WriterBit)) != 0;

    internal LockdepMap? Map => _map;

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
        var holds = ReadHolds.Current;
        if (holds.Contains(this) || ((Volatile.Read(ref _state) & WriterBit) != 0 && IsWriter))
        {
            ThrowRecursive(LockMode.Read, file, line);
        }

        if (Lockdep.Enabled)
        {
            // Validate before blocking, as lockdep does: a deadlock is reported, not entered.
            LockdepHooks.Acquiring(_map!, LockMode.Read, subclass: 0, file, line);
        }

        if (!TryEnterReadFast())
        {
            try
            {
                lock (_gate)
                {
                    WaitAsReader();
                }
            }
            catch when (Lockdep.Enabled)
            {
                LockdepHooks.Abandoned(_map!, LockMode.Read);
                throw;
            }
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
        BeforeBlockingAcquire(LockMode.Write, file, line);
        if (Interlocked.CompareExchange(ref _state, WriterBit, 0) != 0)
        {
            try
            {
                lock (_gate)
                {
                    WaitAsWriter();
                }
            }
            catch when (Lockdep.Enabled)
            {
                LockdepHooks.Abandoned(_map!, LockMode.Write);
                throw;
            }
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
        if (IsHeldByCurrentThread)
        {
            return false;
        }

        if (!TryEnterReadFast())
        {
            lock (_gate)
            {
                if (_writersWaiting > 0 || !TryAddReader())
                {
                    return false;
                }
            }
        }

        ReadHolds.Current.Add(this);
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

        if (Interlocked.CompareExchange(ref _state, WriterBit, 0) != 0)
        {
            lock (_gate)
            {
                if (_readerPasses > 0 || !TrySetWriter())
                {
                    return false;
                }
            }
        }

        Volatile.Write(ref _writerThreadId, CurrentThread.Id);
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

        if (!ReadHolds.Current.Remove(this))
        {
            throw new SynchronizationLockException(
                $"{ClassName}: read unlock by a thread that does not hold it for read" +
                (IsWriter ? " (it holds it for write: use UnlockWrite)." : "."));
        }

        var s = Volatile.Read(ref _state);
        if ((s & SlowBit) != 0 || Interlocked.CompareExchange(ref _state, s - 1, s) != s)
        {
            ReleaseReaderSlow();
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
                (ReadHolds.Current.Contains(this) ? " (it holds it for read: use UnlockRead)." : "."));
        }

        Volatile.Write(ref _writerThreadId, 0);
        if (Interlocked.CompareExchange(ref _state, 0, WriterBit) != WriterBit)
        {
            lock (_gate)
            {
                Change(clear: WriterBit);
                _readerPasses = _readersWaiting;
                UpdateSlowBit();
                Monitor.PulseAll(_gate);
            }
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
                (ReadHolds.Current.Contains(this) ? " (it holds it for read already)." : "."));
        }

        lock (_gate)
        {
            Volatile.Write(ref _writerThreadId, 0);
            Change(clear: WriterBit, add: 1);
            _readerPasses = _readersWaiting;
            UpdateSlowBit();
            Monitor.PulseAll(_gate);
        }

        ReadHolds.Current.Add(this);
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

        var held = (Volatile.Read(ref _state) & (ReaderMask | WriterBit)) != 0;
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

    /// <summary>One reader in by one compare-and-swap, when no writer holds and nothing waits.</summary>
    private bool TryEnterReadFast()
    {
        var s = Volatile.Read(ref _state);
        return (s & (WriterBit | SlowBit)) == 0 && Interlocked.CompareExchange(ref _state, s + 1, s) == s;
    }

    /// <summary>Adds a reader unless a writer holds (under <c>_gate</c>; the word may change beside us).</summary>
    private bool TryAddReader()
    {
        while (true)
        {
            var s = Volatile.Read(ref _state);
            if ((s & WriterBit) != 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _state, s + 1, s) == s)
            {
                return true;
            }
        }
    }

    /// <summary>Sets the writer bit unless anyone holds (under <c>_gate</c>).</summary>
    private bool TrySetWriter()
    {
        while (true)
        {
            var s = Volatile.Read(ref _state);
            if ((s & (WriterBit | ReaderMask)) != 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _state, s | WriterBit, s) == s)
            {
                return true;
            }
        }
    }

    /// <summary>
    /// Changes the word by compare-and-swap (under <c>_gate</c>; the uncontended paths may change
    /// it beside us): clears <paramref name="clear"/>, sets <paramref name="set"/>, adds
    /// <paramref name="add"/> readers. Returns the new word.
    /// </summary>
    private int Change(int clear = 0, int set = 0, int add = 0)
    {
        while (true)
        {
            var s = Volatile.Read(ref _state);
            var next = ((s & ~clear) | set) + add;
            if (Interlocked.CompareExchange(ref _state, next, s) == s)
            {
                return next;
            }
        }
    }

    /// <summary>
    /// Under <c>_gate</c>: the slow bit mirrors "someone waits or holds a pass", so that the
    /// uncontended paths, which never take the gate, cannot skip a wake-up or a waiting writer.
    /// </summary>
    private void UpdateSlowBit()
    {
        if (_writersWaiting + _readersWaiting + _readerPasses > 0)
        {
            Change(set: SlowBit);
        }
        else
        {
            Change(clear: SlowBit);
        }
    }

    /// <summary>A read release that found the slow bit: drop the reader and wake waiters at zero.</summary>
    private void ReleaseReaderSlow()
    {
        lock (_gate)
        {
            if ((Change(add: -1) & ReaderMask) == 0)
            {
                Monitor.PulseAll(_gate);
            }
        }
    }

    /// <summary>Waits (under <c>_gate</c>) until a reader may enter: no writer holds, and none waits or this reader has a pass.</summary>
    private void WaitAsReader()
    {
        _readersWaiting++;
        UpdateSlowBit();
        try
        {
            while (true)
            {
                if (_writersWaiting == 0 || _readerPasses > 0)
                {
                    if (TryAddReader())
                    {
                        if (_writersWaiting > 0)
                        {
                            _readerPasses--;
                        }

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

            UpdateSlowBit();
        }
    }

    /// <summary>Waits (under <c>_gate</c>) until a writer may enter: nobody holds it and no reader has a pass.</summary>
    private void WaitAsWriter()
    {
        _writersWaiting++;
        UpdateSlowBit();
        try
        {
            while (_readerPasses > 0 || !TrySetWriter())
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

            UpdateSlowBit();
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

    /// <summary>
    /// The semaphores one thread holds for read: a small array searched from the top, since holds
    /// are few and usually released in reverse order (no set, no equality comparer). One object
    /// per thread, so that a lock or an unlock reads thread-local storage once.
    /// </summary>
    private sealed class ReadHolds
    {
        [ThreadStatic]
        private static ReadHolds? t_current;

        private TrackedRwSemaphore?[] _held = new TrackedRwSemaphore?[4];
        private int _count;

        /// <summary>The calling thread's read holds.</summary>
        public static ReadHolds Current => t_current ??= new ReadHolds();

        public bool Contains(TrackedRwSemaphore s) => IndexOf(s) >= 0;

        public void Add(TrackedRwSemaphore s)
        {
            if (_count == _held.Length)
            {
                Array.Resize(ref _held, _count * 2);
            }

            _held[_count++] = s;
        }

        /// <summary>Removes <paramref name="s"/>; false when this thread does not hold it for read.</summary>
        public bool Remove(TrackedRwSemaphore s)
        {
            var i = IndexOf(s);
            if (i < 0)
            {
                return false;
            }

            var last = _count - 1;
            Array.Copy(_held, i + 1, _held, i, last - i);
            _held[last] = null;
            _count = last;
            return true;
        }

        private int IndexOf(TrackedRwSemaphore s)
        {
            for (var i = _count - 1; i >= 0; i--)
            {
                if (ReferenceEquals(_held[i], s))
                {
                    return i;
                }
            }

            return -1;
        }
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
