using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace XeLocked.Analyzers.Dataflow
{
    /// <summary>The events of one analyzed body (method, accessor, lambda or local function).</summary>
    internal sealed class BodyFlow
    {
        public BodyFlow(IMethodSymbol method, bool isLockImplementation, List<LockEvent> events)
        {
            Method = method;
            IsLockImplementation = isLockImplementation;
            Events = events;
        }

        public IMethodSymbol Method { get; }

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
