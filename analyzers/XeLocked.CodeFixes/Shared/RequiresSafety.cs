using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using XeLocked.LockExpressions;

namespace XeLocked.CodeFixes.Shared
{
    /// <summary>
    /// Decides whether adding <c>[Requires]</c> to a declaration can only move the obligation to
    /// callers that are able to meet it. It cannot when the declaration is <c>async</c> (callers
    /// would hold the lock across its awaits: XL0013), when its body takes one of the locks itself
    /// (it would then acquire a lock its callers hold: XL0006), or when it is callable from code that
    /// cannot name one of the locks (a public method requiring a private lock, an internal method
    /// requiring a protected one), or when it overrides or implements a member its callers may
    /// call through instead (they would see the base member's contract, not the new one).
    /// </summary>
    internal static class RequiresSafety
    {
        // Who can see a member: the declaring type, derived types in and out of the assembly, other
        // types in and out of the assembly.
        private const int Self = 1;
        private const int DerivedInside = 2;
        private const int DerivedOutside = 4;
        private const int OtherInside = 8;
        private const int OtherOutside = 16;

        /// <summary>True when <c>[Requires(<paramref name="expression"/>)]</c> on <paramref name="declaration"/> cannot make things worse.</summary>
        public static bool IsSafe(SyntaxNode declaration, string expression, SemanticModel model)
        {
            if (IsAsync(declaration) || !LockExpressionParser.TryParse(expression, out var parsed, out _) || parsed == null)
            {
                return false;
            }

            var body = EnclosingContract.Body(declaration);
            var paths = parsed.AllFactors.Select(f => f.Path.ToString()).Distinct().ToList();
            if (body != null && paths.Any(p => LockMentions.Acquires(body, p, model)))
            {
                return false;
            }

            if (declaration is LocalFunctionStatementSyntax || !(model.GetDeclaredSymbol(declaration) is IMethodSymbol method))
            {
                return true;
            }

            if (method.IsOverride || ImplementsInterface(method))
            {
                return false;
            }

            var callers = Visibility(method);
            var position = body?.SpanStart ?? declaration.SpanStart;
            return paths.All(p => (Visibility(p, position, model) & callers) == callers);
        }

        /// <summary>True when <paramref name="method"/> (or its property) implements an interface member: calls through the interface would not see the contract.</summary>
        private static bool ImplementsInterface(IMethodSymbol method)
        {
            if (!method.ExplicitInterfaceImplementations.IsEmpty)
            {
                return true;
            }

            var type = method.ContainingType;
            return type != null && type.AllInterfaces.SelectMany(i => i.GetMembers()).OfType<IMethodSymbol>()
                .Any(m => SymbolEqualityComparer.Default.Equals(type.FindImplementationForInterfaceMember(m), method));
        }

        private static bool IsAsync(SyntaxNode declaration) => declaration switch
        {
            MethodDeclarationSyntax m => m.Modifiers.Any(SyntaxKind.AsyncKeyword),
            LocalFunctionStatementSyntax f => f.Modifiers.Any(SyntaxKind.AsyncKeyword),
            _ => false,
        };

        /// <summary>Who can name every member along <paramref name="path"/> (parameters and <c>this</c> are the caller's own).</summary>
        private static int Visibility(string path, int position, SemanticModel model)
        {
            var segments = path.Split('.');
            var visibility = Self | DerivedInside | DerivedOutside | OtherInside | OtherOutside;
            for (var i = 1; i <= segments.Length; i++)
            {
                var prefix = SyntaxFactory.ParseExpression(string.Join(".", segments.Take(i)));
                var symbol = model.GetSpeculativeSymbolInfo(position, prefix, SpeculativeBindingOption.BindAsExpression).Symbol;
                if (symbol is IFieldSymbol || symbol is IPropertySymbol || symbol is IMethodSymbol || symbol is INamedTypeSymbol)
                {
                    visibility &= Visibility(symbol);
                }
            }

            return visibility;
        }

        /// <summary>Who can see <paramref name="symbol"/>, its containing types included.</summary>
        private static int Visibility(ISymbol symbol)
        {
            var visibility = Self | DerivedInside | DerivedOutside | OtherInside | OtherOutside;
            for (var s = symbol; s != null && !(s is INamespaceSymbol); s = s.ContainingSymbol)
            {
                visibility &= s.DeclaredAccessibility switch
                {
                    Accessibility.Private => Self,
                    Accessibility.ProtectedAndInternal => Self | DerivedInside,
                    Accessibility.Protected => Self | DerivedInside | DerivedOutside,
                    Accessibility.Internal => Self | DerivedInside | OtherInside,
                    Accessibility.ProtectedOrInternal => Self | DerivedInside | DerivedOutside | OtherInside,
                    Accessibility.Public => Self | DerivedInside | DerivedOutside | OtherInside | OtherOutside,
                    _ => Self | DerivedInside | DerivedOutside | OtherInside | OtherOutside,
                };
            }

            return visibility;
        }
    }
}
