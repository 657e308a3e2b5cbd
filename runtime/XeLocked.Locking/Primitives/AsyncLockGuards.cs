using System.Runtime.CompilerServices;
using XeLocked.Annotations;

namespace XeLocked.Locking;

/// <summary>
/// The guard returned by <see cref="TrackedAsyncMutex.LockAsync"/>: disposing it (<c>await using</c>
/// or <c>using</c>) releases the mutex. It remembers the async flow that acquired, so a caller that
/// awaited the method which took the flow's first lock continues that flow when it releases.
/// </summary>
[ScopedLock]
public readonly struct AsyncMutexGuard : IDisposable, IAsyncDisposable
{
    private readonly TrackedAsyncMutex _mutex;
    private readonly AsyncFlow? _flow;

    internal AsyncMutexGuard(TrackedAsyncMutex mutex, AsyncFlow? flow)
    {
        _mutex = mutex;
        _flow = flow;
    }

    /// <summary>Releases the mutex.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Dispose() => _mutex.Release(_flow, "", 0);

    /// <summary>Releases the mutex; completes synchronously.</summary>
    /// <returns>A completed task.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ValueTask DisposeAsync()
    {
        _mutex.Release(_flow, "", 0);
        return default;
    }
}

/// <summary>The guard returned by <see cref="TrackedAsyncRwLock.ReadLockAsync"/>: disposing it releases the read hold.</summary>
[ScopedLock]
public readonly struct AsyncReadGuard : IDisposable, IAsyncDisposable
{
    private readonly TrackedAsyncRwLock _lock;
    private readonly AsyncFlow? _flow;

    internal AsyncReadGuard(TrackedAsyncRwLock rwLock, AsyncFlow? flow)
    {
        _lock = rwLock;
        _flow = flow;
    }

    /// <summary>Releases the read hold.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Dispose() => _lock.Release(write: false, _flow, "", 0);

    /// <summary>Releases the read hold; completes synchronously.</summary>
    /// <returns>A completed task.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ValueTask DisposeAsync()
    {
        _lock.Release(write: false, _flow, "", 0);
        return default;
    }
}

/// <summary>The guard returned by <see cref="TrackedAsyncRwLock.WriteLockAsync"/>: disposing it releases the write hold.</summary>
[ScopedLock]
public readonly struct AsyncWriteGuard : IDisposable, IAsyncDisposable
{
    private readonly TrackedAsyncRwLock _lock;
    private readonly AsyncFlow? _flow;

    internal AsyncWriteGuard(TrackedAsyncRwLock rwLock, AsyncFlow? flow)
    {
        _lock = rwLock;
        _flow = flow;
    }

    /// <summary>Releases the write hold.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Dispose() => _lock.Release(write: true, _flow, "", 0);

    /// <summary>Releases the write hold; completes synchronously.</summary>
    /// <returns>A completed task.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ValueTask DisposeAsync()
    {
        _lock.Release(write: true, _flow, "", 0);
        return default;
    }
}
