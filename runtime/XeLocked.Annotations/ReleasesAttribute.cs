using System;

namespace XeLocked.Annotations
{
    /// <summary>
    /// The method releases the lock expression: it is held on entry (in the mode given) and not
    /// held on exit. A reader-writer lock needs its mode: <c>:read</c>/<c>:write</c> release exactly
    /// that mode. The one disjunction allowed, <c>"x:read | x:write"</c>, releases x in whatever
    /// mode it is held (callers may hold it in read or write mode; the body may release either mode
    /// and may rely on read mode only).
    /// </summary>
    /// <example>
    /// <code>
    /// [Releases("this:read")] public void UnlockRead() { ... }
    /// [Releases("vm.Lock:read | vm.Lock:write")] public void UnlockShared(Vm vm) { ... }   // as taken
    /// </code>
    /// </example>
    [AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = true)]
    public sealed class ReleasesAttribute : Attribute
    {
        /// <summary>Creates the contract.</summary>
        /// <param name="expression">What the method releases (a lock expression: the grammar is on the XL0010 rule page, docs/rules/XL0010.md); a conjunction, no alternatives.</param>
        public ReleasesAttribute(string expression)
        {
            Expression = expression;
        }

        /// <summary>What the method releases.</summary>
        public string Expression { get; }
    }
}
