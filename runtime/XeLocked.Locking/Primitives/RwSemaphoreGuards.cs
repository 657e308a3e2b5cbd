using System.Runtime.CompilerServices;
using XeLocked.Annotations;

namespace XeLocked.Locking;

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
