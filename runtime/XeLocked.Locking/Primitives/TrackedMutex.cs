using System.Runtime.CompilerServices;
using XeLocked.Annotations;

namespace XeLocked.Locking;

/// <summary>
/// A non-recursive mutex (the kernel's <c>struct mutex</c>) built on <see cref="System.Threading.Lock"/>,
/// validated by the lockdep tracker when it is on. Owned by the thread that locked it; only that
/// thread may unlock it.
/// </summary>
/// <remarks>
/// Misuse never corrupts the mutex: locking it again on the thread that holds it throws
/// <see cref="LockRecursionException"/> (tracker off) or reports <c>RecursiveLocking</c>, and
/// unlocking it on a thread that does not hold it throws <see cref="SynchronizationLockException"/>
/// (tracker off) or reports <c>BadUnlockBalance</c>; in both cases the mutex is left as it was.
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
    private readonly Lock _lock = new();
    private readonly LockdepMap? _map;

    // The managed thread id of the holder, 0 when free; written only by the holder, under _lock.
    // Lock() compares it only when it is non-zero (the recursion check costs one load when the
    // mutex is free), and Unlock() compares it with the caller's id, which is cheaper than
    // Lock.IsHeldByCurrentThread (a call), keeping the uncontended path close to the bare Lock.
    private int _owner;
    private int _disposed;

    /// <summary>Creates a mutex of the lock class <paramref name="className"/>.</summary>
    /// <param name="className">The lockdep class, <c>"TypeName.MemberName"</c> by convention.</param>
    /// <exception cref="ArgumentException">The name is null, empty or white space.</exception>
    public TrackedMutex(string className)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(className);
        ClassName = className;
        _map = Lockdep.Enabled ? new LockdepMap(this) : null;
    }

    /// <inheritdoc/>
    public string ClassName { get; }

    /// <inheritdoc/>
    public LockKind Kind => LockKind.Exclusive;

    /// <inheritdoc/>
    public bool IsHeldByCurrentThread => _lock.IsHeldByCurrentThread;

    /// <inheritdoc/>
    public LockMode? HeldModeByCurrentThread => _lock.IsHeldByCurrentThread ? LockMode.Write : null;

    /// <inheritdoc/>
    bool ILockdepInstance.IsLockedByAnyThread => _lock.IsHeldByCurrentThread || !_lock.TryEnter();

    internal LockdepMap? Map => _map;

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
    public bool TryLock([CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        if (_lock.IsHeldByCurrentThread)
        {
            // A trylock of a mutex one already holds fails (it would succeed on the recursive BCL lock).
            return false;
        }

        if (!_lock.TryEnter())
        {
            return false;
        }

        _owner = CurrentThread.Id;
        if (Lockdep.Enabled)
        {
            LockdepHooks.Acquired(_map!, LockMode.Write, subclass: 0, trylock: true, file, line);
        }

        return true;
    }

    /// <summary>Releases the mutex (<c>mutex_unlock</c>).</summary>
    /// <param name="file">Filled in by the compiler: where the lock is released, for lockdep reports.</param>
    /// <param name="line">Filled in by the compiler: where the lock is released, for lockdep reports.</param>
    /// <exception cref="SynchronizationLockException">The calling thread does not hold it (tracker off; with it on, a <c>BadUnlockBalance</c> report).</exception>
    [Releases("this")]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Unlock([CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        if (Lockdep.Enabled)
        {
            // The tracker checks first (its per-thread stack is exact) and refuses a bad unlock.
            if (!LockdepHooks.Releasing(_map!, LockMode.Write, file, line))
            {
                return;
            }
        }
        else if (Volatile.Read(ref _owner) != CurrentThread.Id)
        {
            ThrowNotHeld();
        }

        _owner = 0;
        _lock.Exit();
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
    public void Dispose()
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        var held = _lock.IsHeldByCurrentThread || !_lock.TryEnter();
        if (!held)
        {
            _lock.Exit();
        }

        if (Lockdep.Enabled)
        {
            LockdepHooks.Freed(_map!, held);
        }
        else if (held)
        {
            throw new InvalidOperationException($"{ClassName}: a mutex was disposed while held.");
        }

        Volatile.Write(ref _disposed, 1);
    }

    /// <inheritdoc/>
    public override string ToString() => ClassName;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void LockCore(int subclass, string file, int line)
    {
        var owner = Volatile.Read(ref _owner);
        if (owner != 0 && owner == CurrentThread.Id)
        {
            ThrowRecursive(subclass, file, line);
        }

        if (Lockdep.Enabled)
        {
            EnterTracked(subclass, file, line);
        }
        else
        {
            _lock.Enter();
        }

        _owner = CurrentThread.Id;
    }

    /// <summary>The tracker-on acquisition, out of line (a method with a try block is not inlined, and the off path must be).</summary>
    private void EnterTracked(int subclass, string file, int line)
    {
        // Validate before blocking, as lockdep does: a deadlock is reported, not entered.
        LockdepHooks.Acquiring(_map!, LockMode.Write, subclass, file, line);
        try
        {
            _lock.Enter();
        }
        catch
        {
            LockdepHooks.Abandoned(_map!, LockMode.Write);
            throw;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowRecursive(int subclass, string file, int line)
    {
        if (Lockdep.Enabled)
        {
            LockdepHooks.RecursiveInstance(_map!, LockMode.Write, subclass, file, line);
        }

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
