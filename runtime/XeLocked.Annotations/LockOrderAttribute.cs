using System;

namespace XeLocked.Annotations
{
    /// <summary>
    /// Declares where the lock class of a lock field or property stands in the lock hierarchy.
    /// Every class named in <see cref="After"/> is acquired before this one (is "outside" it), and
    /// every class named in <see cref="Before"/> is acquired after it. A class is named
    /// <c>"TypeName.MemberName"</c>, with a simple or qualified type name (<c>"Vm.Lock"</c>,
    /// <c>"Ns.Vm.Lock"</c>, <c>"Outer.Inner.Lock"</c>), without <c>global::</c>, white space,
    /// <c>+</c> or generic arguments (docs/rules/XL0010.md, "Lock class names"). The declared edges
    /// form a partial order, closed transitively; a cycle among them is an error (XL0009).
    /// </summary>
    /// <remarks>
    /// The analyzer reports XL0001 when a lock is acquired while a lock that must come after it is
    /// held; the run-time tracker reports <c>DeclaredOrderViolation</c> after
    /// <c>Lockdep.LoadDeclaredOrder(assembly)</c> has read these attributes.
    /// </remarks>
    /// <example>
    /// <code>
    /// sealed class SvmRange
    /// {
    ///     // Seed: "Locking order: inside vm->lock and garbage collector,
    ///     //        outside dma-resv locks, vm->svm.range_lock."
    ///     [LockOrder(After = new[] { "Vm.Lock", "GarbageCollector.Lock" },
    ///                Before = new[] { "Vm.Resv", "Svm.RangeLock" })]
    ///     public readonly TrackedMutex Lock = new("SvmRange.Lock");
    /// }
    /// </code>
    /// </example>
    [AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
    public sealed class LockOrderAttribute : Attribute
    {
        /// <summary>Lock classes that are acquired before (outside) this one.</summary>
        public string[] After { get; set; } = Array.Empty<string>();

        /// <summary>Lock classes that are acquired after (inside) this one.</summary>
        public string[] Before { get; set; } = Array.Empty<string>();
    }
}
