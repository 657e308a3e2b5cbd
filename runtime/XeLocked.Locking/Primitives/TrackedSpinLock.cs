using System.Runtime.CompilerServices;
using XeLocked.Annotations;

namespace XeLocked.Locking;

/// <summary>
/// A spinlock (the kernel's <c>spinlock_t</c>) built on <see cref="SpinLock"/> with owner tracking,
/// validated by lockdep when the tracker is on. For short, non-blocking critical sections only
/// (queue head/tail, list links): never wait, sleep or take a sleeping lock while holding it.
/// </summary>
/// <remarks>
/// Misuse never corrupts the spinlock: re-locking it on the holding thread throws
/// <see cref="LockRecursionException"/> (tracker off) or reports <c>RecursiveLocking</c>;
/// unlocking it on another thread throws <see cref="SynchronizationLockException"/> (tracker off) or
/// reports <c>BadUnlockBalance</c>.
/// </remarks>
/// <example>
/// <code>
/// public readonly TrackedSpinLock ListLock = new("GarbageCollector.ListLock");
///
/// using (gc.ListLock.Guard()) { gc.RangeList.AddLast(range); }
/// </code>
/// </example>
[LockPrimitive(LockKind.Exclusive)]
public sealed class TrackedSpinLock : ITrackedLock, ILockdepInstance, IDisposable
{
    private readonly LockdepMap? _map;
    private SpinLock _spin = new(enableThreadOwnerTracking: true);
    private int _disposed;

    /// <summary>Creates a spinlock of the lock class <paramref name="className"/>.</summary>
    /// <param name="className">The lockdep class, <c>"TypeName.MemberName"</c> by convention.</param>
    /// <exception cref="ArgumentException">The name is null, empty or white space.</exception>
    public TrackedSpinLock(string className)
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
    public bool IsHeldByCurrentThread => _spin.IsHeldByCurrentThread;

    /// <inheritdoc/>
    public LockMode? HeldModeByCurrentThread => _spin.IsHeldByCurrentThread ? LockMode.Write : null;

    /// <inheritdoc/>
    bool ILockdepInstance.IsLockedByAnyThread => _spin.IsHeld;

    internal LockdepMap? Map => _map;

    /// <summary>Acquires the spinlock, spinning until it is free (<c>spin_lock</c>).</summary>
    /// <param name="file">Filled in by the compiler: where the lock is taken, for lockdep reports.</param>
    /// <param name="line">Filled in by the compiler: where the lock is taken, for lockdep reports.</param>
    /// <exception cref="LockRecursionException">The calling thread already holds it (tracker off, or recording mode).</exception>
    /// <exception cref="LockdepViolationException">The tracker found a violation (throwing mode); the spinlock was not taken.</exception>
    [Acquires("this")]
    public void Lock([CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        if (_spin.IsHeldByCurrentThread)
        {
            ThrowRecursive(file, line);
        }

        if (Lockdep.Enabled)
        {
            LockdepHooks.Acquiring(_map!, LockMode.Write, subclass: 0, file, line);
        }

        var taken = false;
        _spin.Enter(ref taken);
    }

    /// <summary>Acquires the spinlock if it is free (<c>spin_trylock</c>); never spins.</summary>
    /// <param name="file">Filled in by the compiler: where the lock is taken, for lockdep reports.</param>
    /// <param name="line">Filled in by the compiler: where the lock is taken, for lockdep reports.</param>
    /// <returns>True when the spinlock is now held by the calling thread.</returns>
    [TryAcquires(true, "this")]
    public bool TryLock([CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        if (_spin.IsHeldByCurrentThread)
        {
            return false;
        }

        var taken = false;
        _spin.TryEnter(ref taken);
        if (taken && Lockdep.Enabled)
        {
            LockdepHooks.Acquired(_map!, LockMode.Write, subclass: 0, trylock: true, file, line);
        }

        return taken;
    }

    /// <summary>Releases the spinlock (<c>spin_unlock</c>).</summary>
    /// <param name="file">Filled in by the compiler: where the lock is released, for lockdep reports.</param>
    /// <param name="line">Filled in by the compiler: where the lock is released, for lockdep reports.</param>
    /// <exception cref="SynchronizationLockException">The calling thread does not hold it (tracker off; with it on, a <c>BadUnlockBalance</c> report).</exception>
    [Releases("this")]
    public void Unlock([CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        if (Lockdep.Enabled)
        {
            if (!LockdepHooks.Releasing(_map!, LockMode.Write, file, line))
            {
                return;
            }
        }
        else if (!_spin.IsHeldByCurrentThread)
        {
            throw new SynchronizationLockException($"{ClassName}: unlock of a spinlock the calling thread does not hold.");
        }

        _spin.Exit(useMemoryBarrier: true);
    }

    /// <summary>Acquires the spinlock and returns a guard whose <c>Dispose</c> releases it.</summary>
    /// <param name="file">Filled in by the compiler: where the lock is taken, for lockdep reports.</param>
    /// <param name="line">Filled in by the compiler: where the lock is taken, for lockdep reports.</param>
    [Acquires("this")]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public SpinGuard Guard([CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        Lock(file, line);
        return new SpinGuard(this);
    }

    /// <summary>
    /// Frees the spinlock. Freeing one that some thread holds is a <c>HeldLockFreed</c> report
    /// (tracker on; thrown in the throwing mode) or an <see cref="InvalidOperationException"/>
    /// (tracker off); it then stays usable and undisposed.
    /// </summary>
    public void Dispose()
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        var held = _spin.IsHeld;
        if (Lockdep.Enabled)
        {
            LockdepHooks.Freed(_map!, held);
        }
        else if (held)
        {
            throw new InvalidOperationException($"{ClassName}: a spinlock was disposed while held.");
        }

        Volatile.Write(ref _disposed, 1);
    }

    /// <inheritdoc/>
    public override string ToString() => ClassName;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowRecursive(string file, int line)
    {
        if (Lockdep.Enabled)
        {
            LockdepHooks.RecursiveInstance(_map!, LockMode.Write, subclass: 0, file, line);
        }

        throw new LockRecursionException($"{ClassName}: recursive locking of a spinlock by the thread that holds it.");
    }
}

/// <summary>The guard returned by <see cref="TrackedSpinLock.Guard"/>; disposing it unlocks the spinlock.</summary>
[ScopedLock]
public readonly struct SpinGuard : IDisposable
{
    private readonly TrackedSpinLock _lock;

    internal SpinGuard(TrackedSpinLock spinLock) => _lock = spinLock;

    /// <summary>Releases the spinlock.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Dispose() => _lock.Unlock();
}
