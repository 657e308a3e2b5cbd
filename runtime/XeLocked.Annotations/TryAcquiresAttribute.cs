using System;

namespace XeLocked.Annotations
{
    /// <summary>
    /// The method, which returns <see cref="bool"/>, acquires the lock expression exactly when its
    /// result equals <see cref="Success"/>. The analyzer follows the result into the branch that
    /// tests it (<c>if (m.TryLock())</c>, its negation, or a local that stores it).
    /// </summary>
    /// <example>
    /// <code>
    /// [TryAcquires(true, "this")] public bool TryLock() { ... }
    ///
    /// if (vm.Lock.TryLockRead()) { try { ... } finally { vm.Lock.UnlockRead(); } }
    /// </code>
    /// </example>
    [AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = true)]
    public sealed class TryAcquiresAttribute : Attribute
    {
        /// <summary>Creates the contract.</summary>
        /// <param name="success">The return value that means "acquired".</param>
        /// <param name="expression">What is acquired on success (a lock expression: the grammar is on the XL0010 rule page, docs/rules/XL0010.md); a conjunction.</param>
        public TryAcquiresAttribute(bool success, string expression)
        {
            Success = success;
            Expression = expression;
        }

        /// <summary>The return value that means the lock expression was acquired.</summary>
        public bool Success { get; }

        /// <summary>What is acquired on success.</summary>
        public string Expression { get; }
    }
}
