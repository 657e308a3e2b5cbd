using System.Text;

namespace XeLocked.Locking;

/// <summary>Formats held-lock snapshots the way lockdep's <c>debug_show_all_locks</c> prints them.</summary>
internal static class AllLocksReport
{
    /// <summary>The closing rule of the kernel's output.</summary>
    public const string Rule = "=============================================";

    public static string Format(IReadOnlyList<ThreadHeldLocks> threads, bool enabled)
    {
        var sb = new StringBuilder();
        sb.AppendLine().AppendLine("Showing all locks held in the system:");
        if (!enabled)
        {
            sb.AppendLine("(lockdep is off in this process: held locks are not tracked)");
        }

        foreach (var t in threads)
        {
            var n = t.Locks.Count;
            sb.Append(n).Append(n == 1 ? " lock held by " : " locks held by ").Append(t.Label)
              .AppendLine(t.Exact ? ":" : ": (running while read: the list may be inexact)");
            for (var i = 0; i < n; i++)
            {
                sb.Append(" #").Append(i).Append(": ").AppendLine(t.Locks[i].ToString());
            }
        }

        sb.AppendLine().AppendLine(Rule);
        return sb.ToString();
    }
}
