using Microsoft.CodeAnalysis;

namespace XeLocked.Analyzers.WholeProgram
{
    /// <summary>
    /// A nesting against the declared order that happens through calls: at <see cref="Site"/>, with
    /// <see cref="Held"/> held, the call (through <see cref="Chain"/>) acquires <see cref="Acquired"/>,
    /// which <c>[LockOrder]</c> puts before <see cref="Held"/>. Reported as XL0001 at the call.
    /// </summary>
    internal sealed class CallOrderViolation
    {
        public CallOrderViolation(Location site, ISymbol acquired, ISymbol held, string heldPath, string chain)
        {
            Site = site;
            Acquired = acquired;
            Held = held;
            HeldPath = heldPath;
            Chain = chain;
        }

        /// <summary>The call made while <see cref="Held"/> is held.</summary>
        public Location Site { get; }

        /// <summary>The lock class the callee acquires (declared before <see cref="Held"/>).</summary>
        public ISymbol Acquired { get; }

        /// <summary>The lock class held at the call.</summary>
        public ISymbol Held { get; }

        /// <summary>The access path of the held lock in the caller (<c>b.Lock</c>).</summary>
        public string HeldPath { get; }

        /// <summary><c>F() → G(), which acquires it at File.cs:40</c>.</summary>
        public string Chain { get; }
    }
}
