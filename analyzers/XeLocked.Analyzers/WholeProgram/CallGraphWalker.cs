using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace XeLocked.Analyzers.WholeProgram
{
    /// <summary>
    /// Collects the call edges of one code block: every invocation of a method declared in this
    /// compilation, constructor call and property accessor, attributed to the method or local function whose body contains it. Calls inside
    /// a lambda belong to the lambda (which is never called by name), so they do not enter the
    /// enclosing method's summary: whether the lambda runs during the call is unknown. A virtual or
    /// interface call goes to the named method, whose summary includes the overrides and
    /// implementations of this compilation (<see cref="CollectDispatch"/>).
    /// </summary>
    internal static class CallGraphWalker
    {
        /// <summary>
        /// Dispatch edges of one method: a call to the method it overrides, or to an interface
        /// method it implements, may run this body, so those methods' summaries include its own.
        /// </summary>
        public static void CollectDispatch(IMethodSymbol method, List<CallEdge> output)
        {
            if (method.IsStatic || (method.MethodKind != MethodKind.Ordinary && method.MethodKind != MethodKind.ExplicitInterfaceImplementation &&
                method.MethodKind != MethodKind.PropertyGet && method.MethodKind != MethodKind.PropertySet))
            {
                return;
            }

            var self = Witness.Canonical(method);
            var site = method.Locations.Length > 0 ? method.Locations[0] : Location.None;
            if (method.OverriddenMethod is IMethodSymbol overridden)
            {
                output.Add(new CallEdge(Witness.Canonical(overridden), self, site));
            }

            foreach (var explicitImpl in method.ExplicitInterfaceImplementations)
            {
                output.Add(new CallEdge(Witness.Canonical(explicitImpl), self, site));
            }

            var type = method.ContainingType;
            if (type == null || method.DeclaredAccessibility != Accessibility.Public)
            {
                return;
            }

            foreach (var iface in type.AllInterfaces)
            {
                foreach (var member in iface.GetMembers(method.Name))
                {
                    if (member is IMethodSymbol candidate &&
                        SymbolEqualityComparer.Default.Equals(type.FindImplementationForInterfaceMember(candidate)?.OriginalDefinition, method.OriginalDefinition))
                    {
                        output.Add(new CallEdge(Witness.Canonical(candidate), self, site));
                    }
                }
            }
        }

        private static void Add(IMethodSymbol caller, IMethodSymbol? callee, IOperation site, List<CallEdge> output)
        {
            if (callee != null && !callee.DeclaringSyntaxReferences.IsEmpty)
            {
                output.Add(new CallEdge(Witness.Canonical(caller), Witness.Canonical(callee), site.Syntax.GetLocation()));
            }
        }

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
                    case IInvocationOperation call:
                        Add(current, call.TargetMethod, call, output);
                        break;
                    case IObjectCreationOperation creation when creation.Constructor != null:
                        Add(current, creation.Constructor, creation, output);
                        break;
                    case IPropertyReferenceOperation property:
                        // Both accessors when present: which one runs (read, write, compound) does not matter for a may-summary.
                        Add(current, property.Property.GetMethod, property, output);
                        Add(current, property.Property.SetMethod, property, output);
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
