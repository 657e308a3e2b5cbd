using System;
using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using XeLocked.Analyzers.Ownership;

namespace XeLocked.Analyzers.Dataflow
{
    /// <summary>The events of one analyzed body (method, accessor, lambda or local function).</summary>
    internal sealed class BodyFlow
    {
        private readonly Lazy<OwnershipFlow?> _ownership;
        private readonly Lazy<OwnershipFlow?> _ownershipFromThis;

        /// <param name="method">the body's method, lambda or local function</param>
        /// <param name="isLockImplementation">see <see cref="IsLockImplementation"/></param>
        /// <param name="events">what the dataflow saw</param>
        /// <param name="ownership">computes the body's ownership flow (argument: <c>this</c> owned on entry); null: nothing is owned</param>
        /// <param name="inheritsCallerLocks">see <see cref="InheritsCallerLocks"/></param>
        public BodyFlow(IMethodSymbol method, bool isLockImplementation, List<LockEvent> events, Func<bool, OwnershipFlow>? ownership = null,
            bool inheritsCallerLocks = false)
        {
            Method = method;
            InheritsCallerLocks = inheritsCallerLocks;
            IsLockImplementation = isLockImplementation;
            Events = events;
            _ownership = new Lazy<OwnershipFlow?>(() => ownership?.Invoke(false), LazyThreadSafetyMode.ExecutionAndPublication);
            _ownershipFromThis = new Lazy<OwnershipFlow?>(() => ownership?.Invoke(true), LazyThreadSafetyMode.ExecutionAndPublication);
        }

        /// <summary>The objects the body owns at each point, nothing owned on entry (computed on first use).</summary>
        public OwnershipFlow? Ownership => _ownership.Value;

        /// <summary>The same with <c>this</c> owned on entry: for constructors and methods called only on owned objects.</summary>
        public OwnershipFlow? OwnershipFromThis => _ownershipFromThis.Value;

        public IMethodSymbol Method { get; }

        /// <summary>
        /// A lambda or local function analyzed from the locks held where its enclosing body runs it
        /// (<see cref="NestedBodyEntry"/>): what it acquires under them is seen in its own body, so a
        /// call of it is not also a call made while holding them.
        /// </summary>
        public bool InheritsCallerLocks { get; }

        /// <summary>
        /// The body belongs to a <c>[LockPrimitive]</c> or <c>[ScopedLock]</c> type: it implements
        /// the contracts (with locks the analysis does not see), so its balance is not checked.
        /// </summary>
        public bool IsLockImplementation { get; }

        /// <summary>
        /// A constructor or finalizer: the object is not shared yet (or any more), so its own
        /// guarded members may be touched without their locks.
        /// </summary>
        public bool OwnsThis => Method.MethodKind == MethodKind.Constructor || Method.MethodKind == MethodKind.StaticConstructor ||
                                Method.MethodKind == MethodKind.Destructor;

        public List<LockEvent> Events { get; }
    }

    /// <summary>All bodies analyzed for one member's code block, nested lambdas and local functions included.</summary>
    internal sealed class FlowResult
    {
        public static readonly FlowResult Empty = new FlowResult(new List<BodyFlow>());

        public FlowResult(List<BodyFlow> bodies) => Bodies = bodies;

        public List<BodyFlow> Bodies { get; }
    }
}
