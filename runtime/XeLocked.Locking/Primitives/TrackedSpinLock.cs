using System.Runtime.CompilerServices;
using XeLocked.Annotations;

namespace XeLocked.Locking;

/// <summary>
/// A spinlock (the kernel's <c>spinlock_t</c>): one interlocked word holding the owner's managed
/// thread id, taken by compare-and-swap and waited for by spinning; validated by lockdep when the
/// tracker is on. For short, non-blocking critical sections only (queue head/tail, list links):
/// never wait, sleep or take a sleeping lock while holding it.
/// </summary>
/// <remarks>
/// <para>
/// Uncontended, a lock and an unlock are one compare-and-swap each (the unlock's also proves the
/// caller is the owner). A contended lock reads the word until it looks free before trying again
/// (test-and-test-and-set), backing off from <see cref="Thread.SpinWait"/> to
/// <see cref="Thread.Yield"/>, which lets a preempted holder run on a machine with few cores; it
/// never sleeps, and is not interruptible.
/// </para>
/// <para>
/// Misuse never corrupts the spinlock: re-locking it on the holding thread throws
/// <see cref="LockRecursionException"/> (tracker off) or reports <c>RecursiveLocking</c>;
/// unlocking it on another thread throws <see cref="SynchronizationLockException"/> (tracker off) or
/// reports <c>BadUnlockBalance</c>.
/// </para>
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
    private const int MaxSpinIterations = 64;

    private readonly LockdepSite _lockdep;

    // The holder's managed thread id (always positive), 0 when free; changed by compare-and-swap.
    private int _owner;
    private int _disposed;

    /// <summary>Creates a spinlock of the lock class <paramref name="className"/>.</summary>
    /// <param name="className">The lockdep class, <c>"TypeName.MemberName"</c> by convention.</param>
    /// <exception cref="ArgumentException">The name is null, empty or white space.</exception>
    public TrackedSpinLock(string className)
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
    public bool IsHeldByCurrentThread => Volatile.Read(ref _owner) == CurrentThread.Id;

    /// <inheritdoc/>
    public LockMode? HeldModeByCurrentThread => IsHeldByCurrentThread ? LockMode.Write : null;

    /// <inheritdoc/>
    bool ILockdepInstance.IsLockedByAnyThread => Volatile.Read(ref _owner) != 0;

    internal LockdepMap? Map => _lockdep.Map;

    /// <summary>Acquires the spinlock, spinning until it is free (<c>spin_lock</c>).</summary>
    /// <param name="file">Filled in by the compiler: where the lock is taken, for lockdep reports.</param>
    /// <param name="line">Filled in by the compiler: where the lock is taken, for lockdep reports.</param>
    /// <exception cref="LockRecursionException">The calling thread already holds it (tracker off, or recording mode).</exception>
    /// <exception cref="LockdepViolationException">The tracker found a violation (throwing mode); the spinlock was not taken.</exception>
    [Acquires("this")]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Lock([CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        var id = CurrentThread.Id;
        if (Lockdep.Enabled)
        {
            LockTracked(id, file, line);
        }
        else if (Interlocked.CompareExchange(ref _owner, id, 0) != 0)
        {
            LockSlow(id, file, line);
        }
    }

    /// <summary>Acquires the spinlock if it is free (<c>spin_trylock</c>); never spins.</summary>
    /// <param name="file">Filled in by the compiler: where the lock is taken, for lockdep reports.</param>
    /// <param name="line">Filled in by the compiler: where the lock is taken, for lockdep reports.</param>
    /// <returns>True when the spinlock is now held by the calling thread; false when it is held (by any thread, this one included).</returns>
    [TryAcquires(true, "this")]
    public bool TryLock([CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        _lockdep.TryAcquired(Interlocked.CompareExchange(ref _owner, CurrentThread.Id, 0) == 0, LockMode.Write, file, line);

    /// <summary>Releases the spinlock (<c>spin_unlock</c>).</summary>
    /// <param name="file">Filled in by the compiler: where the lock is released, for lockdep reports.</param>
    /// <param name="line">Filled in by the compiler: where the lock is released, for lockdep reports.</param>
    /// <exception cref="SynchronizationLockException">The calling thread does not hold it (tracker off; with it on, a <c>BadUnlockBalance</c> report).</exception>
    [Releases("this")]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Unlock([CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        // The tracker checks first and may refuse a bad unlock; the compare-and-swap proves the owner.
        var id = CurrentThread.Id;
        if (_lockdep.Releasing(LockMode.Write, file, line) && Interlocked.CompareExchange(ref _owner, 0, id) != id)
        {
            ThrowNotHeld();
        }
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
    public void Dispose() => _lockdep.Dispose(ref _disposed, held: Volatile.Read(ref _owner) != 0, ClassName, "a spinlock");

    /// <inheritdoc/>
    public override string ToString() => ClassName;

    /// <summary>The tracker-on acquisition: recursion check, validation before spinning, then the word.</summary>
    private void LockTracked(int id, string file, int line)
    {
        if (Volatile.Read(ref _owner) == id)
        {
            ThrowRecursive(file, line);
        }

        // Validate before spinning, as lockdep does: a deadlock is reported, not entered. Spinning
        // cannot be interrupted, so there is no abandoned acquisition to undo.
        _lockdep.Acquiring(LockMode.Write, subclass: 0, file, line);
        if (Interlocked.CompareExchange(ref _owner, id, 0) != 0)
        {
            LockSlow(id, file, line);
        }
    }

    /// <summary>The contended acquisition: recursion check, then test-and-test-and-set with backoff.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void LockSlow(int id, string file, int line)
    {
        if (Volatile.Read(ref _owner) == id)
        {
            ThrowRecursive(file, line);
        }

        var iterations = 1;
        while (true)
        {
            if (Volatile.Read(ref _owner) == 0 && Interlocked.CompareExchange(ref _owner, id, 0) == 0)
            {
                return;
            }

            if (iterations <= MaxSpinIterations)
            {
                Thread.SpinWait(iterations);
                iterations *= 2;
            }
            else
            {
                // The holder may be preempted (more runnable threads than cores): let it run.
                Thread.Yield();
            }
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowRecursive(string file, int line)
    {
        _lockdep.Recursive(LockMode.Write, subclass: 0, file, line);
        throw new LockRecursionException($"{ClassName}: recursive locking of a spinlock by the thread that holds it.");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowNotHeld() =>
        throw new SynchronizationLockException($"{ClassName}: unlock of a spinlock the calling thread does not hold.");
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
