using System.Diagnostics;

namespace XeLocked.Sim.Scenarios;

/// <summary>
/// Detects a hang: a progress counter (acks) that stops moving while work is still outstanding
/// for longer than <see cref="Timeout"/>. When it fires it captures a description of the stuck
/// state (held locks, queue snapshot) once, and signals <see cref="Fired"/>.
/// </summary>
/// <remarks>
/// The watchdog never touches the model's locks: the description callback must only read
/// lock-free snapshots, so it cannot itself hang on the deadlock it reports.
/// </remarks>
public sealed class Watchdog : IDisposable
{
    private readonly Func<long> _progress;
    private readonly Func<bool> _outstanding;
    private readonly Func<string> _describe;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private string? _report;

    /// <summary>Starts watching.</summary>
    /// <param name="timeout">How long progress may stall while work is outstanding.</param>
    /// <param name="progress">A monotonic counter, e.g. acks so far.</param>
    /// <param name="outstanding">True while some submitted work is not finished.</param>
    /// <param name="describe">Describes the stuck state (held locks per thread, queue state); lock-free.</param>
    public Watchdog(TimeSpan timeout, Func<long> progress, Func<bool> outstanding, Func<string> describe)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        Timeout = timeout;
        _progress = progress ?? throw new ArgumentNullException(nameof(progress));
        _outstanding = outstanding ?? throw new ArgumentNullException(nameof(outstanding));
        _describe = describe ?? throw new ArgumentNullException(nameof(describe));
        _thread = new Thread(Watch) { IsBackground = true, Name = "xelocked-sim watchdog" };
        _thread.Start();
    }

    /// <summary>How long progress may stall.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>Cancelled when the watchdog fires.</summary>
    public CancellationToken Fired => _firedSource.Token;

    /// <summary>The report of the stall, or null while none was seen.</summary>
    public string? Report => Volatile.Read(ref _report);

    private readonly CancellationTokenSource _firedSource = new();

    /// <summary>Stops watching.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join();
        _stop.Dispose();
        _firedSource.Dispose();
    }

    private void Watch()
    {
        var last = _progress();
        var since = Stopwatch.StartNew();
        var tick = TimeSpan.FromMilliseconds(Math.Clamp(Timeout.TotalMilliseconds / 10, 10, 500));
        while (!_stop.Token.WaitHandle.WaitOne(tick))
        {
            var now = _progress();
            if (now != last || !_outstanding())
            {
                last = now;
                since.Restart();
                continue;
            }

            if (since.Elapsed < Timeout)
            {
                continue;
            }

            string description;
            try
            {
                description = _describe();
            }
            catch (Exception e) when (e is InvalidOperationException or NullReferenceException or ArgumentException)
            {
                description = $"(could not describe the stuck state: {e.Message})";
            }

            Volatile.Write(ref _report, $"no progress for {since.Elapsed.TotalSeconds:0.0} s with work outstanding (stuck at {now:N0}).\n{description}");
            _firedSource.Cancel();
            return;
        }
    }
}
