using System.Runtime.CompilerServices;
using XeLocked.Annotations;

namespace XeLocked.Locking;

/// <summary>
/// A non-recursive mutex (the kernel's <c>struct mutex</c>): one interlocked word that holds the
/// owner's managed thread id, a short spin, then a <see cref="Monitor"/> wait queue; validated by
/// the lockdep tracker when it is on. Owned by the thread that locked it; only that thread may
/// unlock it.
/// </summary>
/// <remarks>
/// <para>
/// The uncontended lock is one compare-and-swap of the owner word and the unlock one more, the
/// same work as <see cref="System.Threading.Lock"/>'s own fast path (wrapping that recursive lock
/// cost a second owner field and a recursion check on every call). A thread that finds the mutex
/// taken spins briefly (not while others already wait), then sets the word's waiters bit and waits
/// on the mutex's monitor; an unlock that finds the bit set wakes one waiter, which competes again
/// (a running thread may take the mutex first, as with the kernel's mutex and the BCL locks).
/// </para>
/// <para>
/// Misuse never corrupts the mutex: locking it again on the thread that holds it throws
/// <see cref="LockRecursionException"/> (tracker off) or reports <c>RecursiveLocking</c>, and
/// unlocking it on a thread that does not hold it throws <see cref="SynchronizationLockException"/>
/// (tracker off) or reports <c>BadUnlockBalance</c>; in both cases the mutex is left as it was.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// [LockOrder(After = new[] { "Vm.Lock" })]
/// public readonly TrackedMutex FaultLock = new("Vma.FaultLock");
///
/// using (vma.FaultLock.Guard()) { ... }
/// </code>
/// </example>
[LockPrimitive(LockKind.Exclusive)]
public sealed class TrackedMutex : ITrackedLock, ILockdepInstance, IDisposable
{
    // The owner word: 0 when free, else the holder's managed thread id (always positive) in the
    // low 31 bits, plus WaitersBit when a thread may be waiting on the gate. Changed by
    // compare-and-swap; the waiters bit is set and cleared only under the gate.
    private const int WaitersBit = int.MinValue;
    private const int OwnerMask = int.MaxValue;

    private readonly LockdepSite _lockdep;
    private int _state;

    // The wait queue, created by the first contended lock; _waiters counts the threads in the
    // slow path (guarded by the gate's monitor).
    private object? _gate;
    private int _waiters;
    private int _disposed;

    /// <summary>Creates a mutex of the lock class <paramref name="className"/>.</summary>
    /// <param name="className">The lockdep class, <c>"TypeName.MemberName"</c> by convention.</param>
    /// <exception cref="ArgumentException">The name is null, empty or white space.</exception>
    public TrackedMutex(string className)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(className);
        ClassName = className;
        _lockdep = LockdepSite.For(this);
    }

    /// <inheritdoc/>
    public string ClassName { get; }

    /// <inheritdoc/>
    public LockKind Kind => LockKind.Exclusive;

    /// <inheritdoc/>
    public bool IsHeldByCurrentThread => (Volatile.Read(ref _state) & OwnerMask) == CurrentThread.Id;

    /// <inheritdoc/>
    public LockMode? HeldModeByCurrentThread => IsHeldByCurrentThread ? LockMode.Write : null;

    /// <inheritdoc/>
    bool ILockdepInstance.IsLockedByAnyThread => Volatile.Read(ref _state) != 0;

    internal LockdepMap? Map => _lockdep.Map;

    /// <summary>Threads past the spin, queued on (or about to wait on) the wait queue; for tests.</summary>
    internal int WaiterCount => Volatile.Read(ref _waiters);

    /// <summary>Acquires the mutex, blocking until it is free (<c>mutex_lock</c>).</summary>
    /// <param name="file">Filled in by the compiler: where the lock is taken, for lockdep reports.</param>
    /// <param name="line">Filled in by the compiler: where the lock is taken, for lockdep reports.</param>
    /// <exception cref="LockRecursionException">The calling thread already holds it (tracker off, or recording mode).</exception>
    /// <exception cref="LockdepViolationException">The tracker found a violation (throwing mode); the mutex was not taken.</exception>
    [Acquires("this")]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Lock([CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => LockCore(0, file, line);

    /// <summary>
    /// Acquires the mutex as lockdep subclass <paramref name="subclass"/> (<c>mutex_lock_nested</c>):
    /// the annotation for holding two instances of one class in a known order.
    /// </summary>
    /// <param name="subclass">0 to 7; 0 is the same as <see cref="Lock"/>.</param>
    /// <param name="file">Filled in by the compiler: where the lock is taken, for lockdep reports.</param>
    /// <param name="line">Filled in by the compiler: where the lock is taken, for lockdep reports.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="subclass"/> is not in 0..7.</exception>
    [Acquires("this")]
    public void LockNested(int subclass, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(subclass);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(subclass, LockdepMap.MaxSubclasses - 1);
        LockCore(subclass, file, line);
    }

    /// <summary>Acquires the mutex if it is free (<c>mutex_trylock</c>); never blocks.</summary>
    /// <param name="file">Filled in by the compiler: where the lock is taken, for lockdep reports.</param>
    /// <param name="line">Filled in by the compiler: where the lock is taken, for lockdep reports.</param>
    /// <returns>True when the mutex is now held by the calling thread; false when it is held (by any thread, this one included).</returns>
    [TryAcquires(true, "this")]
    public bool TryLock([CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        // Held by anyone, the caller included, means failure: the word is non-zero.
        _lockdep.TryAcquired(Interlocked.CompareExchange(ref _state, CurrentThread.Id, 0) == 0, LockMode.Write, file, line);

    /// <summary>Releases the mutex (<c>mutex_unlock</c>).</summary>
    /// <param name="file">Filled in by the compiler: where the lock is released, for lockdep reports.</param>
    /// <param name="line">Filled in by the compiler: where the lock is released, for lockdep reports.</param>
    /// <exception cref="SynchronizationLockException">The calling thread does not hold it (tracker off; with it on, a <c>BadUnlockBalance</c> report).</exception>
    [Releases("this")]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Unlock([CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        // The tracker checks first and may refuse a bad unlock. Then, free with nobody waiting: one
        // compare-and-swap; otherwise (waiters bit, or not ours) the slow path sorts it out.
        var id = CurrentThread.Id;
        if (_lockdep.Releasing(LockMode.Write, file, line) && Interlocked.CompareExchange(ref _state, 0, id) != id)
        {
            UnlockSlow(id);
        }
    }

    /// <summary>Acquires the mutex and returns a guard whose <c>Dispose</c> releases it: <c>using var g = m.Guard();</c>.</summary>
    /// <param name="file">Filled in by the compiler: where the lock is taken, for lockdep reports.</param>
    /// <param name="line">Filled in by the compiler: where the lock is taken, for lockdep reports.</param>
    [Acquires("this")]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public MutexGuard Guard([CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        LockCore(0, file, line);
        return new MutexGuard(this);
    }

    /// <summary>
    /// Frees the mutex. Freeing a mutex that some thread holds is a <c>HeldLockFreed</c> report
    /// (tracker on; thrown in the throwing mode) or an <see cref="InvalidOperationException"/>
    /// (tracker off); the mutex then stays usable and undisposed.
    /// </summary>
    public void Dispose() => _lockdep.Dispose(ref _disposed, held: Volatile.Read(ref _state) != 0, ClassName, "a mutex");

    /// <inheritdoc/>
    public override string ToString() => ClassName;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void LockCore(int subclass, string file, int line)
    {
        var id = CurrentThread.Id;
        if (Lockdep.Enabled)
        {
            LockTracked(id, subclass, file, line);
        }
        else if (Interlocked.CompareExchange(ref _state, id, 0) != 0)
        {
            LockSlow(id, subclass, file, line);
        }
    }

    /// <summary>The tracker-on acquisition, out of line (a method with a try block is not inlined, and the off path must be).</summary>
    private void LockTracked(int id, int subclass, string file, int line)
    {
        if ((Volatile.Read(ref _state) & OwnerMask) == id)
        {
            ThrowRecursive(subclass, file, line);
        }

        // Validate before blocking, as lockdep does: a deadlock is reported, not entered.
        _lockdep.Acquiring(LockMode.Write, subclass, file, line);
        try
        {
            if (Interlocked.CompareExchange(ref _state, id, 0) != 0)
            {
                LockSlow(id, subclass, file, line);
            }
        }
        catch
        {
            _lockdep.Abandoned(LockMode.Write);
            throw;
        }
    }

    /// <summary>The contended acquisition: recursion check, a short spin, then the wait queue.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void LockSlow(int id, int subclass, string file, int line)
    {
        var state = Volatile.Read(ref _state);
        if ((state & OwnerMask) == id)
        {
            ThrowRecursive(subclass, file, line);
        }

        // Spin while the holder is likely to let go soon, but not once threads queue (they are
        // owed the mutex first, and spinning would only steal it) nor into yields and sleeps.
        var spinner = new SpinWait();
        while ((state & WaitersBit) == 0 && !spinner.NextSpinWillYield)
        {
            spinner.SpinOnce(sleep1Threshold: -1);
            state = Volatile.Read(ref _state);
            if (state == 0 && Interlocked.CompareExchange(ref _state, id, 0) == 0)
            {
                return;
            }
        }

        var gate = Gate();
        lock (gate)
        {
            _waiters++;
            var acquired = false;
            try
            {
                while (true)
                {
                    state = Volatile.Read(ref _state);
                    if (state == 0)
                    {
                        // Free: take it, and keep the waiters bit if others still wait so that
                        // our unlock wakes the next one.
                        var taken = _waiters > 1 ? id | WaitersBit : id;
                        if (Interlocked.CompareExchange(ref _state, taken, 0) == 0)
                        {
                            acquired = true;
                            return;
                        }

                        continue;
                    }

                    if ((state & WaitersBit) == 0 && Interlocked.CompareExchange(ref _state, state | WaitersBit, state) != state)
                    {
                        continue;
                    }

                    // The holder's unlock sees the bit, takes the gate (after this Wait released
                    // it) and pulses: no wake-up is lost.
                    Monitor.Wait(gate);
                }
            }
            finally
            {
                _waiters--;
                if (!acquired && _waiters > 0 && Volatile.Read(ref _state) == 0)
                {
                    // Interrupted after a pulse meant for us: pass it on.
                    Monitor.Pulse(gate);
                }
            }
        }
    }

    /// <summary>The unlock that is not a single compare-and-swap: not held by the caller, or waiters.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void UnlockSlow(int id)
    {
        if ((Volatile.Read(ref _state) & OwnerMask) != id)
        {
            // With the tracker on, its held stack said we hold it; the word disagreeing would be a
            // tracker bug, reported the same way as a plain bad unlock.
            ThrowNotHeld();
        }

        var gate = Gate();
        lock (gate)
        {
            // Only we (the owner) clear the word, and while we hold the gate no one sets the bit.
            Volatile.Write(ref _state, 0);
            if (_waiters > 0)
            {
                Monitor.Pulse(gate);
            }
        }
    }

    private object Gate() => Volatile.Read(ref _gate) ?? Interlocked.CompareExchange(ref _gate, new object(), null) ?? _gate!;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowRecursive(int subclass, string file, int line)
    {
        _lockdep.Recursive(LockMode.Write, subclass, file, line);
        throw new LockRecursionException($"{ClassName}: recursive locking of a non-recursive mutex by the thread that holds it.");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowNotHeld() =>
        throw new SynchronizationLockException($"{ClassName}: unlock of a mutex the calling thread does not hold.");
}

/// <summary>The guard returned by <see cref="TrackedMutex.Guard"/>; disposing it unlocks the mutex.</summary>
[ScopedLock]
public readonly struct MutexGuard : IDisposable
{
    private readonly TrackedMutex _mutex;

    internal MutexGuard(TrackedMutex mutex) => _mutex = mutex;

    /// <summary>Releases the mutex.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Dispose() => _mutex.Unlock();
}
