using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using XeLocked.Analyzers.Resolution;

namespace XeLocked.Analyzers.Dataflow
{
    /// <summary>
    /// Rewrites a callee's contract paths into the caller's terms: <c>this</c> becomes the receiver's
    /// path, a parameter the argument's path, a static path stays as it is. A path whose root has
    /// no caller-side name (the argument is a call result, an array element) maps to null: unknown.
    /// </summary>
    internal sealed class CallSubstitution
    {
        private readonly AccessPath? _receiver;
        private readonly Dictionary<int, AccessPath?> _arguments;
        private readonly IMethodSymbol? _callee;

        public CallSubstitution(AccessPath? receiver, Dictionary<int, AccessPath?> arguments, IMethodSymbol? callee)
        {
            _receiver = receiver;
            _arguments = arguments;
            _callee = callee?.OriginalDefinition;
        }

        public static CallSubstitution Identity { get; } = new CallSubstitution(AccessPath.This, new Dictionary<int, AccessPath?>(), null);

        public bool IsIdentity => ReferenceEquals(this, Identity);

        public AccessPath? Apply(AccessPath calleePath)
        {
            if (IsIdentity)
            {
                return calleePath;
            }

            switch (calleePath.Kind)
            {
                case PathRootKind.Static:
                    return calleePath;
                case PathRootKind.This:
                    return _receiver == null ? null : calleePath.Rebase(_receiver);
                case PathRootKind.Parameter when !SymbolEqualityComparer.Default.Equals(calleePath.Root!.ContainingSymbol, _callee):
                    // A parameter of the method enclosing a lambda or local function: the same variable at the call.
                    return calleePath;
                case PathRootKind.Parameter:
                    var ordinal = ((IParameterSymbol)calleePath.Root!).Ordinal;
                    return _arguments.TryGetValue(ordinal, out var arg) && arg != null ? calleePath.Rebase(arg) : null;
                default:
                    return null;
            }
        }
    }
}
