using System.Threading.Tasks.Sources;

namespace XeLocked.Locking;

/// <summary>
/// One queued acquisition of an <see cref="AsyncLockQueue"/>: a node of the FIFO wait queue and the
/// <see cref="IValueTaskSource{TResult}"/> its waiter awaits (true: granted; false: timed out; an
/// <see cref="OperationCanceledException"/>: cancelled). Continuations always run asynchronously,
/// so a release never runs the next holder's code on the releasing thread. A synchronous waiter
/// (<c>Lock()</c>) blocks on an event instead of awaiting.
/// </summary>
internal sealed class AsyncLockWaiter : IValueTaskSource<bool>
{
    private readonly AsyncLockQueue _queue;
    private readonly ManualResetEventSlim? _event;
    private ManualResetValueTaskSourceCore<bool> _core;
    private CancellationToken _token;
    private CancellationTokenRegistration _cancelRegistration;
    private CancellationTokenRegistration _timeoutRegistration;
    private CancellationTokenSource? _timeout;
    private int _done;

    public AsyncLockWaiter(AsyncLockQueue queue, bool write, bool sync)
    {
        _queue = queue;
        Write = write;
        _core.RunContinuationsAsynchronously = true;
        _event = sync ? new ManualResetEventSlim(false) : null;
    }

    /// <summary>Wants the lock exclusively (a writer) rather than shared.</summary>
    public bool Write { get; }

    /// <summary>Queue links; guarded by the queue's gate.</summary>
    public AsyncLockWaiter? Prev, Next;

    /// <summary>Links the waiters granted by one release, completed after the gate is left.</summary>
    public AsyncLockWaiter? NextGranted;

    /// <summary>In the queue (guarded by the queue's gate): false once granted or cancelled.</summary>
    public bool Queued;

    /// <summary>The token of the <see cref="ValueTask{TResult}"/> that awaits this waiter.</summary>
    public short Version => _core.Version;

    /// <summary>
    /// Registers the cancellation and the timeout. Called under the queue's gate right after the
    /// waiter is queued, so a grant (which needs the gate) never sees half-written registrations; a
    /// cancellation that fires meanwhile waits for the gate (or, on this thread, re-enters it).
    /// </summary>
    public void Arm(CancellationToken cancellationToken, TimeSpan timeout)
    {
        _token = cancellationToken;
        if (timeout != Timeout.InfiniteTimeSpan)
        {
            _timeout = new CancellationTokenSource(timeout);
            _timeoutRegistration = _timeout.Token.UnsafeRegister(static s => ((AsyncLockWaiter)s!).OnCancel(timedOut: true), this);
        }

        if (cancellationToken.CanBeCanceled)
        {
            _cancelRegistration = cancellationToken.UnsafeRegister(static s => ((AsyncLockWaiter)s!).OnCancel(timedOut: false), this);
        }
    }

    /// <summary>The queue granted the lock to this waiter (called outside the gate).</summary>
    public void Grant() => Finish(granted: true, null);

    /// <summary>Blocks the calling thread until the waiter is granted (synchronous waiters only).</summary>
    public bool WaitSync()
    {
        _event!.Wait();
        _event.Dispose();
        return _core.GetResult(_core.Version);
    }

    /// <inheritdoc/>
    public bool GetResult(short token) => _core.GetResult(token);

    /// <inheritdoc/>
    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    /// <inheritdoc/>
    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

    /// <summary>
    /// Cancellation or timeout: the queue decides, under its gate, whether the waiter is still
    /// queued (cancel wins: it is removed) or was granted first (grant wins: nothing to do).
    /// </summary>
    private void OnCancel(bool timedOut)
    {
        if (_queue.Cancel(this))
        {
            Finish(granted: false, timedOut ? null : new OperationCanceledException(_token));
        }
    }

    private void Finish(bool granted, Exception? error)
    {
        if (Interlocked.Exchange(ref _done, 1) != 0)
        {
            return;
        }

        _cancelRegistration.Unregister();
        _timeoutRegistration.Unregister();
        _timeout?.Dispose();
        if (error is null)
        {
            _core.SetResult(granted);
        }
        else
        {
            _core.SetException(error);
        }

        _event?.Set();
    }
}
