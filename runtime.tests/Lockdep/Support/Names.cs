namespace XeLocked.Runtime.Tests.Lockdep.Support;

/// <summary>Unique lock class names, so that tests running in parallel never share a class (the tracker's graph is global).</summary>
internal static class Names
{
    private static int s_next;

    /// <summary>A fresh prefix such as <c>"T42x"</c>; class names are <c>prefix + "." + member</c>.</summary>
    public static string Prefix(string what) => $"{what}{Interlocked.Increment(ref s_next)}x{Environment.ProcessId}";
}
