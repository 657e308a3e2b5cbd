using System.Reflection;
using XeLocked.Annotations;

namespace XeLocked.Locking;

/// <summary>
/// The lockdep tracker's public face: whether it is on, the run-time lock assertions (the kernel's
/// <c>lockdep_assert_held*</c>), the declared order, and the reports.
/// </summary>
/// <remarks>
/// On in Debug builds of XeLocked.Locking, off in Release; the environment variable
/// <c>XELOCKED_LOCKDEP=1</c> or <c>0</c> overrides either when the process starts.
/// </remarks>
public static class Lockdep
{
    /// <summary>
    /// True when acquisitions are validated. Read once at start-up (a static read-only field, which
    /// the JIT treats as a constant, so the off path costs nothing).
    /// </summary>
    public static readonly bool Enabled = ReadEnabled();

    private static readonly List<LockdepReport> s_reports = new();

    /// <summary>The reports recorded so far (all modes), oldest first.</summary>
    public static IReadOnlyList<LockdepReport> Reports
    {
        get { lock (s_reports) { return s_reports.ToArray(); } }
    }

    /// <summary>Asserts that the calling thread holds <paramref name="x"/> in any mode (<c>lockdep_assert_held</c>).</summary>
    public static void AssertHeld(ITrackedLock x) =>
        Assert(x.IsHeldByCurrentThread, $"{x.ClassName} is not held by this thread");

    /// <summary>Asserts that the calling thread holds <paramref name="x"/> in read mode (<c>lockdep_assert_held_read</c>).</summary>
    public static void AssertHeldRead(ITrackedLock x) =>
        Assert(x.HeldModeByCurrentThread == LockMode.Read, $"{x.ClassName} is not held for read by this thread");

    /// <summary>Asserts that the calling thread holds <paramref name="x"/> in write (exclusive) mode (<c>lockdep_assert_held_write</c>).</summary>
    public static void AssertHeldWrite(ITrackedLock x) =>
        Assert(x.HeldModeByCurrentThread == LockMode.Write, $"{x.ClassName} is not held for write by this thread");

    /// <summary>Asserts that the calling thread does not hold <paramref name="x"/> (<c>lockdep_assert_not_held</c>).</summary>
    public static void AssertNotHeld(ITrackedLock x) =>
        Assert(!x.IsHeldByCurrentThread, $"{x.ClassName} is held by this thread");

    /// <summary>True when the calling thread holds <paramref name="x"/> in any mode (<c>lockdep_is_held</c>).</summary>
    public static bool IsHeld(ITrackedLock x) => x.IsHeldByCurrentThread;

    /// <summary>True when the calling thread holds <paramref name="x"/> in exactly <paramref name="mode"/> (<c>lockdep_is_held_type</c>); an exclusive lock counts as write.</summary>
    public static bool IsHeldType(ITrackedLock x, LockMode mode) => x.HeldModeByCurrentThread == mode;

    /// <summary>
    /// Asserts a condition about held locks, so that a disjunctive assertion is one line:
    /// <c>Lockdep.Assert(IsHeldType(vm.Lock, Write) || (IsHeld(vm.Lock) &amp;&amp; IsHeld(vma.FaultLock)), "...")</c>.
    /// </summary>
    /// <exception cref="LockdepViolationException">The condition is false (an <c>AssertionFailed</c> report).</exception>
    public static void Assert(bool condition, string message)
    {
        if (!condition)
        {
            Report(new LockdepReport(LockdepViolationKind.AssertionFailed, Array.Empty<string>(),
                $"WARNING: lockdep assertion failed: {message}"));
        }
    }

    /// <summary>Lockdep's check at return to user space: the calling thread holds no tracked lock.</summary>
    public static void AssertNoLocksHeld()
    {
        // The per-thread held stack arrives with the tracker (issue 3).
    }

    /// <summary>Reads every <c>[LockOrder]</c> in <paramref name="assembly"/> into the declared order.</summary>
    public static void LoadDeclaredOrder(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
    }

    /// <summary>Forgets every report, class, edge and chain (lockdep's <c>lockdep_reset</c>, for tests).</summary>
    public static void Reset()
    {
        lock (s_reports)
        {
            s_reports.Clear();
        }
    }

    internal static void Report(LockdepReport report)
    {
        lock (s_reports)
        {
            s_reports.Add(report);
        }

        throw new LockdepViolationException(report);
    }

    private static bool ReadEnabled()
    {
        var env = Environment.GetEnvironmentVariable("XELOCKED_LOCKDEP");
        if (env == "1")
        {
            return true;
        }

        if (env == "0")
        {
            return false;
        }
#if XELOCKED_LOCKDEP_DEFAULT_ON
        return true;
#else
        return false;
#endif
    }
}
