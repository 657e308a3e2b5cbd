using System;

namespace XeLocked.Annotations
{
    /// <summary>
    /// The method acquires the lock expression: it is not held on entry and is held on exit. A
    /// <c>[LockPrimitive]</c> type names itself as <c>"this"</c>. When the method returns a
    /// <see cref="ScopedLockAttribute"/> type, disposing the returned guard releases what was acquired.
    /// </summary>
    /// <example>
    /// <code>
    /// [Acquires("this:write")] public void LockWrite() { ... }
    /// [Acquires("vm.Lock:read")] static void EnterFault(Vm vm) => vm.Lock.LockRead();
    /// </code>
    /// </example>
    [AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = true)]
    public sealed class AcquiresAttribute : Attribute
    {
        /// <summary>Creates the contract.</summary>
        /// <param name="expression">What the method acquires (a lock expression: the grammar is on the XL0010 rule page, docs/rules/XL0010.md); a conjunction, no alternatives.</param>
        public AcquiresAttribute(string expression)
        {
            Expression = expression;
        }

        /// <summary>What the method acquires.</summary>
        public string Expression { get; }
    }
}
