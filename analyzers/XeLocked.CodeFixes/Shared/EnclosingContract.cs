using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace XeLocked.CodeFixes.Shared
{
    /// <summary>
    /// Finds the declaration a contract attribute can be added to for a diagnostic inside a body:
    /// a method, a local function or a property accessor. Lambdas, constructors, operators and
    /// field initializers have no place for <c>[Requires]</c> that callers would see, so none is
    /// returned for them.
    /// </summary>
    internal static class EnclosingContract
    {
        /// <summary>The declaration enclosing <paramref name="node"/> that can carry a contract, or null.</summary>
        public static SyntaxNode? Find(SyntaxNode node)
        {
            for (var n = node; n != null; n = n.Parent)
            {
                switch (n)
                {
                    case AnonymousFunctionExpressionSyntax _:
                        return null;
                    case MethodDeclarationSyntax _:
                    case LocalFunctionStatementSyntax _:
                    case AccessorDeclarationSyntax _:
                        return n;
                    case BaseMethodDeclarationSyntax _:
                    case BasePropertyDeclarationSyntax _:
                    case TypeDeclarationSyntax _:
                        return null;
                }
            }

            return null;
        }

        /// <summary>The body (block or expression) of a declaration found by <see cref="Find"/>.</summary>
        public static SyntaxNode? Body(SyntaxNode declaration) => declaration switch
        {
            MethodDeclarationSyntax m => (SyntaxNode?)m.Body ?? m.ExpressionBody,
            LocalFunctionStatementSyntax f => (SyntaxNode?)f.Body ?? f.ExpressionBody,
            AccessorDeclarationSyntax a => (SyntaxNode?)a.Body ?? a.ExpressionBody,
            _ => null,
        };
    }
}
