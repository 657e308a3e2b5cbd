using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace XeLocked.Analyzers.WholeProgram
{
    /// <summary>
    /// Collects the call edges of one code block: every invocation of a method declared in this
    /// compilation, attributed to the method or local function whose body contains it. Calls inside
    /// a lambda belong to the lambda (which is never called by name), so they do not enter the
    /// enclosing method's summary: whether the lambda runs during the call is unknown. Virtual and
    /// interface calls go to the named method only (overrides are not added).
    /// </summary>
    internal static class CallGraphWalker
    {
        public static void Collect(IOperation root, IMethodSymbol owner, List<CallEdge> output)
        {
            var stack = new Stack<(IOperation Operation, IMethodSymbol Owner)>();
            stack.Push((root, owner));
            while (stack.Count > 0)
            {
                var (op, current) = stack.Pop();
                switch (op)
                {
                    case ILocalFunctionOperation local:
                        current = local.Symbol;
                        break;
                    case IAnonymousFunctionOperation lambda:
                        current = lambda.Symbol;
                        break;
                    case IInvocationOperation call when !call.TargetMethod.DeclaringSyntaxReferences.IsEmpty:
                        output.Add(new CallEdge(Witness.Canonical(current), Witness.Canonical(call.TargetMethod), call.Syntax.GetLocation()));
                        break;
                }

                foreach (var child in op.ChildOperations)
                {
                    stack.Push((child, current));
                }
            }
        }
    }

    /// <summary>One call: the calling body's method, the callee, the call site.</summary>
    internal sealed class CallEdge
    {
        public CallEdge(IMethodSymbol caller, IMethodSymbol callee, Location site)
        {
            Caller = caller;
            Callee = callee;
            Site = site;
        }

        public IMethodSymbol Caller { get; }

        public IMethodSymbol Callee { get; }

        public Location Site { get; }
    }
}
