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
}
