namespace XeLocked.Locking;

/// <summary>
/// A scope that collects the reports raised by the code running inside it, instead of
/// <see cref="Lockdep.Reports"/>: created by <see cref="Lockdep.CaptureReports"/>, ended by
/// <see cref="Dispose"/>. The scope is async-local: it flows into threads, tasks and thread-pool
/// work started inside it, and no other code sees it, so tests running in parallel each see only
/// the reports they caused. In the recording mode a violation repeated inside the scope is
/// collected once.
/// </summary>
public sealed class LockdepReportCapture : IDisposable
{
    private readonly List<LockdepReport> _reports = new();
    private readonly HashSet<string> _signatures = new(StringComparer.Ordinal);
    private readonly LockdepReportCapture? _previous;
    private bool _disposed;

    internal LockdepReportCapture(LockdepMode? mode, LockdepReportCapture? previous)
    {
        Mode = mode;
        _previous = previous;
    }

    /// <summary>The mode inside the scope, or null to use <see cref="Lockdep.Mode"/>.</summary>
    public LockdepMode? Mode { get; }

    /// <summary>The reports raised inside the scope so far, oldest first (a snapshot).</summary>
    public IReadOnlyList<LockdepReport> Reports
    {
        get
        {
            lock (_reports)
            {
                return _reports.ToArray();
            }
        }
    }

    /// <summary>Ends the scope: reports go where they went before it began.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        LockdepState.EndCapture(this, _previous);
    }

    /// <summary>Adds a report; in the recording mode a repeat of one already collected (same kind, classes and location) is dropped.</summary>
    internal void Add(LockdepReport report, LockdepMode mode)
    {
        lock (_reports)
        {
            if (mode == LockdepMode.Record && !_signatures.Add(report.Signature))
            {
                return;
            }

            _reports.Add(report);
        }
    }
}
