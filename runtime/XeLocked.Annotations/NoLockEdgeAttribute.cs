using System;

namespace XeLocked.Annotations
{
    /// <summary>
    /// Removes one inferred nesting from the analyzer's whole-program lock graph (XL0011): "lock
    /// class <see cref="Acquired"/> taken while lock class <see cref="Held"/> is held", as made by
    /// the body of the method, constructor, accessor, local function or lambda it is put on
    /// (directly, or through the calls that body makes). Cycles that do not go through that edge are
    /// still reported. Put it where the nesting is, with the reason it cannot take part in a
    /// deadlock; a lock class is named <c>"TypeName.MemberName"</c>, as in
    /// <see cref="LockOrderAttribute"/>.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The justification is mandatory: an attribute without one, with an empty one, or naming a lock
    /// class that does not resolve is reported (XL0015, XL0010). On a method it also covers the
    /// lambdas and local functions declared in its body.
    /// </para>
    /// <para>
    /// Naming one class twice (<c>[NoLockEdge("Account.Sync", "Account.Sync", Justification = …)]</c>)
    /// declares that the body takes two different instances of that class in a fixed order (by key,
    /// by address): the analyzer does not report their nesting (XL0006). It is the spelling for locks
    /// without a nesting acquisition (<c>lock</c>, <c>Monitor</c>, <c>ReaderWriterLockSlim</c>);
    /// XeLocked's primitives have <c>LockNested</c>, which the run-time tracker checks as well.
    /// </para>
    /// <para>
    /// It silences only the inferred graph. A nesting against the declared <c>[LockOrder]</c> is still
    /// XL0001 (a declared order is a rule, not an inference), and the run-time tracker (lockdep) does
    /// not read this attribute.
    /// </para>
    /// </remarks>
    /// <example>
    /// <code>
    /// // The connector is created here and not published before Open returns: no other thread can
    /// // hold its lock, so "Pool.Lock, then Connector.Sync" cannot close a cycle.
    /// [NoLockEdge("Pool.Lock", "Connector.Sync",
    ///     Justification = "the new connector is private to this thread until Open returns")]
    /// public Connector Open()
    /// {
    ///     lock (Lock)
    ///     {
    ///         var c = new Connector(this);
    ///         lock (c.Sync) { c.Start(); }
    ///         _idle.Add(c);
    ///         return c;
    ///     }
    /// }
    /// </code>
    /// </example>
    [AttributeUsage(AttributeTargets.Method | AttributeTargets.Constructor | AttributeTargets.Property, AllowMultiple = true, Inherited = false)]
    public sealed class NoLockEdgeAttribute : Attribute
    {
        /// <summary>Removes the edge "<paramref name="acquired"/> taken while <paramref name="held"/> is held" made in this body.</summary>
        /// <param name="held">The lock class held, <c>"TypeName.MemberName"</c>.</param>
        /// <param name="acquired">The lock class acquired while it is held, <c>"TypeName.MemberName"</c>.</param>
        public NoLockEdgeAttribute(string held, string acquired)
        {
            Held = held;
            Acquired = acquired;
        }

        /// <summary>The lock class held (the outer lock of the nesting).</summary>
        public string Held { get; }

        /// <summary>The lock class acquired while <see cref="Held"/> is held (the inner lock).</summary>
        public string Acquired { get; }

        /// <summary>Why this nesting cannot take part in a deadlock. Required: the analyzer reports an attribute without one.</summary>
        public string? Justification { get; set; }
    }
}
