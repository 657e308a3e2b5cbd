using BenchmarkDotNet.Attributes;
using XeLocked.Locking;

namespace XeLocked.Benchmarks;

/// <summary>
/// Tracker off: an uncontended lock+unlock of each primitive against the bare BCL lock it is built
/// on. Target: <c>TrackedMutex</c> ≤ 1.10× <c>System.Threading.Lock</c>, zero allocation.
/// </summary>
[Config(typeof(BenchConfigs.Off))]
public class PrimitiveOverheadBenchmarks
{
    private readonly Lock _lock = new();
    private readonly TrackedMutex _mutex = new("Bench.Mutex");
    private readonly TrackedSpinLock _spin = new("Bench.Spin");
    private readonly TrackedRwSemaphore _rw = new("Bench.Rw");
    private readonly ReaderWriterLockSlim _slim = new(LockRecursionPolicy.NoRecursion);
    private SpinLock _bareSpin = new(enableThreadOwnerTracking: true);

    [GlobalSetup]
    public void CheckTrackerOff()
    {
        if (Lockdep.Enabled)
        {
            throw new InvalidOperationException("this benchmark needs XELOCKED_LOCKDEP=0");
        }
    }

    [Benchmark(Baseline = true, Description = "Lock.Enter+Exit")]
    public void ThreadingLock()
    {
        _lock.Enter();
        _lock.Exit();
    }

    [Benchmark(Description = "TrackedMutex.Lock+Unlock")]
    public void TrackedMutexLockUnlock()
    {
        _mutex.Lock();
        _mutex.Unlock();
    }

    [Benchmark(Description = "TrackedMutex.Guard")]
    public void TrackedMutexGuard()
    {
        using (_mutex.Guard())
        {
        }
    }

    [Benchmark(Description = "SpinLock(owner tracking).Enter+Exit")]
    public void BareSpinLock()
    {
        var taken = false;
        _bareSpin.Enter(ref taken);
        _bareSpin.Exit(useMemoryBarrier: true);
    }

    [Benchmark(Description = "TrackedSpinLock.Lock+Unlock")]
    public void TrackedSpinLockLockUnlock()
    {
        _spin.Lock();
        _spin.Unlock();
    }

    [Benchmark(Description = "ReaderWriterLockSlim.EnterReadLock+ExitReadLock")]
    public void SlimRead()
    {
        _slim.EnterReadLock();
        _slim.ExitReadLock();
    }

    [Benchmark(Description = "ReaderWriterLockSlim.EnterWriteLock+ExitWriteLock")]
    public void SlimWrite()
    {
        _slim.EnterWriteLock();
        _slim.ExitWriteLock();
    }

    [Benchmark(Description = "TrackedRwSemaphore.LockRead+UnlockRead")]
    public void TrackedRwRead()
    {
        _rw.LockRead();
        _rw.UnlockRead();
    }

    [Benchmark(Description = "TrackedRwSemaphore.LockWrite+UnlockWrite")]
    public void TrackedRwWrite()
    {
        _rw.LockWrite();
        _rw.UnlockWrite();
    }
}
