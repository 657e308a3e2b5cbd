using Microsoft.CodeAnalysis;

namespace XeLocked.Analyzers.WholeProgram
{
    /// <summary>
    /// A nesting against the declared order that happens through calls: at <see cref="Site"/>, with
    /// <see cref="Outer"/> held, the call (through <see cref="Chain"/>) acquires <see cref="Inner"/>,
    /// which <c>[LockOrder]</c> puts before <see cref="Outer"/>. Reported as XL0001 at the call.
    /// </summary>
    internal sealed class CallOrderViolation
    {
        public CallOrderViolation(Location site, ISymbol inner, ISymbol outer, string outerPath, string chain)
        {
            Site = site;
            Inner = inner;
            Outer = outer;
            OuterPath = outerPath;
            Chain = chain;
        }

        /// <summary>The call made while <see cref="Outer"/> is held.</summary>
        public Location Site { get; }

        /// <summary>The lock class the callee acquires (declared before <see cref="Outer"/>).</summary>
        public ISymbol Inner { get; }

        /// <summary>The lock class held at the call.</summary>
        public ISymbol Outer { get; }

        /// <summary>The access path of the held lock in the caller (<c>b.Lock</c>).</summary>
        public string OuterPath { get; }

        /// <summary><c>F() → G(), which acquires it at File.cs:40</c>.</summary>
        public string Chain { get; }
    }
}
