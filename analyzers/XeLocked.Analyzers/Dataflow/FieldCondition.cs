using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace XeLocked.Analyzers.Dataflow
{
    /// <summary>
    /// The field a conditional wrapper tests: a method whose whole body is <c>if (F) S</c> (no
    /// <c>else</c>; a block body with that one statement), where F is a <c>bool</c> instance field of
    /// the method's type, read as <c>F</c> or <c>this.F</c>, that is <c>readonly</c> or assigned
    /// (<c>=</c>, compound assignment, <c>ref</c>/<c>out</c> argument, by name) only inside constructors
    /// of that type: its value cannot change between a call of the acquiring wrapper and a call of
    /// the releasing one.
    /// </summary>
    internal static class FieldCondition
    {
        /// <summary>F and the statement S, or null when the body does not have that shape.</summary>
        public static (IFieldSymbol Field, SyntaxNode Statement)? Of(IMethodSymbol method, SemanticModel? semanticModel)
        {
            if (semanticModel == null || method.DeclaringSyntaxReferences.Length != 1 ||
                !(method.DeclaringSyntaxReferences[0].GetSyntax() is MethodDeclarationSyntax declaration) ||
                !(declaration.Body is BlockSyntax body) || body.Statements.Count != 1 ||
                !(body.Statements[0] is IfStatementSyntax branch) || branch.Else != null ||
                !(semanticModel.GetSymbolInfo(Unwrap(branch.Condition)).Symbol is IFieldSymbol field) ||
                !(Unwrap(branch.Condition) is IdentifierNameSyntax || Unwrap(branch.Condition) is MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax }) ||
                field.IsStatic || field.Type.SpecialType != SpecialType.System_Boolean ||
                !SymbolEqualityComparer.Default.Equals(field.ContainingType, method.ContainingType) || !AssignedOnlyInConstructors(field))
            {
                return null;
            }

            return (field, branch.Statement);
        }

        private static ExpressionSyntax Unwrap(ExpressionSyntax e) => e is ParenthesizedExpressionSyntax p ? Unwrap(p.Expression) : e;

        private static bool AssignedOnlyInConstructors(IFieldSymbol field)
        {
            if (field.IsReadOnly)
            {
                return true;
            }

            foreach (var reference in field.ContainingType.DeclaringSyntaxReferences)
            {
                foreach (var name in reference.GetSyntax().DescendantNodes().OfType<IdentifierNameSyntax>())
                {
                    if (name.Identifier.ValueText != field.Name || !IsWritten(name))
                    {
                        continue;
                    }

                    if (!(name.FirstAncestorOrSelf<ConstructorDeclarationSyntax>() is ConstructorDeclarationSyntax constructor) ||
                        constructor.Modifiers.Any(SyntaxKind.StaticKeyword) ||
                        name.Ancestors().Any(a => a is LambdaExpressionSyntax || a is AnonymousMethodExpressionSyntax || a is LocalFunctionStatementSyntax))
                    {
                        return false;
                    }
                }
            }

            return true;
        }

        /// <summary>The name (or <c>this.name</c>) is the target of an assignment, an increment, or a <c>ref</c>/<c>out</c> argument.</summary>
        private static bool IsWritten(IdentifierNameSyntax name)
        {
            SyntaxNode node = name;
            if (node.Parent is MemberAccessExpressionSyntax access && access.Name == node)
            {
                node = access;
            }

            return node.Parent switch
            {
                AssignmentExpressionSyntax assignment => assignment.Left == node,
                PrefixUnaryExpressionSyntax or PostfixUnaryExpressionSyntax => true,
                ArgumentSyntax argument => !argument.RefKindKeyword.IsKind(SyntaxKind.None),
                _ => false,
            };
        }
    }
}
