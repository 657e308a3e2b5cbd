namespace XeLocked.Locking;

/// <summary>
/// The tracker's global state besides the graph: the graph lock, the mode, whether validation has
/// been turned off by a report, the report sinks, and <see cref="Reset"/>. Reports are raised on
/// the offending thread only; they go to the innermost async-local capture scope if there is one,
/// else to the bounded global list.
/// </summary>
internal static class LockdepState
{
    /// <summary>Global reports kept at most (later ones are counted, not kept).</summary>
    public const int MaxGlobalReports = 10_000;

    /// <summary>
    /// Serialises every change of the graph, the chain cache and the declared order (lockdep's
    /// <c>graph_lock</c>). Taken only on the slow path (a chain not seen before) and by reports.
    /// </summary>
    public static readonly Lock GraphLock = new();

    private static readonly AsyncLocal<LockdepReportCapture?> s_capture = new();
    private static readonly List<LockdepReport> s_reports = new();
    private static readonly HashSet<string> s_recordedSignatures = new(StringComparer.Ordinal);
    private static volatile bool s_off;
    private static volatile int s_mode = (int)ReadModeFromEnvironment();
    private static long s_dropped;

    /// <summary>Validation is running (not turned off by a report with <see cref="TurnOffAfterFirstReport"/>).</summary>
    public static bool Validating => !s_off;

    /// <summary>The process-wide mode.</summary>
    public static LockdepMode Mode
    {
        get => (LockdepMode)s_mode;
        set => s_mode = (int)value;
    }

    /// <summary>Linux's behaviour: the first report turns validation off until <see cref="Reset"/>.</summary>
    public static bool TurnOffAfterFirstReport { get; set; }

    /// <summary>The mode that applies to the calling code (its capture scope's, else the global one).</summary>
    public static LockdepMode EffectiveMode => s_capture.Value?.Mode ?? Mode;

    /// <summary>Reports that did not fit in the global list.</summary>
    public static long DroppedReports => Interlocked.Read(ref s_dropped);

    /// <summary>Raised after every report is recorded, on the reporting thread.</summary>
    public static event Action<LockdepReport>? Reported;

    public static IReadOnlyList<LockdepReport> GlobalReports
    {
        get
        {
            lock (s_reports)
            {
                return s_reports.ToArray();
            }
        }
    }

    public static LockdepReportCapture BeginCapture(LockdepMode? mode)
    {
        var scope = new LockdepReportCapture(mode, s_capture.Value);
        s_capture.Value = scope;
        return scope;
    }

    public static void EndCapture(LockdepReportCapture scope, LockdepReportCapture? previous)
    {
        if (ReferenceEquals(s_capture.Value, scope))
        {
            s_capture.Value = previous;
        }
    }

    /// <summary>The capture scope of the calling code, if any.</summary>
    public static LockdepReportCapture? CurrentCapture => s_capture.Value;

    /// <summary>
    /// Records a report found by a finalizer (a thread or a lock that ended held): into the capture
    /// scope that was active where the thread's stack or the lock was created, else the global list.
    /// Never throws.
    /// </summary>
    public static void DispatchFromFinalizer(LockdepReport report, LockdepReportCapture? sink)
    {
        if (sink is not null)
        {
            sink.Add(report, LockdepMode.Record);
        }
        else
        {
            AddGlobal(report, LockdepMode.Record);
        }

        try
        {
            Reported?.Invoke(report);
        }
        catch (Exception ex)
        {
            _ = ex; // A listener's failure must not escape a finalizer.
        }
    }

    /// <summary>
    /// Records <paramref name="report"/> and, in the throwing mode, throws it at the caller.
    /// </summary>
    /// <param name="report">The report.</param>
    /// <param name="canThrow">False where throwing would leave state half-changed (re-validation after a release or downgrade) or is impossible (finalizers).</param>
    /// <returns>The mode that applied (so a caller can refuse an unsafe operation in the recording mode).</returns>
    public static LockdepMode Dispatch(LockdepReport report, bool canThrow)
    {
        var capture = s_capture.Value;
        var mode = capture?.Mode ?? Mode;
        if (capture is not null)
        {
            capture.Add(report, mode);
        }
        else
        {
            AddGlobal(report, mode);
        }

        if (TurnOffAfterFirstReport && report.Kind != LockdepViolationKind.AssertionFailed)
        {
            s_off = true;
        }

        try
        {
            Reported?.Invoke(report);
        }
        catch (Exception ex) when (!canThrow)
        {
            _ = ex; // A listener's failure must not escape a half-done release.
        }

        if (canThrow && mode == LockdepMode.Throw)
        {
            throw new LockdepViolationException(report);
        }

        return mode;
    }

    /// <summary>Forgets every edge, chain and global report, and turns validation back on.</summary>
    public static void Reset()
    {
        lock (GraphLock)
        {
            DependencyGraph.Clear();
            ChainCache.Clear();
            s_off = false;
        }

        lock (s_reports)
        {
            s_reports.Clear();
            s_recordedSignatures.Clear();
            Interlocked.Exchange(ref s_dropped, 0);
        }
    }

    private static void AddGlobal(LockdepReport report, LockdepMode mode)
    {
        lock (s_reports)
        {
            // In the recording mode a long run would otherwise repeat one report many times.
            if (mode == LockdepMode.Record && !s_recordedSignatures.Add(report.Signature))
            {
                return;
            }

            if (s_reports.Count >= MaxGlobalReports)
            {
                Interlocked.Increment(ref s_dropped);
                return;
            }

            s_reports.Add(report);
        }
    }

    private static LockdepMode ReadModeFromEnvironment() =>
        Environment.GetEnvironmentVariable("XELOCKED_LOCKDEP_MODE")?.Trim().ToLowerInvariant() switch
        {
            "record" => LockdepMode.Record,
            _ => LockdepMode.Throw,
        };
}
