namespace XeLocked.Locking;

/// <summary>Checks shared by the async primitives.</summary>
internal static class AsyncLockChecks
{
    /// <summary>Refuses a negative timeout other than <see cref="Timeout.InfiniteTimeSpan"/>.</summary>
    public static void ThrowIfBadTimeout(TimeSpan timeout)
    {
        if (timeout < TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The timeout must be zero, positive or Timeout.InfiniteTimeSpan.");
        }
    }

    /// <summary>
    /// Tracker on: the release's flow check. A guard used by a context that has no flow yet makes
    /// that context part of the guard's flow (the caller of the awaited callee that began it); any
    /// other release is checked against the calling context's flow. False: refused (recorded).
    /// </summary>
    public static bool Releasing(AsyncFlow? guardFlow, LockdepMap map, XeLocked.Annotations.LockMode mode, string? holder, string file, int line)
    {
        var flow = AsyncFlow.CurrentOrNull;
        if (flow is null && guardFlow is not null)
        {
            AsyncFlow.Adopt(guardFlow);
            flow = guardFlow;
        }

        return AsyncLockdepHooks.Releasing(flow, map, mode, flow is not null && ReferenceEquals(holder, flow.Holder) ? null : holder, file, line);
    }
}
