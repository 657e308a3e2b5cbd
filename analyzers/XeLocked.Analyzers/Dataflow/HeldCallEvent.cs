using Microsoft.CodeAnalysis;

namespace XeLocked.Analyzers.Dataflow
{
    /// <summary>
    /// A call to a method of this compilation made while locks are held — written (method,
    /// constructor, property or indexer accessor) or made by the compiler for the user (operators,
    /// conversions, event accessors, awaiters, <c>Deconstruct</c>, and the invocations the graph
    /// lowers <c>foreach</c>, <c>using</c> and <c>with</c> to; see <see cref="CallTargets"/>): the
    /// callee's body may acquire further locks, which nest inside the held ones (the whole-program
    /// acquisition graph, XL0011). Only recorded when something is held.
    /// </summary>
    internal sealed class HeldCallEvent : LockEvent
    {
        public HeldCallEvent(IOperation operation, LockState before, CallTarget target)
            : base(operation, before)
        {
            Callee = target.Method;
            Dispatched = target.Dispatched;
            Site = CallTargets.Site(operation).GetLocation();
        }

        public IMethodSymbol Callee { get; }

        /// <summary>Dispatched: any override or implementation of <see cref="Callee"/> may run (not a <c>base.</c> call).</summary>
        public bool Dispatched { get; }

        /// <summary>Where the call is reported (the operation, or the collection of a <c>foreach</c> for its implicit calls).</summary>
        public Location Site { get; }
    }
}
