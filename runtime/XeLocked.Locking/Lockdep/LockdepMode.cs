namespace XeLocked.Locking;

/// <summary>What the tracker does when it finds a violation.</summary>
public enum LockdepMode
{
    /// <summary>
    /// Record the report and throw <see cref="LockdepViolationException"/> at the offending call,
    /// before the primitive is touched (the default): the acquisition or release does not happen.
    /// </summary>
    Throw,

    /// <summary>
    /// Record the report (in <see cref="Lockdep.Reports"/> or the active
    /// <see cref="Lockdep.CaptureReports"/> scope) and carry on, for long runs. Each distinct lock
    /// chain is reported once. An operation that cannot proceed safely (re-acquiring the very
    /// instance one holds, releasing a lock one does not hold) is still refused: the first throws
    /// <see cref="LockRecursionException"/>, the second is ignored.
    /// </summary>
    Record,
}
