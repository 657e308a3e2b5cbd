using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using XeLocked.Analyzers.Dataflow;

namespace XeLocked.Analyzers.Ownership
{
    /// <summary>
    /// A call on an object exactly as its construction left it: the receiver is a local whose one
    /// definition is <c>new T(…)</c> (no object or collection initializer), the body still owns it at
    /// the call (<see cref="OwnershipFlow"/>), and nothing else in the body can have changed the object:
    /// every other use of the local is a comparison, a type or null test, a <c>return</c> (after which
    /// nothing of the body runs), or the value given to <c>Interlocked.CompareExchange</c> (which does
    /// not run the object's code), and this call is
    /// the only call, property use or member write on it. The callee then runs on the graph the
    /// construction built (<see cref="ConstructedGraphs"/>): its locks, and the objects reached
    /// through the members construction leaves fresh, belong to no other thread.
    /// </summary>
    internal static class FreshReceiver
    {
        /// <summary>
        /// The members of the receiver's graph that are fresh at <paramref name="call"/> (see
        /// <see cref="ConstructedGraphs.FreshMembers"/>), or null when the receiver is not such an object.
        /// </summary>
        public static IReadOnlyCollection<ISymbol>? FreshMembersAt(OwnershipIndex index, IInvocationOperation call)
        {
            if (call.SemanticModel == null && call.Instance is ILocalReferenceOperation && Candidate(call) &&
                index.OperationOf(call.Syntax) is IInvocationOperation original)
            {
                // An operation of a control-flow graph: the operation tree's copy has the whole body.
                call = original;
            }

            if (!Candidate(call))
            {
                return null;
            }

            if (!(call.Instance is ILocalReferenceOperation receiver) || receiver.Local.IsRef || call.SemanticModel == null)
            {
                return null;
            }

            var root = (IOperation)call;
            while (root.Parent != null)
            {
                root = root.Parent;
            }

            ITypeSymbol? created = null;
            foreach (var op in root.Descendants())
            {
                switch (op)
                {
                    case IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, receiver.Local):
                        if (created != null || !(declarator.Initializer?.Value is IObjectCreationOperation { Initializer: null } creation))
                        {
                            return null;
                        }

                        created = creation.Type;
                        break;
                    case ILocalReferenceOperation reference when SymbolEqualityComparer.Default.Equals(reference.Local, receiver.Local) &&
                        reference != receiver && !KeepsGraph(reference):
                        return null;
                }
            }

            if (created == null || !(call.SemanticModel.GetEnclosingSymbol(call.Syntax.SpanStart) is IMethodSymbol method) ||
                method.MethodKind == MethodKind.AnonymousFunction || method.MethodKind == MethodKind.LocalFunction ||
                index.FlowOf(method, thisOwned: false)?.IsReceiverOwned(call.Syntax) != true)
            {
                return null;
            }

            return index.Constructed.FreshMembers(created);
        }

        /// <summary>A call on a local declared with <c>= new …</c> (checked on syntax first: calls on locals are many).</summary>
        private static bool Candidate(IInvocationOperation call) =>
            call.Instance is ILocalReferenceOperation local &&
            local.Local.DeclaringSyntaxReferences.Length == 1 &&
            local.Local.DeclaringSyntaxReferences[0].GetSyntax() is Microsoft.CodeAnalysis.CSharp.Syntax.VariableDeclaratorSyntax
            {
                Initializer.Value: Microsoft.CodeAnalysis.CSharp.Syntax.BaseObjectCreationExpressionSyntax { Initializer: null },
            };

        /// <summary>A use of the local that cannot change the object before the call: a comparison, a test, a <c>return</c>, a <c>CompareExchange</c> value.</summary>
        private static bool KeepsGraph(IOperation reference)
        {
            var current = reference;
            while (current.Parent is IConversionOperation { OperatorMethod: null } conversion)
            {
                current = conversion;
            }

            return current.Parent switch
            {
                IBinaryOperation binary => binary.OperatorMethod == null,
                IIsNullOperation or IIsTypeOperation => true,
                IIsPatternOperation pattern => !pattern.Pattern.DescendantsAndSelf().OfType<IPropertySubpatternOperation>().Any(),
                IArgumentOperation argument => CompareExchange.IsValueArgument(argument),
                IReturnOperation { Kind: OperationKind.Return } => true,
                _ => false,
            };
        }
    }
}
