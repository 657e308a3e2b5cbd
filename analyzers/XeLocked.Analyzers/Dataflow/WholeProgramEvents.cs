using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace XeLocked.Analyzers.Dataflow
{
    /// <summary>
    /// An <c>await</c> (explicit, or the implicit ones of <c>await foreach</c> and <c>await using</c>):
    /// <see cref="LockEvent.Before"/> is what is held while the method is suspended (XL0013).
    /// </summary>
    internal sealed class AwaitEvent : LockEvent
    {
        public AwaitEvent(IAwaitOperation operation, LockState before)
            : base(operation, before)
        {
            Await = operation;
        }

        public IAwaitOperation Await { get; }
    }

    /// <summary>
    /// A call to a method, constructor or property accessor declared in this compilation made while
    /// locks are held: the callee's body
    /// may acquire further locks, which nest inside the held ones (the whole-program acquisition
    /// graph, XL0011). Only recorded when something is held.
    /// </summary>
    internal sealed class HeldCallEvent : LockEvent
    {
        public HeldCallEvent(IOperation operation, LockState before, IMethodSymbol callee)
            : base(operation, before)
        {
            Callee = callee;
        }

        public IMethodSymbol Callee { get; }
    }
}
