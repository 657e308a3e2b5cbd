using System;

namespace XeLocked.Annotations
{
    /// <summary>
    /// Callers hold the lock expression on entry; the body may assume it and must still hold it on
    /// exit. Several <c>[Requires]</c> on one member all apply. The seed's
    /// <c>lockdep_assert_held*</c> at function entry become this attribute.
    /// </summary>
    /// <remarks>
    /// On a method, a path starts at a parameter name, <c>this</c>, a member of the containing type
    /// (implicit <c>this</c>) or names a static member. A reader-writer lock must carry a mode
    /// (XL0005). A call that does not satisfy it is XL0004.
    /// </remarks>
    /// <example>
    /// <code>
    /// // xe_vma_userptr_lockdep: W(vm->lock) || (R(vm->lock) &amp;&amp; vma->fault_lock)
    /// [Requires("vm.Lock:write | (vm.Lock:read &amp; vma.FaultLock)")]
    /// static int PinPages(Vm vm, UserptrVma vma) { ... }
    /// </code>
    /// </example>
    [AttributeUsage(AttributeTargets.Method | AttributeTargets.Constructor | AttributeTargets.Property, AllowMultiple = true, Inherited = true)]
    public sealed class RequiresAttribute : Attribute
    {
        /// <summary>Creates the requirement.</summary>
        /// <param name="expression">The lock expression callers must hold (a lock expression: the grammar is on the XL0010 rule page, docs/rules/XL0010.md).</param>
        public RequiresAttribute(string expression)
        {
            Expression = expression;
        }

        /// <summary>The lock expression callers must hold.</summary>
        public string Expression { get; }
    }
}
