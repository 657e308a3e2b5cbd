using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace XeLocked.Analyzers.Dataflow
{
    /// <summary>
    /// Whether a lambda passed as an argument runs before the call returns, on the caller's thread
    /// (LINQ, <c>List.ForEach</c>, <c>ConcurrentDictionary.GetOrAdd</c>): then it runs with the
    /// caller's locks held. See <see cref="NestedBodyEntry"/>.
    /// </summary>
    internal static class CallbackParameters
    {
        /// <summary>
        /// True when a delegate passed for <paramref name="parameter"/> of <paramref name="method"/> is
        /// run (if at all) before the call returns: the parameter's declared type is a delegate type
        /// (not a type parameter or <c>object</c>, as in <c>List&lt;Action&gt;.Add(T)</c>, which stores
        /// it), the method is not a known deferring API (<see cref="DeferringApis"/>), and, for a method
        /// with a body in the compilation, every mention of the parameter in that body is an
        /// invocation (<c>p(…)</c>, <c>p.Invoke(…)</c>, <c>p?.Invoke(…)</c>) outside any lambda or
        /// local function of it. Methods outside the compilation (and bodiless ones) are assumed to
        /// run such an argument synchronously.
        /// </summary>
        public static bool RunsBeforeReturn(IMethodSymbol method, IParameterSymbol parameter)
        {
            if (parameter.OriginalDefinition.Type.TypeKind != TypeKind.Delegate || DeferringApis.Defers(method))
            {
                return false;
            }

            var definition = (method.ReducedFrom ?? method).OriginalDefinition;
            definition = definition.PartialImplementationPart ?? definition;
            var declaration = definition.DeclaringSyntaxReferences.Select(r => r.GetSyntax()).FirstOrDefault();
            var body = declaration switch
            {
                BaseMethodDeclarationSyntax m => (SyntaxNode?)m.Body ?? m.ExpressionBody,
                LocalFunctionStatementSyntax f => (SyntaxNode?)f.Body ?? f.ExpressionBody,
                AccessorDeclarationSyntax a => (SyntaxNode?)a.Body ?? a.ExpressionBody,
                _ => null,
            };
            if (body == null)
            {
                return declaration == null || declaration is BaseMethodDeclarationSyntax || declaration is LocalFunctionStatementSyntax;
            }

            foreach (var name in body.DescendantNodes().OfType<IdentifierNameSyntax>())
            {
                if (name.Identifier.ValueText == parameter.Name && !(IsInvoked(name) && !InNestedBody(name, body)))
                {
                    return false;
                }
            }

            return true;
        }

        private static bool IsInvoked(IdentifierNameSyntax name)
        {
            switch (name.Parent)
            {
                case InvocationExpressionSyntax call when call.Expression == name:
                    return true;
                case MemberAccessExpressionSyntax access when access.Expression == name && access.Name.Identifier.ValueText == "Invoke":
                    return access.Parent is InvocationExpressionSyntax;
                case ConditionalAccessExpressionSyntax conditional when conditional.Expression == name:
                    return conditional.WhenNotNull is InvocationExpressionSyntax { Expression: MemberBindingExpressionSyntax { Name.Identifier.ValueText: "Invoke" } };
                default:
                    return false;
            }
        }

        private static bool InNestedBody(SyntaxNode node, SyntaxNode body)
        {
            for (var n = node.Parent; n != null && n != body; n = n.Parent)
            {
                if (n is AnonymousFunctionExpressionSyntax || n is LocalFunctionStatementSyntax)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
