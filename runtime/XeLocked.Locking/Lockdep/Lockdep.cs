using System.Reflection;
using XeLocked.Annotations;

namespace XeLocked.Locking;

/// <summary>
/// The lockdep tracker's public face: whether it is on, what it does on a violation, the run-time
/// lock assertions (the kernel's <c>lockdep_assert_held*</c>), the declared order, the observed
/// dependency graph and the reports. See <c>docs/lockdep.md</c>.
/// </summary>
/// <remarks>
/// On in Debug builds of XeLocked.Locking, off in Release; the environment variable
/// <c>XELOCKED_LOCKDEP=1</c> or <c>0</c> overrides either when the process starts, and
/// <c>XELOCKED_LOCKDEP_MODE=record</c> starts it in the recording mode. The tracker's own state is
/// guarded by an internal graph lock (taken only when a chain is new) and per-thread held stacks;
/// every member here is thread-safe.
/// </remarks>
public static class Lockdep
{
    /// <summary>
    /// True when acquisitions are validated. Read once at start-up (a static read-only field, which
    /// the JIT treats as a constant, so the off path costs nothing).
    /// </summary>
    public static readonly bool Enabled = ReadEnabled();

    /// <summary>
    /// What a violation does process-wide: <see cref="LockdepMode.Throw"/> (default) or
    /// <see cref="LockdepMode.Record"/>. A <see cref="CaptureReports"/> scope can override it.
    /// </summary>
    public static LockdepMode Mode
    {
        get => LockdepState.Mode;
        set => LockdepState.Mode = value;
    }

    /// <summary>
    /// Linux's behaviour when true: the first report (other than a failed assertion) turns
    /// validation off ("turning off the locking correctness validator") until <see cref="Reset"/>;
    /// the held stacks are still kept, so the tracker resumes correctly. False by default: the
    /// tracker keeps validating after a report.
    /// </summary>
    public static bool TurnOffAfterFirstReport
    {
        get => LockdepState.TurnOffAfterFirstReport;
        set => LockdepState.TurnOffAfterFirstReport = value;
    }

    /// <summary>True when the tracker is on and has not been turned off by a report.</summary>
    public static bool IsValidating => Enabled && LockdepState.Validating;

    /// <summary>The reports recorded outside any capture scope (all modes), oldest first; at most 10,000.</summary>
    public static IReadOnlyList<LockdepReport> Reports => LockdepState.GlobalReports;

    /// <summary>Raised on the reporting thread after each report is recorded (for logging; must not throw).</summary>
    public static event Action<LockdepReport>? Reported
    {
        add => LockdepState.Reported += value;
        remove => LockdepState.Reported -= value;
    }

    /// <summary>Every dependency observed so far, with where it was first seen (for the Sim's <c>graph</c> command).</summary>
    public static IReadOnlyList<LockdepEdge> ObservedEdges
    {
        get
        {
            DependencyEdge[] edges;
            lock (LockdepState.GraphLock)
            {
                edges = DependencyGraph.Snapshot();
                return edges.Select(e => new LockdepEdge(e.From.DisplayName, e.To.DisplayName, DependencyEdge.Describe(e.Dep),
                    e.FromFile, e.FromLine, e.ToFile, e.ToLine)).ToArray();
            }
        }
    }

    /// <summary>
    /// The locks every live thread holds right now, outermost first, ordered by thread id (the data
    /// of lockdep's <c>debug_show_all_locks</c>). Threads that hold nothing and threads that have
    /// ended are left out. Safe to call from any thread while the others run — a watchdog looking at
    /// a hang: it takes no tracked lock and never waits for a thread; each thread's list is read
    /// without stopping it (<see cref="ThreadHeldLocks.Exact"/> says whether the read was stable).
    /// Empty when the tracker is off (<see cref="Enabled"/>). As in the kernel, an acquisition is on
    /// the stack from the moment it is validated, so a thread blocked in <c>Lock()</c> lists the lock
    /// it waits for on top.
    /// </summary>
    /// <returns>One entry per thread holding at least one tracked lock.</returns>
    public static IReadOnlyList<ThreadHeldLocks> HeldLocksOfAllThreads() =>
        Enabled ? HeldStackRegistry.Snapshot() : Array.Empty<ThreadHeldLocks>();

    /// <summary>
    /// <see cref="HeldLocksOfAllThreads"/> formatted as lockdep prints it: "Showing all locks held in
    /// the system:", then per thread "<c>N locks held by name/id:</c>" and one
    /// "<c> #i: (Class){read|write}, at: file:line</c>" line per lock, then a rule.
    /// </summary>
    /// <returns>The report text.</returns>
    public static string ShowAllLocks() => FormatAllLocks(HeldLocksOfAllThreads());

    /// <summary>Formats a snapshot taken by <see cref="HeldLocksOfAllThreads"/> (see <see cref="ShowAllLocks"/>).</summary>
    /// <param name="threads">The snapshot.</param>
    /// <returns>The report text.</returns>
    public static string FormatAllLocks(IReadOnlyList<ThreadHeldLocks> threads)
    {
        ArgumentNullException.ThrowIfNull(threads);
        return AllLocksReport.Format(threads, Enabled);
    }

    /// <summary>The direct edges of the declared order loaded by <see cref="LoadDeclaredOrder"/>.</summary>
    public static IReadOnlyList<LockOrderEdge> DeclaredOrder => XeLocked.Locking.DeclaredOrder.Current.Edges;

    /// <summary>Sizes of the tracker's state.</summary>
    public static LockdepStatistics Statistics
    {
        get
        {
            lock (LockdepState.GraphLock)
            {
                return new LockdepStatistics(LockClassRegistry.Count, DependencyGraph.Count, ChainCache.Count,
                    XeLocked.Locking.DeclaredOrder.Current.Edges.Count, LockdepState.GlobalReports.Count);
            }
        }
    }

    /// <summary>
    /// Starts a scope that collects the reports raised by the code running in it (this thread and the
    /// threads and tasks it starts), instead of <see cref="Reports"/>. Dispose it to end it.
    /// </summary>
    /// <param name="mode">The mode inside the scope; null keeps <see cref="Mode"/>.</param>
    /// <example><code>using var scope = Lockdep.CaptureReports(LockdepMode.Record); ...; Assert.AreEqual(1, scope.Reports.Count);</code></example>
    public static LockdepReportCapture CaptureReports(LockdepMode? mode = null) => LockdepState.BeginCapture(mode);

    /// <summary>Asserts that the calling thread holds <paramref name="x"/> in any mode (<c>lockdep_assert_held</c>).</summary>
    /// <exception cref="LockdepViolationException">It does not (an <c>AssertionFailed</c> report, throwing mode).</exception>
    public static void AssertHeld(ITrackedLock x)
    {
        if (Enabled && !x.IsHeldByCurrentThread)
        {
            Fail($"{x.ClassName} is not held by this thread", x);
        }
    }

    /// <summary>Asserts that the calling thread holds <paramref name="x"/> in read mode (<c>lockdep_assert_held_read</c>; a write hold does not count).</summary>
    /// <exception cref="LockdepViolationException">It does not (throwing mode).</exception>
    public static void AssertHeldRead(ITrackedLock x)
    {
        if (Enabled && x.HeldModeByCurrentThread != LockMode.Read)
        {
            Fail($"{x.ClassName} is not held for read by this thread", x);
        }
    }

    /// <summary>Asserts that the calling thread holds <paramref name="x"/> in write (exclusive) mode (<c>lockdep_assert_held_write</c>; a held mutex or spinlock passes).</summary>
    /// <exception cref="LockdepViolationException">It does not (throwing mode).</exception>
    public static void AssertHeldWrite(ITrackedLock x)
    {
        if (Enabled && x.HeldModeByCurrentThread != LockMode.Write)
        {
            Fail($"{x.ClassName} is not held for write by this thread", x);
        }
    }

    /// <summary>Asserts that the calling thread does not hold <paramref name="x"/> (<c>lockdep_assert_not_held</c>).</summary>
    /// <exception cref="LockdepViolationException">It does (throwing mode).</exception>
    public static void AssertNotHeld(ITrackedLock x)
    {
        if (Enabled && x.IsHeldByCurrentThread)
        {
            Fail($"{x.ClassName} is held by this thread", x);
        }
    }

    /// <summary>True when the calling thread holds <paramref name="x"/> in any mode (<c>lockdep_is_held</c>). Exact whether the tracker is on or off.</summary>
    public static bool IsHeld(ITrackedLock x) => x.IsHeldByCurrentThread;

    /// <summary>True when the calling thread holds <paramref name="x"/> in exactly <paramref name="mode"/> (<c>lockdep_is_held_type</c>); an exclusive lock counts as write.</summary>
    public static bool IsHeldType(ITrackedLock x, LockMode mode) => x.HeldModeByCurrentThread == mode;

    /// <summary>
    /// Asserts a condition about held locks, so that a disjunctive assertion is one line:
    /// <c>Lockdep.Assert(IsHeldType(vm.Lock, Write) || (IsHeld(vm.Lock) &amp;&amp; IsHeld(vma.FaultLock)), "...")</c>.
    /// A no-op when the tracker is off (as <c>lockdep_assert</c>).
    /// </summary>
    /// <exception cref="LockdepViolationException">The condition is false (an <c>AssertionFailed</c> report, throwing mode).</exception>
    public static void Assert(bool condition, string message)
    {
        if (Enabled && !condition)
        {
            Fail(message);
        }
    }

    /// <summary>
    /// Lockdep's check at return to user space: the calling thread holds no tracked lock, else a
    /// <c>HeldAtExit</c> report. The model's workers call it after each item. One thread-static
    /// read when nothing is held; a no-op when the tracker is off.
    /// </summary>
    /// <exception cref="LockdepViolationException">Locks are held (throwing mode).</exception>
    public static void AssertNoLocksHeld()
    {
        if (Enabled)
        {
            LockValidator.AssertNoLocksHeld("a work item");
        }
    }

    /// <summary>
    /// Wraps a thread body so that it ends with <see cref="AssertNoLocksHeld"/>:
    /// <c>new Thread(Lockdep.CheckedThread(() => ...))</c>. (A thread that ends holding locks
    /// without this is still reported, later, when the garbage collector finalizes its held stack.)
    /// </summary>
    public static ThreadStart CheckedThread(Action body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return () =>
        {
            body();
            if (Enabled)
            {
                LockValidator.AssertNoLocksHeld("a thread");
            }
        };
    }

    /// <summary>
    /// Starts a new async flow in the calling context: the async locks taken from here on (in this
    /// method, the methods it awaits, and the work it starts) are held by it, and reports name it
    /// <c>name#id</c>. Without it a flow begins at the first async-lock acquisition of a context that
    /// has none. Use it at the root of a flow whose first lock is taken inside an awaited callee, and
    /// at the start of work started with <c>Task.Run</c> that must not share the starter's held locks
    /// (see <c>docs/lockdep.md</c>, "Async flows"). Dispose the scope to return to the previous flow.
    /// A no-op scope when the tracker is off.
    /// </summary>
    /// <param name="name">The flow's name in reports (null: <c>flow</c>).</param>
    /// <returns>The scope.</returns>
    public static AsyncFlowScope BeginAsyncFlow(string? name = null) => new(name);

    /// <summary>
    /// Reads every <c>[LockOrder]</c> in <paramref name="assembly"/> into the declared order (merged
    /// with what was loaded before, closed transitively). From then on, taking a lock while holding
    /// one that the declared order puts after it is a <c>DeclaredOrderViolation</c>, the first time.
    /// Loading an assembly twice is harmless.
    /// </summary>
    /// <exception cref="InvalidOperationException">The declared edges form a cycle (nothing is loaded), or a name is not <c>"TypeName.MemberName"</c>.</exception>
    public static void LoadDeclaredOrder(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        XeLocked.Locking.DeclaredOrder.Load(assembly);
    }

    /// <summary>
    /// Forgets every observed edge, validated chain and global report, and turns validation back on
    /// (lockdep's <c>lockdep_reset</c>). Keeps lock classes, the declared order and the threads'
    /// held stacks (those locks are really held). Safe to call while other threads lock: they
    /// simply re-learn their dependencies. Tests should prefer unique class names and
    /// <see cref="CaptureReports"/> to resetting shared state.
    /// </summary>
    public static void Reset() => LockdepState.Reset();

    private static void Fail(string message, ITrackedLock? x = null)
    {
        if (!LockdepState.Validating)
        {
            return; // Turned off: every assertion passes, as lockdep's do after a report.
        }

        LockdepState.Dispatch(ReportBuilder.AssertionFailed(message, x is null ? Array.Empty<string>() : new[] { x.ClassName }), canThrow: true);
    }

    private static bool ReadEnabled()
    {
        var env = Environment.GetEnvironmentVariable("XELOCKED_LOCKDEP")?.Trim();
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
