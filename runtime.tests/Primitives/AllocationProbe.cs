namespace XeLocked.Runtime.Tests.Primitives;

/// <summary>
/// Measures what an operation allocates on the calling thread, robustly against the runtime's own
/// one-off allocations (tiered re-compilation of a hot method): the operation runs in several
/// windows of 10,000 calls and the smallest window counts. An operation that allocates on every
/// call allocates in every window.
/// </summary>
internal static class AllocationProbe
{
    public static long MinBytesPerWindow(Action operation, int windows = 5, int callsPerWindow = 10_000)
    {
        var min = long.MaxValue;
        for (var w = 0; w < windows; w++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < callsPerWindow; i++)
            {
                operation();
            }

            min = Math.Min(min, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return min;
    }
}
