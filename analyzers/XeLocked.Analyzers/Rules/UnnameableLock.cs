using XeLocked.Analyzers.Resolution;

namespace XeLocked.Analyzers.Rules
{
    /// <summary>
    /// A lock no annotation can name: its path starts at a local variable (or a compiler flow
    /// capture) that aliases no field, parameter or static (<c>var c = _locks.GetOrAdd(key, …);</c>).
    /// A contract cannot say that a method leaves such a lock held (<c>[Acquires]</c>) or expects it
    /// held (<c>[Releases]</c>), so XL0008 does not report it held at exit, and XL0007 does not
    /// report its release in a body that never acquires it (an enter/exit pair of wrapper methods
    /// over a per-key lock object). Within one body that acquires it, both are checked as usual.
    /// </summary>
    internal static class UnnameableLock
    {
        public static bool Is(AccessPath path) => path.Kind == PathRootKind.Local || path.Kind == PathRootKind.Capture;
    }
}
