using System;

namespace XeLocked.Annotations
{
    /// <summary>
    /// The method releases the lock expression: it is held on entry (in the mode given) and not
    /// held on exit.
    /// </summary>
    /// <example>
    /// <code>
    /// [Releases("this:read")] public void UnlockRead() { ... }
    /// </code>
    /// </example>
    [AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = true)]
    public sealed class ReleasesAttribute : Attribute
    {
        /// <summary>Creates the contract.</summary>
        /// <param name="expression">What the method releases (SPEC §2.1); a conjunction, no alternatives.</param>
        public ReleasesAttribute(string expression)
        {
            Expression = expression;
        }

        /// <summary>What the method releases.</summary>
        public string Expression { get; }
    }
}
