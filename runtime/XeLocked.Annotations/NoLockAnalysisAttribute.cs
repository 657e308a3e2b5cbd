using System;

namespace XeLocked.Annotations
{
    /// <summary>
    /// The analyzer skips this body: nothing inside it is checked. Its own contracts
    /// (<c>[Requires]</c>, <c>[Acquires]</c>, …) still apply to its callers. An escape hatch for code
    /// the analysis cannot follow; say why in a comment next to it.
    /// </summary>
    /// <example>
    /// <code>
    /// // Locks are taken through an array of ranges, which the analysis does not track.
    /// [NoLockAnalysis]
    /// static void LockAll(SvmRange[] ranges) { ... }
    /// </code>
    /// </example>
    [AttributeUsage(AttributeTargets.Method | AttributeTargets.Constructor | AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
    public sealed class NoLockAnalysisAttribute : Attribute
    {
    }
}
