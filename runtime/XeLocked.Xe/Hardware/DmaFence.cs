using System.Diagnostics;

namespace XeLocked.Xe;

/// <summary>
/// A <c>dma_fence</c> of the simulated GPU: it signals when the hardware job behind it completes,
/// <see cref="XeOptions"/>-configured time after submission. Waiting blocks the waiter (no lock is
/// taken: a fence wait is not a lock acquisition, §1.12).
/// </summary>
public sealed class DmaFence
{
    private readonly long _signalAt;

    internal DmaFence(long signalAtTimestamp) => _signalAt = signalAtTimestamp;

    /// <summary>A fence that is already signalled.</summary>
    public static DmaFence Signaled { get; } = new(0);

    /// <summary>True once the job completed.</summary>
    public bool IsSignaled => Stopwatch.GetTimestamp() >= _signalAt;

    /// <summary><c>dma_fence_wait(fence, false)</c>: blocks until signalled.</summary>
    public void Wait() => SimTime.SleepUntil(_signalAt);
}
