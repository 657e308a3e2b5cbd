using System.Runtime.CompilerServices;
using XeLocked.Annotations;

namespace XeLocked.Locking;

/// <summary>
/// A spinlock (the kernel's <c>spinlock_t</c>) built on <see cref="SpinLock"/> with owner tracking,
/// validated by lockdep when the tracker is on. For short, non-blocking critical sections only
/// (queue head/tail, list links): never wait, sleep or take a sleeping lock while holding it.
/// </summary>
/// <example>
/// <code>
/// public readonly TrackedSpinLock ListLock = new("GarbageCollector.ListLock");
///
/// using (gc.ListLock.Guard()) { gc.RangeList.AddLast(range); }
/// </code>
/// </example>
[LockPrimitive(LockKind.Exclusive)]
public sealed class TrackedSpinLock : ITrackedLock, IDisposable
{
    private readonly LockdepMap _map;
    private SpinLock _spin = new(enableThreadOwnerTracking: true);
    private int _disposed;

    /// <summary>Creates a spinlock of the lock class <paramref name="className"/>.</summary>
    /// <param name="className">The lockdep class, <c>"TypeName.MemberName"</c> by convention.</param>
    /// <exception cref="ArgumentException">The name is null, empty or white space.</exception>
    public TrackedSpinLock(string className)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(className);
        ClassName = className;
        _map = new LockdepMap(this);
    }

    /// <inheritdoc/>
    public string ClassName { get; }

    /// <inheritdoc/>
    public LockKind Kind => LockKind.Exclusive;

    /// <inheritdoc/>
    public bool IsHeldByCurrentThread => _spin.IsHeldByCurrentThread;

    /// <inheritdoc/>
    public LockMode? HeldModeByCurrentThread => _spin.IsHeldByCurrentThread ? LockMode.Write : null;

    internal LockdepMap Map => _map;

    /// <summary>Acquires the spinlock, spinning until it is free (<c>spin_lock</c>).</summary>
    /// <exception cref="LockRecursionException">The calling thread already holds it (tracker off).</exception>
    [Acquires("this")]
    public void Lock([CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        if (Lockdep.Enabled)
        {
            LockdepHooks.Acquiring(_map, LockMode.Write, subclass: 0, file, line);
        }
        else if (_spin.IsHeldByCurrentThread)
        {
            throw new LockRecursionException($"{ClassName}: recursive locking of a spinlock.");
        }

        var taken = false;
        _spin.Enter(ref taken);
    }

    /// <summary>Acquires the spinlock if it is free (<c>spin_trylock</c>).</summary>
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
            LockdepHooks.Acquired(_map, LockMode.Write, subclass: 0, trylock: true, file, line);
        }

        return taken;
    }

    /// <summary>Releases the spinlock (<c>spin_unlock</c>).</summary>
    /// <exception cref="SynchronizationLockException">The calling thread does not hold it (tracker off).</exception>
    [Releases("this")]
    public void Unlock([CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        var held = _spin.IsHeldByCurrentThread;
        if (Lockdep.Enabled && !LockdepHooks.Releasing(_map, LockMode.Write, held, file, line))
        {
            return;
        }

        if (!held)
        {
            throw new SynchronizationLockException($"{ClassName}: unlock of a spinlock the calling thread does not hold.");
        }

        _spin.Exit(useMemoryBarrier: true);
    }

    /// <summary>Acquires the spinlock and returns a guard whose <c>Dispose</c> releases it.</summary>
    [Acquires("this")]
    public SpinGuard Guard([CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        Lock(file, line);
        return new SpinGuard(this);
    }

    /// <summary>Frees the spinlock. Freeing one that is held is a <c>HeldLockFreed</c> report (tracker on).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        LockdepHooks.Freed(_map, _spin.IsHeld);
    }

    /// <inheritdoc/>
    public override string ToString() => ClassName;
}

/// <summary>The guard returned by <see cref="TrackedSpinLock.Guard"/>; disposing it unlocks the spinlock.</summary>
[ScopedLock]
public readonly struct SpinGuard : IDisposable
{
    private readonly TrackedSpinLock _lock;

    internal SpinGuard(TrackedSpinLock spinLock) => _lock = spinLock;

    /// <summary>Releases the spinlock.</summary>
    public void Dispose() => _lock.Unlock();
}
