using System.Runtime.CompilerServices;

namespace XeLocked.Locking;

/// <summary>
/// The state word and the FIFO wait queue behind <see cref="TrackedAsyncMutex"/> (writers only)
/// and <see cref="TrackedAsyncRwLock"/>. The word holds the reader count, a writer bit and a
/// waiters bit that is set exactly while the queue is not empty (changed only under the gate).
/// </summary>
/// <remarks>
/// <para>
/// Uncontended paths are one compare-and-swap: a writer takes a zero word, a reader adds one while
/// neither the writer nor the waiters bit is set, and a release that finds no waiters bit undoes
/// its own part. Everything else happens under the gate: an acquisition that must wait is queued
/// (and sets the waiters bit), and a release that finds the bit set hands the lock over to the head
/// of the queue — to a writer, or to the run of readers at the head — without ever letting the
/// word become free in between, so nobody barges ahead of the queue (FIFO; a queued writer holds
/// back every reader that comes after it, so writers are not starved).
/// </para>
/// <para>
/// A waiter leaves the queue either granted or cancelled, never both: both decisions are made
/// under the gate. A cancelled writer at the head may unblock the readers behind it, which are
/// granted at once.
/// </para>
/// </remarks>
internal sealed class AsyncLockQueue
{
    public const int WriterBit = 1 << 30;
    public const int WaitersBit = 1 << 29;
    public const int ReaderMask = WaitersBit - 1;

    private readonly object _gate = new();
    private int _state;
    private AsyncLockWaiter? _head;
    private AsyncLockWaiter? _tail;
    private int _queued;

    /// <summary>True when a writer holds the lock.</summary>
    public bool IsWriteHeld => (Volatile.Read(ref _state) & WriterBit) != 0;

    /// <summary>Readers holding the lock.</summary>
    public int Readers => Volatile.Read(ref _state) & ReaderMask;

    /// <summary>True when anyone holds the lock.</summary>
    public bool IsHeld => (Volatile.Read(ref _state) & (WriterBit | ReaderMask)) != 0;

    /// <summary>Waiters in the queue.</summary>
    public int QueuedCount
    {
        get
        {
            lock (_gate)
            {
                return _queued;
            }
        }
    }

    /// <summary>Takes the lock for writing if it is free and nobody waits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryWriteFast() => Interlocked.CompareExchange(ref _state, WriterBit, 0) == 0;

    /// <summary>Takes the lock for reading if no writer holds it and nobody waits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadFast()
    {
        var s = Volatile.Read(ref _state);
        while ((s & (WriterBit | WaitersBit)) == 0 && (s & ReaderMask) != ReaderMask)
        {
            var seen = Interlocked.CompareExchange(ref _state, s + 1, s);
            if (seen == s)
            {
                return true;
            }

            s = seen;
        }

        return false;
    }

    /// <summary>Releases a write hold; false when the lock was not write-held (nothing changed).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool ExitWrite() => Interlocked.CompareExchange(ref _state, 0, WriterBit) == WriterBit || ExitSlow(write: true);

    /// <summary>Releases a read hold; false when no reader held the lock (nothing changed).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool ExitRead()
    {
        var s = Volatile.Read(ref _state);
        while ((s & WaitersBit) == 0)
        {
            if ((s & ReaderMask) == 0)
            {
                return false;
            }

            var seen = Interlocked.CompareExchange(ref _state, s - 1, s);
            if (seen == s)
            {
                return true;
            }

            s = seen;
        }

        return ExitSlow(write: false);
    }

    /// <summary>
    /// Takes the lock if it is compatible and nobody waits; otherwise queues a waiter (unless
    /// <paramref name="timeout"/> is zero). Returns true when the lock was taken.
    /// </summary>
    /// <param name="write">Exclusive (writer) or shared (reader).</param>
    /// <param name="cancellationToken">Cancels the wait; an already cancelled token refuses to wait (throws).</param>
    /// <param name="timeout">How long to wait: <see cref="Timeout.InfiniteTimeSpan"/>, zero (never queue) or positive.</param>
    /// <param name="sync">The waiter blocks a thread (<c>Lock()</c>) rather than awaits.</param>
    /// <param name="waiter">The queued waiter when false is returned and the caller must wait; null when it must not.</param>
    /// <exception cref="OperationCanceledException">The lock is not free and the token is already cancelled.</exception>
    public bool AcquireOrEnqueue(bool write, CancellationToken cancellationToken, TimeSpan timeout, bool sync, out AsyncLockWaiter? waiter)
    {
        waiter = null;
        lock (_gate)
        {
            while (true)
            {
                var s = Volatile.Read(ref _state);
                if (_head is null)
                {
                    var compatible = write ? (s & (WriterBit | ReaderMask)) == 0 : (s & WriterBit) == 0 && (s & ReaderMask) != ReaderMask;
                    if (compatible)
                    {
                        if (Interlocked.CompareExchange(ref _state, write ? s | WriterBit : s + 1, s) == s)
                        {
                            return true;
                        }

                        continue;
                    }

                    if (timeout == TimeSpan.Zero)
                    {
                        return false;
                    }

                    cancellationToken.ThrowIfCancellationRequested();
                    if (Interlocked.CompareExchange(ref _state, s | WaitersBit, s) != s)
                    {
                        continue;
                    }
                }
                else if (timeout == TimeSpan.Zero)
                {
                    return false;
                }
                else if (cancellationToken.IsCancellationRequested)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                var w = new AsyncLockWaiter(this, write, sync);
                Append(w);
                w.Arm(cancellationToken, timeout);
                waiter = w;
                return false;
            }
        }
    }

    /// <summary>
    /// Removes a waiter whose wait was cancelled or timed out. Returns false when it was granted
    /// first (it then holds the lock and its await completes normally).
    /// </summary>
    public bool Cancel(AsyncLockWaiter waiter)
    {
        AsyncLockWaiter? granted;
        lock (_gate)
        {
            if (!waiter.Queued)
            {
                return false;
            }

            Remove(waiter);
            if (_head is null)
            {
                var s = Volatile.Read(ref _state);
                while (true)
                {
                    var seen = Interlocked.CompareExchange(ref _state, s & ~WaitersBit, s);
                    if (seen == s)
                    {
                        break;
                    }

                    s = seen;
                }
            }

            granted = GrantLocked();
        }

        Complete(granted);
        return true;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool ExitSlow(bool write)
    {
        AsyncLockWaiter? granted;
        lock (_gate)
        {
            var s = Volatile.Read(ref _state);
            while (true)
            {
                if (write ? (s & WriterBit) == 0 : (s & ReaderMask) == 0)
                {
                    return false;
                }

                var seen = Interlocked.CompareExchange(ref _state, write ? s & ~WriterBit : s - 1, s);
                if (seen == s)
                {
                    break;
                }

                s = seen;
            }

            granted = GrantLocked();
        }

        Complete(granted);
        return true;
    }

    /// <summary>
    /// Hands the lock to the head of the queue while it is compatible with the holders: one writer,
    /// or the run of readers at the head. The waiters bit stays set while anyone is left queued.
    /// Returns the granted waiters, linked, to be completed once the gate is left. Caller holds the gate.
    /// </summary>
    private AsyncLockWaiter? GrantLocked()
    {
        AsyncLockWaiter? first = null;
        AsyncLockWaiter? last = null;
        while (_head is { } h)
        {
            var s = Volatile.Read(ref _state);
            var more = h.Next is not null ? WaitersBit : 0;
            int next;
            if (h.Write)
            {
                if ((s & (WriterBit | ReaderMask)) != 0)
                {
                    break;
                }

                next = WriterBit | more;
            }
            else
            {
                if ((s & WriterBit) != 0 || (s & ReaderMask) == ReaderMask)
                {
                    break;
                }

                next = ((s & ReaderMask) + 1) | more;
            }

            if (Interlocked.CompareExchange(ref _state, next, s) != s)
            {
                continue;
            }

            Remove(h);
            h.NextGranted = null;
            if (last is null)
            {
                first = h;
            }
            else
            {
                last.NextGranted = h;
            }

            last = h;
            if (h.Write)
            {
                break;
            }
        }

        return first;
    }

    private static void Complete(AsyncLockWaiter? granted)
    {
        while (granted is not null)
        {
            var next = granted.NextGranted;
            granted.Grant();
            granted = next;
        }
    }

    private void Append(AsyncLockWaiter w)
    {
        w.Prev = _tail;
        w.Next = null;
        if (_tail is null)
        {
            _head = w;
        }
        else
        {
            _tail.Next = w;
        }

        _tail = w;
        w.Queued = true;
        _queued++;
    }

    private void Remove(AsyncLockWaiter w)
    {
        if (w.Prev is null)
        {
            _head = w.Next;
        }
        else
        {
            w.Prev.Next = w.Next;
        }

        if (w.Next is null)
        {
            _tail = w.Prev;
        }
        else
        {
            w.Next.Prev = w.Prev;
        }

        w.Prev = w.Next = null;
        w.Queued = false;
        _queued--;
    }
}
