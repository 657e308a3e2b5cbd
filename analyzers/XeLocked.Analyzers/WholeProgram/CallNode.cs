using System;
using Microsoft.CodeAnalysis;
using XeLocked.Analyzers.Dataflow;

namespace XeLocked.Analyzers.WholeProgram
{
    /// <summary>
    /// A node of the call graph the summaries are computed on. A <em>body</em> node is code that runs
    /// as one unit: a method's (or accessor's, constructor's, lambda's, local function's) own body,
    /// or the initializer of an instance field or property (run by the constructors that do not
    /// chain to <c>this(...)</c>). A <em>dispatch</em> node is a virtual call of a method: its body,
    /// and those of every override and implementation of it in the compilation. A call through
    /// <c>base.</c>, a constructor, an operator or a non-virtual method goes to the body node; a
    /// virtual or interface call to the dispatch node.
    /// </summary>
    internal readonly struct CallNode : IEquatable<CallNode>
    {
        private CallNode(ISymbol symbol, bool dispatch)
        {
            Symbol = symbol;
            IsDispatch = dispatch;
        }

        /// <summary>The method (canonical: see <see cref="Witness.Canonical"/>), or the field or property whose initializer this is.</summary>
        public ISymbol Symbol { get; }

        /// <summary>A virtual call of <see cref="Symbol"/> rather than its own body.</summary>
        public bool IsDispatch { get; }

        /// <summary>The body of a method, or the initializer of a field or property.</summary>
        public static CallNode Body(ISymbol symbol) =>
            new CallNode(symbol is IMethodSymbol m ? Witness.Canonical(m) : symbol.OriginalDefinition, dispatch: false);

        /// <summary>The node a call to <paramref name="method"/> goes to (<paramref name="dispatched"/>: a virtual call).</summary>
        public static CallNode For(IMethodSymbol method, bool dispatched) =>
            dispatched && CallTargets.IsDispatchable(method) ? new CallNode(Witness.Canonical(method), dispatch: true) : Body(method);

        /// <summary>The node of one call target.</summary>
        public static CallNode For(CallTarget target) => For(target.Method, target.Dispatched);

        /// <summary>A stable sort key.</summary>
        public string Key => Witness.Key(Symbol) + (IsDispatch ? "#virtual" : string.Empty);

        public bool Equals(CallNode other) => IsDispatch == other.IsDispatch && SymbolEqualityComparer.Default.Equals(Symbol, other.Symbol);

        public override bool Equals(object? obj) => obj is CallNode other && Equals(other);

        public override int GetHashCode() => (SymbolEqualityComparer.Default.GetHashCode(Symbol) * 2) + (IsDispatch ? 1 : 0);
    }
}
