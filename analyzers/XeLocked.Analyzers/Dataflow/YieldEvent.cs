using Microsoft.CodeAnalysis.Operations;

namespace XeLocked.Analyzers.Dataflow
{
    /// <summary>
    /// A <c>yield return</c> of an iterator: the iterator is suspended there, and the code that
    /// consumes its items runs (possibly on another thread) until it asks for the next one.
    /// </summary>
    internal sealed class YieldEvent : LockEvent
    {
        public YieldEvent(IReturnOperation operation, LockState before)
            : base(operation, before)
        {
        }
    }
}
