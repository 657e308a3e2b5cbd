using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace XeLocked.Analyzers.Dataflow
{
    /// <summary>
    /// "Inner acquired while Outer held": a lock certainly held at an acquisition whose lock class
    /// differs from the acquired lock's. Lock classes are declarations, compared and handed out as
    /// <c>OriginalDefinition</c>: <c>Box&lt;int&gt;.Lock</c> and <c>Box&lt;string&gt;.Lock</c> are one
    /// class, so holding one while acquiring the other nests no classes. The one enumeration behind
    /// XL0001 and XL0014 in a body and the nesting edges of the whole-program graph.
    /// </summary>
    internal readonly struct LockNesting
    {
        private LockNesting(HeldLock outer, ISymbol outerClass, HeldLock inner, ISymbol innerClass)
        {
            Outer = outer;
            OuterClass = outerClass;
            Inner = inner;
            InnerClass = innerClass;
        }

        /// <summary>The lock held.</summary>
        public HeldLock Outer { get; }

        /// <summary>Its lock class (the declaration).</summary>
        public ISymbol OuterClass { get; }

        /// <summary>The lock acquired.</summary>
        public HeldLock Inner { get; }

        /// <summary>Its lock class (the declaration).</summary>
        public ISymbol InnerClass { get; }

        /// <summary>
        /// The nestings <paramref name="acquire"/> makes, one per lock certainly held before it whose
        /// class differs from the acquired lock's, in the state's order. None for an upgrade (the
        /// lock is held already) or an acquired lock without a class (a bare variable); a held lock
        /// without a class makes none.
        /// </summary>
        public static IEnumerable<LockNesting> At(AcquireEvent acquire)
        {
            if (acquire.IsUpgrade || !(acquire.Acquired.LockClass is ISymbol inner))
            {
                yield break;
            }

            var innerClass = inner.OriginalDefinition;
            foreach (var held in acquire.Before.Certain)
            {
                if (held.LockClass is ISymbol outer && !SymbolEqualityComparer.Default.Equals(outer.OriginalDefinition, innerClass))
                {
                    yield return new LockNesting(held, outer.OriginalDefinition, acquire.Acquired, innerClass);
                }
            }
        }
    }
}
