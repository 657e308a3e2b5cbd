using Microsoft.CodeAnalysis;

namespace XeLocked.Analyzers.Dataflow
{
    /// <summary>
    /// One method an operation calls: the method it binds to, and whether the call is dispatched
    /// (virtual, abstract, override or interface member called other than through <c>base.</c>, so
    /// that any override or implementation may run) or runs exactly that body.
    /// </summary>
    internal readonly struct CallTarget
    {
        public CallTarget(IMethodSymbol method, bool dispatched)
        {
            Method = method;
            Dispatched = dispatched;
        }

        /// <summary>The method the call binds to (after resolving an interface member on a known receiver type).</summary>
        public IMethodSymbol Method { get; }

        /// <summary>True when the overrides and implementations of <see cref="Method"/> may run instead of its own body.</summary>
        public bool Dispatched { get; }
    }
}
