using System;

namespace XeLocked.Annotations
{
    /// <summary>
    /// Callers must not hold the lock expression, typically because the method acquires it itself.
    /// Calling it while the lock is held is XL0012.
    /// </summary>
    /// <example>
    /// <code>
    /// // The GC worker takes vm.Lock for read itself.
    /// [Excludes("vm.Lock")] static void GarbageCollectorWork(Vm vm) { ... }
    /// </code>
    /// </example>
    [AttributeUsage(AttributeTargets.Method | AttributeTargets.Constructor, AllowMultiple = true, Inherited = true)]
    public sealed class ExcludesAttribute : Attribute
    {
        /// <summary>Creates the contract.</summary>
        /// <param name="expression">What callers must not hold (a lock expression: the grammar is on the XL0010 rule page, docs/rules/XL0010.md).</param>
        public ExcludesAttribute(string expression)
        {
            Expression = expression;
        }

        /// <summary>What callers must not hold.</summary>
        public string Expression { get; }
    }
}
