using System.Runtime.CompilerServices;

namespace XeLocked.Locking;

/// <summary>
/// The calling thread's managed id from a thread-static of this assembly: the JIT inlines the
/// access, where <see cref="Environment.CurrentManagedThreadId"/> is a call. Used on the
/// primitives' uncontended paths.
/// </summary>
internal static class CurrentThread
{
    [ThreadStatic]
    private static int t_id;

    /// <summary>The calling thread's <see cref="Environment.CurrentManagedThreadId"/>.</summary>
    public static int Id
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            var id = t_id;
            return id != 0 ? id : Init();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Init() => t_id = Environment.CurrentManagedThreadId;
}
