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
        public static List<CallEdge> Collect(ISymbol owner, ImmutableArray<IOperation> blocks)
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
                        Collect(root, node.Value, output);
                    }
                }
            }

            return output;
        }

        private static void Collect(IOperation root, CallNode owner, List<CallEdge> output)
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
                    foreach (var t in targets)
                    {
                        output.Add(new CallEdge(current, CallNode.For(t), site));
                    }
                }

                foreach (var child in op.ChildOperations)
                {
                    stack.Push((child, current));
                }
            }
        }
    }

    /// <summary>One call: the calling node, the called node, the call site.</summary>
    internal sealed class CallEdge
    {
        public CallEdge(CallNode caller, CallNode callee, Location site)
        {
            Caller = caller;
            Callee = callee;
            Site = site;
        }

        public CallNode Caller { get; }

        public CallNode Callee { get; }

        public Location Site { get; }
    }
}
