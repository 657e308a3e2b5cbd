using XeLocked.Annotations;

namespace XeLocked.Locking;

/// <summary>
/// What <see cref="TrackedAsyncMutex"/> (write holds only) and <see cref="TrackedAsyncRwLock"/>
/// share: the queue, the lockdep site, the flow that holds the write hold, and the acquisition
/// protocol around them. A blocking or timed acquisition is validated before it waits and undone
/// when the wait ends without the lock (cancelled, timed out, or it threw); a try-acquisition is
/// recorded after it succeeded; a release is checked by the tracker before it touches the queue.
/// </summary>
/// <remarks>
/// The public primitives keep their uncontended tracker-off fast paths inline (one compare-and-swap
/// on <see cref="Queue"/>) and come here for everything else.
/// </remarks>
internal sealed class AsyncLockCore
{
    private readonly LockdepSite _lockdep;
    private readonly string _className;
    private readonly string _what;

    // The flow that holds the write hold, as recorded when it was taken (tracker on), for the
    // release's check; written by the acquirer only.
    private string? _writer;
    private int _disposed;

    /// <summary>The core of <paramref name="owner"/>, called <paramref name="what"/> in messages ("async mutex").</summary>
    public AsyncLockCore(ILockdepInstance owner, string what)
    {
        _lockdep = LockdepSite.For(owner);
        _className = owner.ClassName;
        _what = what;
    }

    /// <summary>The state word and FIFO queue.</summary>
    public AsyncLockQueue Queue { get; } = new();

    /// <summary>
    /// The mode the calling async flow holds the lock in (tracker on); with the tracker off, the
    /// mode anyone holds it in; null when not held.
    /// </summary>
    public LockMode? HeldMode =>
        Lockdep.Enabled
            ? _lockdep.HeldModeInFlow()
            : Queue.IsWriteHeld ? LockMode.Write : Queue.Readers > 0 ? LockMode.Read : null;

    /// <summary>Validates a blocking or timed acquisition before it waits; returns the calling flow (null when the tracker is off).</summary>
    public AsyncFlow? Announce(bool write, string file, int line, bool syncWait) =>
        _lockdep.AnnounceInFlow(Mode(write), file, line, syncWait, _what);

    /// <summary>
    /// After <see cref="Announce"/>: takes the lock at once (returns null) or queues a waiter
    /// (returns it, for <see cref="Wait"/>); undoes the announcement if that throws.
    /// </summary>
    public AsyncLockWaiter? Enter(bool write, AsyncFlow? flow, CancellationToken cancellationToken, TimeSpan timeout)
    {
        AsyncLockWaiter? waiter = null;
        try
        {
            if (TryFast(write) || Queue.AcquireOrEnqueue(write, cancellationToken, timeout, sync: false, out waiter))
            {
                Took(write, flow);
                return null;
            }
        }
        catch
        {
            Abandon(write, flow);
            throw;
        }

        return waiter;
    }

    /// <summary>Awaits a queued waiter: true when granted, false when timed out (announcement undone), throws when cancelled (undone).</summary>
    public async ValueTask<bool> Wait(AsyncLockWaiter waiter, bool write, AsyncFlow? flow)
    {
        bool granted;
        try
        {
            granted = await new ValueTask<bool>(waiter, waiter.Version).ConfigureAwait(false);
        }
        catch
        {
            Abandon(write, flow);
            throw;
        }

        if (granted)
        {
            Took(write, flow);
        }
        else
        {
            Abandon(write, flow);
        }

        return granted;
    }

    /// <summary>Acquires, blocking the calling thread while needed (a synchronous wait for a lock the calling flow holds is reported first).</summary>
    public void LockSync(bool write, string file, int line)
    {
        var flow = Announce(write, file, line, syncWait: true);
        try
        {
            if (!TryFast(write) && !Queue.AcquireOrEnqueue(write, default, Timeout.InfiniteTimeSpan, sync: true, out var waiter))
            {
                waiter!.WaitSync();
            }
        }
        catch
        {
            Abandon(write, flow);
            throw;
        }

        Took(write, flow);
    }

    /// <summary>Acquires within <paramref name="timeout"/>; zero never waits (a trylock, exempt from ordering checks as in lockdep).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative timeout other than infinite.</exception>
    public ValueTask<bool> TryLockAsync(bool write, TimeSpan timeout, CancellationToken cancellationToken, string file, int line)
    {
        if (timeout < TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The timeout must be zero, positive or Timeout.InfiniteTimeSpan.");
        }

        if (timeout == TimeSpan.Zero)
        {
            return new ValueTask<bool>(TryLock(write, file, line));
        }

        var flow = Announce(write, file, line, syncWait: false);
        var waiter = Enter(write, flow, cancellationToken, timeout);
        return waiter is null ? new ValueTask<bool>(true) : Wait(waiter, write, flow);
    }

    /// <summary>Acquires if the lock can be had at once (free, for a writer; no writer holding or waiting, for a reader); never waits.</summary>
    public bool TryLock(bool write, string file, int line)
    {
        if (!TryFast(write))
        {
            return false;
        }

        if (Lockdep.Enabled)
        {
            if (!_lockdep.TryAcquiredInFlow(Mode(write), file, line, out var flow) && !write)
            {
                // A second read hold by the flow that holds it (readers are not recursive): refused.
                Queue.ExitRead();
                return false;
            }

            Took(write, flow);
        }

        return true;
    }

    /// <summary>
    /// Releases a hold; <paramref name="guardFlow"/> is the flow a guard was handed by (null: an
    /// explicit unlock). False when the lock was not held that way (the caller throws); true when
    /// released, or when the tracker refused the release (recorded).
    /// </summary>
    public bool Exit(bool write, AsyncFlow? guardFlow, string file, int line) =>
        !_lockdep.ReleasingInFlow(guardFlow, Mode(write), write ? _writer : null, file, line) ||
        (write ? Queue.ExitWrite() : Queue.ExitRead());

    /// <summary>Frees the lock once: freeing it while held is a <c>HeldLockFreed</c> report (tracker on) or an <see cref="InvalidOperationException"/> (off).</summary>
    /// <param name="what">The primitive, with its article: "an async mutex".</param>
    public void Dispose(string what) => _lockdep.DisposeInFlow(ref _disposed, Queue.IsHeld, _className, what);

    private static LockMode Mode(bool write) => write ? LockMode.Write : LockMode.Read;

    private bool TryFast(bool write) => write ? Queue.TryWriteFast() : Queue.TryReadFast();

    private void Took(bool write, AsyncFlow? flow)
    {
        if (write && flow is not null)
        {
            _writer = flow.Holder;
        }
    }

    private void Abandon(bool write, AsyncFlow? flow) => _lockdep.AbandonedInFlow(flow, Mode(write));
}
