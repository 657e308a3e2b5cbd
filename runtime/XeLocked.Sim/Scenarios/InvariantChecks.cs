using XeLocked.Locking;
using XeLocked.Xe;

namespace XeLocked.Sim.Scenarios;

/// <summary>
/// The end-of-run invariants of a scenario (§4.5 and §8), each returning what it found
/// wrong as messages for the user; lock-free reads of the model's bookkeeping only.
/// </summary>
internal static class InvariantChecks
{
    /// <summary>I3: every accepted fault acked exactly once, or squashed by a GT reset, or dropped with a warning.</summary>
    public static IEnumerable<string> Ledger(XeDevice xe)
    {
        var s = xe.Ledger.Summarize();
        if (s.Inconsistent.Count > 0)
        {
            yield return $"{s.Inconsistent.Count} faults acked more than once or acked and squashed: {Describe(xe, s.Inconsistent)}";
        }

        if (s.NeverAcked.Count > 0)
        {
            yield return $"{s.NeverAcked.Count} faults never acked: {Describe(xe, s.NeverAcked)}";
        }
    }

    /// <summary>After every VM is closed and the device idle: no SVM range, VMA or VM still alive (refcounts back to zero).</summary>
    public static IEnumerable<string> Leaks(XeDevice xe)
    {
        if (xe.LiveRanges != 0)
        {
            yield return $"{xe.LiveRanges} SVM ranges leaked (refcount not back to zero after every VM closed)";
        }

        if (xe.LiveVmas != 0)
        {
            yield return $"{xe.LiveVmas} VMAs leaked after every VM closed";
        }

        if (xe.LiveVms != 0)
        {
            yield return $"{xe.LiveVms} VMs leaked (refcount not back to zero after close)";
        }
    }

    /// <summary>No exception escaped a worker, and no lockdep report (the first three in full).</summary>
    public static IEnumerable<string> WorkersAndLockdep(XeDevice xe, IReadOnlyList<LockdepReport> reports)
    {
        foreach (var e in xe.WorkerErrors)
        {
            yield return $"worker exception: {e}";
        }

        foreach (var r in reports.Take(3))
        {
            yield return $"lockdep {r.Kind}: {r.Text}";
        }

        if (reports.Count > 3)
        {
            yield return $"... and {reports.Count - 3} more lockdep reports";
        }
    }

    private static string Describe(XeDevice xe, IReadOnlyList<long> ids) =>
        string.Join("; ", ids.Take(3).Select(id => xe.Ledger[id]?.ToString())) + (ids.Count > 3 ? "; …" : "");
}
