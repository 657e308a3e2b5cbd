using System;

namespace XeLocked.Annotations
{
    /// <summary>
    /// After a call to this method the analyzer treats the lock expression as held, as it does after
    /// a run-time assertion such as <c>Lockdep.AssertHeld(x)</c>. The caller already held it, so it is
    /// not a lock leaked at exit. Use it for code the analyzer cannot follow (a lock reached through
    /// a collection, say) after checking at run time.
    /// </summary>
    /// <example>
    /// <code>
    /// [AssertsHeld("range.Lock")]
    /// static void AssertRangeLocked(SvmRange range) => Lockdep.AssertHeld(range.Lock);
    /// </code>
    /// </example>
    [AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = true)]
    public sealed class AssertsHeldAttribute : Attribute
    {
        /// <summary>Creates the contract.</summary>
        /// <param name="expression">What is held after the call (a lock expression: the grammar is on the XL0010 rule page, docs/rules/XL0010.md).</param>
        public AssertsHeldAttribute(string expression)
        {
            Expression = expression;
        }

        /// <summary>What is held after the call.</summary>
        public string Expression { get; }
    }
}
