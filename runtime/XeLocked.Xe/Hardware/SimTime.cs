using System.Diagnostics;
using System.Runtime.InteropServices;

namespace XeLocked.Xe;

/// <summary>
/// Simulated hardware time: a blocking wait of the calling thread (the thread that waits for the
/// GPU), scaled by <see cref="XeOptions.LatencyScale"/>. On Linux it uses <c>nanosleep</c> with the
/// thread's timer slack lowered to 1 µs, so sub-millisecond latencies are honoured (to the
/// scheduler's resolution, tens of µs); elsewhere it rounds up to whole milliseconds.
/// Latencies below <see cref="SpinBelow"/> (an MMIO doorbell, a short PT job) are spun instead:
/// a sleep would overshoot them by 10–100× and what they model is CPU-bound at that scale anyway.
/// This is hardware latency, never test synchronization.
/// </summary>
internal sealed class SimTime
{
    private const int PrSetTimerSlack = 29;

    [ThreadStatic]
    private static bool t_slackSet;

    /// <summary>Waits shorter than this are spun, not slept.</summary>
    internal static readonly TimeSpan SpinBelow = TimeSpan.FromMicroseconds(20);

    private static readonly long SpinBelowTicks = (long)(SpinBelow.TotalSeconds * Stopwatch.Frequency);

    private readonly double _scale;

    public SimTime(double scale) => _scale = scale;

    /// <summary>The scaled duration of <paramref name="latency"/>.</summary>
    public TimeSpan Scale(TimeSpan latency) => _scale == 1.0 ? latency : latency * _scale;

    /// <summary>Blocks for the scaled <paramref name="latency"/> (nothing when it scales to zero).</summary>
    public void Delay(TimeSpan latency) => SleepUntil(Deadline(latency));

    /// <summary>
    /// Busy-waits for the scaled <paramref name="latency"/>: host CPU work (lookups, ring writes),
    /// which occupies the core instead of sleeping. Sub-microsecond costs cannot be slept (a
    /// <c>nanosleep</c> costs tens of µs of wake-up latency), and spinning is what the CPU does.
    /// </summary>
    public void Spin(TimeSpan latency)
    {
        var scaled = Scale(latency);
        if (scaled <= TimeSpan.Zero)
        {
            return;
        }

        var deadline = Stopwatch.GetTimestamp() + (long)(scaled.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            Thread.SpinWait(8);
        }
    }

    /// <summary>The <see cref="Stopwatch"/> timestamp <paramref name="latency"/> (scaled) from now.</summary>
    public long Deadline(TimeSpan latency)
    {
        var scaled = Scale(latency);
        return scaled <= TimeSpan.Zero
            ? Stopwatch.GetTimestamp()
            : Stopwatch.GetTimestamp() + (long)(scaled.TotalSeconds * Stopwatch.Frequency);
    }

    /// <summary>Blocks until the <see cref="Stopwatch"/> timestamp <paramref name="deadline"/>.</summary>
    public static void SleepUntil(long deadline)
    {
        while (true)
        {
            var remaining = deadline - Stopwatch.GetTimestamp();
            if (remaining <= 0)
            {
                return;
            }

            if (remaining < SpinBelowTicks)
            {
                while (Stopwatch.GetTimestamp() < deadline)
                {
                    Thread.SpinWait(20);
                }

                return;
            }

            var ns = remaining * 1_000_000_000L / Stopwatch.Frequency;
            if (OperatingSystem.IsLinux())
            {
                LowerTimerSlack();
                var ts = new Timespec { Seconds = ns / 1_000_000_000L, Nanoseconds = ns % 1_000_000_000L };
                _ = nanosleep(ref ts, IntPtr.Zero);
            }
            else
            {
                Thread.Sleep(TimeSpan.FromMilliseconds(Math.Max(1, Math.Ceiling(ns / 1e6))));
            }
        }
    }

    private static void LowerTimerSlack()
    {
        if (!t_slackSet)
        {
            t_slackSet = true;
            try
            {
                _ = prctl(PrSetTimerSlack, 1000, 0, 0, 0);
            }
            catch (EntryPointNotFoundException)
            {
            }
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int nanosleep(ref Timespec req, IntPtr rem);

    [DllImport("libc", SetLastError = true)]
    private static extern int prctl(int option, ulong arg2, ulong arg3, ulong arg4, ulong arg5);
}
