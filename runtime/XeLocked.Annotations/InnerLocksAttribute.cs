using System;

namespace XeLocked.Annotations
{
    /// <summary>
    /// Declares that the object held in this field or property is <em>inner</em> to the object that
    /// holds it: its locks (and the locks of everything reached from it through further
    /// <c>[InnerLocks]</c> members) are taken after this object's own locks, never before, and the
    /// objects linked this way form a tree — no object reaches itself again through
    /// <c>[InnerLocks]</c> members. The usual case is a decorator or wrapper that holds its lock
    /// while calling the object it wraps.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The analyzer's lock graph (XL0011) is a graph of lock <em>classes</em>: two wrappers of
    /// different types that can wrap each other (a buffering wrapper around a retrying one, and a
    /// retrying one around a buffering one) make the cycle "Buffering lock → Retrying lock →
    /// Buffering lock" although no two objects ever take each other's locks in both orders. With
    /// this attribute on the member that holds the wrapped object, a nesting whose inner lock is
    /// reached through it is known to go one level down the tree, and a cycle made only of nestings
    /// that go down the tree or stay on one object (and at least one that goes down) is not
    /// reported. A cycle with any other nesting (a static lock, a lock reached through a parameter
    /// or a back-pointer) is still reported.
    /// </para>
    /// <para>
    /// On a member holding a collection of wrapped objects (a group of targets), the elements are the
    /// inner objects: an element reached by an indexer, an array element or a <c>foreach</c> over the
    /// member is one level down.
    /// </para>
    /// <para>
    /// The tree is the caller's promise and is not checked: wrapping an object in itself, directly
    /// or through other wrappers, is a real deadlock the analyzer no longer reports. On a static
    /// member, or on a member whose type is not a class or interface, the attribute is XL0010.
    /// The run-time tracker (lockdep) does not read it: there, give the inner objects' locks
    /// nesting subclasses.
    /// </para>
    /// </remarks>
    /// <example>
    /// <code>
    /// public sealed class BufferingTarget : Target
    /// {
    ///     private readonly object _lock = new();
    ///     [InnerLocks] private readonly Target _inner;
    ///     public override void Write(string s) { lock (_lock) { _inner.Write(s); } }   // the inner target's locks: one level down
    /// }
    /// </code>
    /// </example>
    [AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
    public sealed class InnerLocksAttribute : Attribute
    {
    }
}
