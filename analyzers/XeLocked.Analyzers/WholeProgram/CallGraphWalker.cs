using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using XeLocked.Analyzers.Dataflow;

namespace XeLocked.Analyzers.WholeProgram
{
    /// <summary>
    /// Collects the call edges of one code block: every call into the compilation's source that the
    /// code writes or the compiler makes for it (<see cref="CallTargets"/>; for a property or indexer,
    /// the accessors its use runs), attributed to the method, local
    /// function or field/property initializer whose code contains it. Calls inside a lambda belong
    /// to the lambda (which is never called by name), so they do not enter the enclosing method's
    /// summary: whether the lambda runs during the call is unknown. A virtual or interface call goes
    /// to the dispatch node of the named method, which reaches the overrides and implementations
    /// (<see cref="TypeCallEdges"/>); a call through <c>base.</c> to the named body only.
    /// </summary>
    internal static class CallGraphWalker
    {
        /// <summary>The call edges of the code block of <paramref name="owner"/> (a method, or an instance field or property with an initializer).</summary>
        /// <param name="owner">the member whose code block this is</param>
        /// <param name="blocks">its operation blocks</param>
        /// <param name="innerLocks">the <c>[InnerLocks]</c> attribute type, if referenced</param>
        /// <param name="fresh">for a call on a local: the fresh members of its new receiver, or null (<see cref="Ownership.FreshReceiver"/>)</param>
        public static List<CallEdge> Collect(ISymbol owner, ImmutableArray<IOperation> blocks, INamedTypeSymbol? innerLocks,
            System.Func<IInvocationOperation, IReadOnlyCollection<ISymbol>?> fresh)
        {
            var output = new List<CallEdge>();
            var node = owner switch
            {
                IMethodSymbol method => CallNode.Body(method),
                IFieldSymbol field when !field.IsStatic => CallNode.Body(field),
                IPropertySymbol property when !property.IsStatic => CallNode.Body(property),
                _ => (CallNode?)null,
            };
            if (node.HasValue)
            {
                // The root of a constructor's blocks holds its `this(...)`/`base(...)` call, the implicit `base()` included.
                var roots = new HashSet<IOperation>();
                foreach (var block in blocks)
                {
                    var root = block;
                    while (root.Parent != null)
                    {
                        root = root.Parent;
                    }

                    if (roots.Add(root))
                    {
                        Collect(root, node.Value, output, innerLocks, fresh);
                    }
                }
            }

            return output;
        }

        private static void Collect(IOperation root, CallNode owner, List<CallEdge> output, INamedTypeSymbol? innerLocks,
            System.Func<IInvocationOperation, IReadOnlyCollection<ISymbol>?> fresh)
        {
            var stack = new Stack<(IOperation Operation, CallNode Owner)>();
            var targets = new List<CallTarget>();
            stack.Push((root, owner));
            while (stack.Count > 0)
            {
                var (op, current) = stack.Pop();
                targets.Clear();
                switch (op)
                {
                    case ILocalFunctionOperation local:
                        current = CallNode.Body(local.Symbol);
                        break;
                    case IAnonymousFunctionOperation lambda:
                        current = CallNode.Body(lambda.Symbol);
                        break;
                    case IPropertyReferenceOperation property:
                        // The accessors the use runs: a read runs the getter, an assignment the setter, `+=` both.
                        var use = AccessClassifier.Classify(property);
                        if (use.IsRead || use.IsReturned)
                        {
                            CallTargets.Accessor(property, property.Property.GetMethod, targets);
                        }

                        if (use.IsWrite)
                        {
                            CallTargets.Accessor(property, property.Property.SetMethod, targets);
                        }

                        break;
                    default:
                        CallTargets.Of(op, targets);
                        break;
                }

                if (targets.Count > 0)
                {
                    var site = CallTargets.Site(op).GetLocation();
                    var receiver = AnchorOf.Receiver(op, innerLocks);
                    var freshMembers = op is IInvocationOperation { Instance: ILocalReferenceOperation } call ? fresh(call) : null;
                    foreach (var t in targets)
                    {
                        output.Add(new CallEdge(current, CallNode.For(t), site, receiver, freshMembers));
                    }
                }

                foreach (var child in op.ChildOperations)
                {
                    stack.Push((child, current));
                }
            }
        }
    }

    /// <summary>One call: the calling node, the called node, the call site, where the receiver is.</summary>
    internal sealed class CallEdge
    {
        /// <param name="caller">the calling node</param>
        /// <param name="callee">the called node</param>
        /// <param name="site">the call site</param>
        /// <param name="receiver">the receiver relative to the caller's <c>this</c> (<see cref="Anchor.Self"/> for a dispatch or a chained constructor)</param>
        /// <param name="fresh">when the receiver is a new object as its construction left it, the members construction left fresh (<see cref="Ownership.FreshReceiver"/>)</param>
        public CallEdge(CallNode caller, CallNode callee, Location site, Anchor receiver, IReadOnlyCollection<ISymbol>? fresh = null)
        {
            Caller = caller;
            Callee = callee;
            Site = site;
            Receiver = receiver;
            Fresh = fresh;
        }

        /// <summary>The receiver of the call, relative to the caller's <c>this</c>.</summary>
        public Anchor Receiver { get; }

        /// <summary>The members of a new receiver that its construction left fresh; null when the receiver is not such an object.</summary>
        public IReadOnlyCollection<ISymbol>? Fresh { get; }

        public CallNode Caller { get; }

        public CallNode Callee { get; }

        public Location Site { get; }
    }
}
