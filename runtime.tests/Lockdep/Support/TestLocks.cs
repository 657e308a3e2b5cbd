using XeLocked.Annotations;
using XeLocked.Locking;

namespace XeLocked.Runtime.Tests.Lockdep.Support;

/// <summary>One lock of a scenario, whatever its primitive: the operations the selftest scripts use.</summary>
internal interface ITestLock
{
    ITrackedLock Tracked { get; }

    void Lock();

    void LockRead();

    void LockRecursiveRead();

    void LockNested(int subclass);

    bool TryLock();

    bool TryLockRead();

    void Unlock();

    void UnlockRead();

    void Downgrade();

    void Free();
}

internal sealed class MutexLock(string cls) : ITestLock
{
    private readonly TrackedMutex _m = new(cls);

    public ITrackedLock Tracked => _m;

    public void Lock() => _m.Lock();

    public void LockRead() => throw new NotSupportedException("a mutex has no read mode");

    public void LockRecursiveRead() => throw new NotSupportedException("a mutex has no read mode");

    public void LockNested(int subclass) => _m.LockNested(subclass);

    public bool TryLock() => _m.TryLock();

    public bool TryLockRead() => throw new NotSupportedException("a mutex has no read mode");

    public void Unlock() => _m.Unlock();

    public void UnlockRead() => throw new NotSupportedException("a mutex has no read mode");

    public void Downgrade() => throw new NotSupportedException("a mutex cannot downgrade");

    public void Free() => _m.Dispose();
}

internal sealed class SpinLockLock(string cls) : ITestLock
{
    private readonly TrackedSpinLock _s = new(cls);

    public ITrackedLock Tracked => _s;

    public void Lock() => _s.Lock();

    public void LockRead() => throw new NotSupportedException("a spinlock has no read mode");

    public void LockRecursiveRead() => throw new NotSupportedException("a spinlock has no read mode");

    public void LockNested(int subclass) => throw new NotSupportedException("TrackedSpinLock has no LockNested");

    public bool TryLock() => _s.TryLock();

    public bool TryLockRead() => throw new NotSupportedException("a spinlock has no read mode");

    public void Unlock() => _s.Unlock();

    public void UnlockRead() => throw new NotSupportedException("a spinlock has no read mode");

    public void Downgrade() => throw new NotSupportedException("a spinlock cannot downgrade");

    public void Free() => _s.Dispose();
}

internal sealed class RwSemLock(string cls) : ITestLock
{
    private readonly TrackedRwSemaphore _s = new(cls);

    public ITrackedLock Tracked => _s;

    public void Lock() => _s.LockWrite();

    public void LockRead() => _s.LockRead();

    public void LockRecursiveRead() => throw new NotSupportedException("rw-semaphore readers are not recursive");

    public void LockNested(int subclass) => throw new NotSupportedException("TrackedRwSemaphore has no LockNested");

    public bool TryLock() => _s.TryLockWrite();

    public bool TryLockRead() => _s.TryLockRead();

    public void Unlock() => _s.UnlockWrite();

    public void UnlockRead() => _s.UnlockRead();

    public void Downgrade() => _s.DowngradeWrite();

    public void Free() => _s.Dispose();
}

/// <summary>
/// A validator-level stand-in for a reader-writer lock whose readers are recursive (lockdep's
/// <c>read == 2</c>, as the kernel's <c>rwlock_t</c> readers and <c>lock_map_acquire_read</c>). It
/// only drives the tracker (no real exclusion): the library ships no such primitive, but the
/// strong-path rules for recursive readers are part of the validator and are tested through it.
/// </summary>
internal sealed class RecursiveReadLock : ITestLock, ILockdepInstance
{
    private readonly LockdepMap _map;
    private readonly ThreadLocal<List<LockMode>> _holds = new(() => new List<LockMode>());

    public RecursiveReadLock(string cls)
    {
        ClassName = cls;
        _map = new LockdepMap(this);
    }

    public string ClassName { get; }

    public LockKind Kind => LockKind.ReaderWriter;

    public bool IsHeldByCurrentThread => _holds.Value!.Count > 0;

    public LockMode? HeldModeByCurrentThread => _holds.Value!.Count > 0 ? _holds.Value[^1] : null;

    public bool IsLockedByAnyThread => false;

    public ITrackedLock Tracked => this;

    public void Lock()
    {
        LockValidator.Acquire(_map, ReadKind.Exclusive, 0, trylock: false, "RecursiveReadLock", 1);
        _holds.Value!.Add(LockMode.Write);
    }

    public void LockRead() => LockRecursiveRead();

    public void LockRecursiveRead()
    {
        LockValidator.Acquire(_map, ReadKind.SharedRecursive, 0, trylock: false, "RecursiveReadLock", 2);
        _holds.Value!.Add(LockMode.Read);
    }

    public void LockNested(int subclass) => throw new NotSupportedException();

    public bool TryLock() => throw new NotSupportedException();

    public bool TryLockRead() => throw new NotSupportedException();

    public void Unlock() => Release(LockMode.Write);

    public void UnlockRead() => Release(LockMode.Read);

    public void Downgrade() => throw new NotSupportedException();

    public void Free() => throw new NotSupportedException();

    private void Release(LockMode mode)
    {
        var holds = _holds.Value!;
        var i = holds.LastIndexOf(mode);
        if (LockValidator.Release(_map, mode == LockMode.Read ? ReadKind.SharedRecursive : ReadKind.Exclusive, "RecursiveReadLock", 3) && i >= 0)
        {
            holds.RemoveAt(i);
        }
    }
}
