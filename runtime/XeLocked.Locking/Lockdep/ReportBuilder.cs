using System.Text;

namespace XeLocked.Locking;

/// <summary>
/// Builds report texts in lockdep's layout (<c>print_circular_bug</c>, <c>print_deadlock_bug</c>,
/// <c>print_unlock_imbalance_bug</c>, <c>print_freed_lock_bug</c>, <c>lockdep_sys_exit</c>), with a
/// thread (<c>name/id</c>) where the kernel prints a task and <c>file:line</c> of the caller of
/// <c>Lock()</c> where it prints a stack trace.
/// </summary>
internal static class ReportBuilder
{
    private const string Cpu1Indent = "                               ";

    public static LockdepReport Circular(HeldStack stack, LockClass next, int nextRead, string file, int line, in HeldStackEntry prev, List<DependencyEdge> path)
    {
        var sb = new StringBuilder();
        ChainHead(sb, "WARNING: possible circular locking dependency detected", next, nextRead, file, line, prev,
            "which lock already depends on the new lock.");
        for (var i = path.Count - 1; i >= 0; i--)
        {
            var e = path[i];
            sb.AppendLine();
            sb.Append("-> #").Append(i + 1).Append(" (").Append(e.To.DisplayName).AppendLine("):");
            ObservedHop(sb, e);
        }

        ChainNow(sb, next, file, line, prev);
        sb.AppendLine("other info that might help us debug this:");
        sb.AppendLine();
        var parent = path.Count > 0 ? path[^1].From : next;
        if (!ReferenceEquals(parent, next))
        {
            sb.AppendLine("Chain exists of:");
            sb.Append("  ").Append(next.DisplayName).Append(" --> ").Append(parent.DisplayName).Append(" --> ").AppendLine(prev.Class.DisplayName);
            sb.AppendLine();
        }

        TwoCpuScenario(sb, stack, prev.Read, prev.Class.DisplayName, parent.DisplayName, declared: false, nextRead, next);

        var classes = new List<string> { next.DisplayName };
        classes.AddRange(path.Select(e => e.To.DisplayName));
        if (path.Count == 0)
        {
            classes.Add(prev.Class.DisplayName);
        }

        return new LockdepReport(LockdepViolationKind.CircularDependency, classes, sb.ToString(), Loc(file, line));
    }

    public static LockdepReport Recursive(HeldStack stack, LockClass next, int nextRead, string file, int line, in HeldStackEntry held, bool sameInstance, string? note = null)
    {
        var sb = new StringBuilder();
        Banner(sb, "WARNING: possible recursive locking detected");
        sb.Append(ThreadLabel()).AppendLine(" is trying to acquire lock:");
        sb.Append(' ').AppendLine(Describe(next, nextRead, file, line));
        sb.AppendLine();
        var holder = stack.Flow is null ? "thread" : "async flow";
        sb.Append("but ").Append(holder).AppendLine(sameInstance ? " is already holding this very lock:" : " is already holding lock:");
        sb.Append(' ').AppendLine(Describe(held));
        sb.AppendLine();
        sb.AppendLine("other info that might help us debug this:");
        sb.AppendLine(" Possible unsafe locking scenario:");
        sb.AppendLine();
        sb.AppendLine("       CPU0");
        sb.AppendLine("       ----");
        sb.Append("  ").Append(ReadKind.ScenarioVerb(held.Read)).Append('(').Append(held.Class.DisplayName).AppendLine(");");
        sb.Append("  ").Append(ReadKind.ScenarioVerb(nextRead)).Append('(').Append(next.DisplayName).AppendLine(");");
        sb.AppendLine();
        sb.AppendLine(" *** DEADLOCK ***");
        sb.AppendLine();
        if (note is not null)
        {
            sb.Append(' ').AppendLine(note);
            sb.AppendLine();
        }

        if (!sameInstance)
        {
            sb.AppendLine(" May be due to missing lock nesting notation (LockNested(subclass))");
            sb.AppendLine();
        }

        HeldList(sb, stack);
        return new LockdepReport(LockdepViolationKind.RecursiveLocking, new[] { next.DisplayName, held.Class.DisplayName }, sb.ToString(), Loc(file, line));
    }

    public static LockdepReport DeclaredOrder(HeldStack stack, LockClass next, int nextRead, string file, int line, in HeldStackEntry held, List<LockOrderEdge> why)
    {
        var sb = new StringBuilder();
        Banner(sb, "WARNING: declared lock order violated");
        sb.Append(ThreadLabel()).AppendLine(" is trying to acquire lock:");
        sb.Append(' ').AppendLine(Describe(next, nextRead, file, line));
        sb.AppendLine();
        sb.Append("but ").Append(Holder(held)).AppendLine(" is already holding lock:");
        sb.Append(' ').AppendLine(Describe(held));
        sb.AppendLine();
        sb.AppendLine("which the declared [LockOrder] requires to be acquired after the new lock:");
        sb.AppendLine();
        foreach (var e in why)
        {
            sb.Append("  ").Append(e.Outer).Append(" --> ").Append(e.Inner).Append("   (declared by ").Append(e.DeclaredBy).AppendLine(")");
        }

        sb.AppendLine();
        TwoCpuScenario(sb, stack, held.Read, held.Class.DisplayName, next.DisplayName, declared: true, nextRead, next);
        return new LockdepReport(LockdepViolationKind.DeclaredOrderViolation, new[] { next.DisplayName, held.Class.DisplayName }, sb.ToString(), Loc(file, line));
    }

    /// <summary>
    /// A cycle that closes only through the declared order (beyond lockdep): laid out as
    /// <see cref="Circular"/>, each hop of the existing chain labelled with where it was first seen
    /// (observed) or the member that declared it (declared).
    /// </summary>
    public static LockdepReport DeclaredCycle(HeldStack stack, LockClass next, int nextRead, string file, int line, in HeldStackEntry prev, List<DependencyHop> hops)
    {
        var sb = new StringBuilder();
        ChainHead(sb, "WARNING: declared lock order violated", next, nextRead, file, line, prev,
            "which lock already depends on the new lock, through the declared [LockOrder] and observed dependencies.");
        for (var i = hops.Count - 1; i >= 0; i--)
        {
            var h = hops[i];
            sb.AppendLine();
            sb.Append("-> #").Append(i + 1).Append(" (").Append(h.To).AppendLine("):");
            if (h.Observed is { } e)
            {
                ObservedHop(sb, e);
            }
            else
            {
                sb.Append("       declared by ").Append(h.Declared!.DeclaredBy).Append(", taken while holding (")
                  .Append(h.From).AppendLine(") [EN, declared]");
            }
        }

        ChainNow(sb, next, file, line, prev);
        sb.AppendLine("other info that might help us debug this:");
        sb.AppendLine();
        sb.AppendLine("Chain exists of:");
        sb.Append("  ").Append(next.DisplayName);
        foreach (var h in hops)
        {
            sb.Append(h.Declared is null ? " --> " : " ==> ").Append(h.To);
        }

        sb.AppendLine("   (==> declared)");
        sb.AppendLine();
        var last = hops[^1];
        TwoCpuScenario(sb, stack, prev.Read, prev.Class.DisplayName, last.From, declared: last.Declared is not null, nextRead, next);

        var classes = new List<string> { next.DisplayName };
        classes.AddRange(hops.Select(h => h.To));
        return new LockdepReport(LockdepViolationKind.DeclaredOrderViolation, classes, sb.ToString(), Loc(file, line));
    }

    public static LockdepReport BadUnlock(HeldStack? stack, LockdepMap map, int read, string file, int line, string reason)
    {
        var sb = new StringBuilder();
        Banner(sb, "WARNING: bad unlock balance detected!");
        sb.Append(ThreadLabel()).Append(" is trying to release lock (").Append(map.ClassName).Append(") for ")
          .Append(ReadKind.Describe(read)).AppendLine(" at:");
        sb.Append("  ").AppendLine(Loc(file, line));
        sb.AppendLine(reason);
        sb.AppendLine();
        sb.AppendLine("other info that might help us debug this:");
        HeldList(sb, stack);
        return new LockdepReport(LockdepViolationKind.BadUnlockBalance, new[] { map.ClassName }, sb.ToString(), Loc(file, line));
    }

    public static LockdepReport HeldLockFreed(HeldStack? stack, LockdepMap map, bool byThisThread)
    {
        var sb = new StringBuilder();
        Banner(sb, "WARNING: held lock freed!");
        sb.Append(ThreadLabel()).Append(" is freeing lock (").Append(map.ClassName).AppendLine(byThisThread
            ? "), which it still holds!"
            : "), which another thread still holds!");
        HeldList(sb, stack);
        return new LockdepReport(LockdepViolationKind.HeldLockFreed, new[] { map.ClassName }, sb.ToString());
    }

    public static LockdepReport HeldLockFinalized(LockdepMap map)
    {
        var sb = new StringBuilder();
        Banner(sb, "WARNING: held lock freed!");
        sb.Append("the garbage collector is finalizing lock (").Append(map.ClassName)
          .AppendLine("), which was never released: its holder ended, or dropped it, without unlocking.");
        return new LockdepReport(LockdepViolationKind.HeldLockFreed, new[] { map.ClassName }, sb.ToString());
    }

    public static LockdepReport HeldAtExit(HeldStack stack, string what)
    {
        var sb = new StringBuilder();
        Banner(sb, "WARNING: lock held when returning to user space!");
        sb.Append(ThreadLabel()).Append(" is leaving ").Append(what).AppendLine(" with locks still held!");
        HeldList(sb, stack);
        return new LockdepReport(LockdepViolationKind.HeldAtExit, stack.Snapshot().Select(h => h.Class.DisplayName).ToArray(), sb.ToString());
    }

    public static LockdepReport ThreadEndedHoldingLocks(HeldStack stack)
    {
        var sb = new StringBuilder();
        Banner(sb, $"WARNING: {stack.ThreadName ?? "thread"}/{stack.ThreadId} still has locks held!");
        sb.Append("the thread ended while holding them (seen when its held-lock stack was finalized):").AppendLine();
        HeldList(sb, stack, label: $"{stack.ThreadName ?? "thread"}/{stack.ThreadId}");
        return new LockdepReport(LockdepViolationKind.HeldAtExit, stack.Snapshot().Select(h => h.Class.DisplayName).ToArray(), sb.ToString());
    }

    public static LockdepReport FlowEndedHoldingLocks(HeldStack stack)
    {
        var sb = new StringBuilder();
        Banner(sb, $"WARNING: {stack.Label} still has locks held!");
        sb.Append("the async flow was dropped while holding them (seen when its held-lock stack was finalized):").AppendLine();
        HeldList(sb, stack);
        return new LockdepReport(LockdepViolationKind.HeldAtExit, stack.Snapshot().Select(h => h.Class.DisplayName).ToArray(), sb.ToString());
    }

    public static LockdepReport DepthExceeded(HeldStack stack, LockClass next, string file, int line)
    {
        var sb = new StringBuilder();
        Banner(sb, "BUG: MAX_LOCK_DEPTH too low!");
        sb.Append(ThreadLabel()).Append(" holds ").Append(stack.Depth).Append(" locks and is trying to acquire (")
          .Append(next.DisplayName).Append(") at ").AppendLine(Loc(file, line));
        HeldList(sb, stack);
        return new LockdepReport(LockdepViolationKind.LimitExceeded, new[] { next.DisplayName }, sb.ToString(), Loc(file, line));
    }

    public static LockdepReport AssertionFailed(string message, IReadOnlyList<string> classes)
    {
        var sb = new StringBuilder();
        Banner(sb, "WARNING: lockdep assertion failed");
        sb.Append(ThreadLabel()).Append(": ").AppendLine(message);
        HeldList(sb, HeldStack.CurrentOrNull);
        return new LockdepReport(LockdepViolationKind.AssertionFailed, classes, sb.ToString());
    }

    public static string Loc(string file, int line) => string.IsNullOrEmpty(file) ? "<unknown>" : $"{file}:{line}";

    /// <summary>
    /// The calling thread as reports name it, <c>name/id</c>, followed by <c>in async flow name#id</c>
    /// when the calling code runs in an async flow.
    /// </summary>
    public static string ThreadLabel()
    {
        var thread = $"{Thread.CurrentThread.Name ?? "thread"}/{Environment.CurrentManagedThreadId}";
        return AsyncFlow.CurrentOrNull is { } flow ? $"{thread} in async flow {flow.Label}" : thread;
    }

    /// <summary>Who holds a held lock: the thread, or (for an async lock) the async flow.</summary>
    private static string Holder(in HeldStackEntry h) => h.Map.Owner.HeldByAsyncFlow ? "async flow" : "thread";

    private static string Describe(LockClass cls, int read, string file, int line) =>
        $"({cls.DisplayName}){{{ReadKind.Describe(read)}}}, at: {Loc(file, line)}";

    private static string Describe(in HeldStackEntry h) =>
        $"({h.Class.DisplayName}){{{ReadKind.Describe(h.Read)}}}, at: {Loc(h.File, h.Line)}{(h.Trylock ? " [trylock]" : "")}";

    /// <summary>
    /// lockdep's two-CPU "possible unsafe locking scenario" table (<c>print_circular_lock_scenario</c>):
    /// CPU0 holds <paramref name="heldName"/> and wants the new lock; CPU1 took
    /// <paramref name="cpu1First"/> (marked when only the declared order says so) and wants the held
    /// one. Followed by the DEADLOCK line and the held-lock list.
    /// </summary>
    private static void TwoCpuScenario(StringBuilder sb, HeldStack stack, int heldRead, string heldName, string cpu1First, bool declared, int nextRead, LockClass next)
    {
        sb.AppendLine(" Possible unsafe locking scenario:");
        sb.AppendLine();
        sb.AppendLine("       CPU0                    CPU1");
        sb.AppendLine("       ----                    ----");
        sb.Append("  ").Append(ReadKind.ScenarioVerb(heldRead)).Append('(').Append(heldName).AppendLine(");");
        sb.Append(Cpu1Indent).Append("lock(").Append(cpu1First).AppendLine(declared ? ");   <- in the declared order" : ");");
        sb.Append(Cpu1Indent).Append("lock(").Append(heldName).AppendLine(");");
        sb.Append("  ").Append(ReadKind.ScenarioVerb(nextRead)).Append('(').Append(next.DisplayName).AppendLine(");");
        sb.AppendLine();
        sb.AppendLine(" *** DEADLOCK ***");
        sb.AppendLine();
        HeldList(sb, stack);
    }

    /// <summary>The opening of a chain report, up to the "existing dependency chain" heading.</summary>
    private static void ChainHead(StringBuilder sb, string title, LockClass next, int nextRead, string file, int line, in HeldStackEntry prev, string why)
    {
        Banner(sb, title);
        sb.Append(ThreadLabel()).AppendLine(" is trying to acquire lock:");
        sb.Append(' ').AppendLine(Describe(next, nextRead, file, line));
        sb.AppendLine();
        sb.Append("but ").Append(Holder(prev)).AppendLine(" is already holding lock:");
        sb.Append(' ').AppendLine(Describe(prev));
        sb.AppendLine();
        sb.AppendLine(why);
        sb.AppendLine();
        sb.AppendLine();
        sb.AppendLine("the existing dependency chain (in reverse order) is:");
    }

    /// <summary>One observed hop of a chain: where the edge was first seen, and by which thread.</summary>
    private static void ObservedHop(StringBuilder sb, DependencyEdge e) =>
        sb.Append("       first seen at ").Append(Loc(e.ToFile, e.ToLine))
          .Append(", taken while holding (").Append(e.From.DisplayName).Append(") acquired at ")
          .Append(Loc(e.FromFile, e.FromLine)).Append(" [").Append(DependencyEdge.Describe(e.Dep)).Append("], by ")
          .Append(e.Thread).AppendLine();

    /// <summary>The closing hop #0 of a chain (the acquisition being validated) and the "other info" heading.</summary>
    private static void ChainNow(StringBuilder sb, LockClass next, string file, int line, in HeldStackEntry prev)
    {
        sb.AppendLine();
        sb.Append("-> #0 (").Append(next.DisplayName).AppendLine("):");
        sb.Append("       now at ").Append(Loc(file, line)).Append(", taken while holding (")
          .Append(prev.Class.DisplayName).Append(") acquired at ").Append(Loc(prev.File, prev.Line)).AppendLine();
        sb.AppendLine();
    }

    private static void Banner(StringBuilder sb, string title)
    {
        var rule = new string('=', title.Length);
        sb.AppendLine(rule).AppendLine(title).AppendLine(new string('-', title.Length));
    }

    private static void HeldList(StringBuilder sb, HeldStack? stack, string? label = null)
    {
        label ??= stack?.Label ?? ThreadLabel();
        var depth = stack?.Depth ?? 0;
        if (depth == 0)
        {
            sb.Append("no locks held by ").Append(label).AppendLine(".");
            return;
        }

        sb.Append(depth).Append(depth == 1 ? " lock held by " : " locks held by ").Append(label).AppendLine(":");
        for (var i = 0; i < depth; i++)
        {
            sb.Append(" #").Append(i).Append(": ").AppendLine(Describe(stack!.Entries[i]));
        }
    }
}
