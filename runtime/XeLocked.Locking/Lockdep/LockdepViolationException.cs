namespace XeLocked.Locking;

/// <summary>Thrown at the offending call when the tracker finds a violation and is in the throwing mode (the default).</summary>
public sealed class LockdepViolationException : Exception
{
    /// <summary>Creates the exception for a report.</summary>
    public LockdepViolationException(LockdepReport report)
        : base(report.Text)
    {
        Report = report;
    }

    /// <summary>The report.</summary>
    public LockdepReport Report { get; }
}
