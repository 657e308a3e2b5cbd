using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace XeLocked.Analyzers.Contracts
{
    /// <summary>
    /// Tells a binary <c>SemaphoreSlim</c> field or property from the values its declaring type
    /// gives it, read from source: the initializer (field or auto-property) and every simple
    /// assignment <c>name = …</c> or <c>this.name = …</c> in the declaring type (constructors
    /// included). It is binary when at least one of them is a creation with an initial count of 1
    /// and no maximum or a maximum of 1 — <c>new SemaphoreSlim(1)</c>, <c>new SemaphoreSlim(1, 1)</c>,
    /// <c>new(1, 1)</c>, with positional or named (<c>initialCount:</c>, <c>maxCount:</c>) integer
    /// literals — and every other one is such a creation or <c>null</c>/<c>default</c>. Any other
    /// count, a count that is not a literal (a constant, a parameter) or another value (a parameter,
    /// a call result) makes it not binary.
    /// </summary>
    internal static class SemaphoreInitializers
    {
        public static bool IsBinary(ISymbol member)
        {
            var binary = false;
            foreach (var reference in member.DeclaringSyntaxReferences)
            {
                var initializer = reference.GetSyntax() switch
                {
                    VariableDeclaratorSyntax v => v.Initializer,
                    PropertyDeclarationSyntax p => p.Initializer,
                    _ => null,
                };
                if (initializer != null && !Accept(initializer.Value, ref binary))
                {
                    return false;
                }
            }

            foreach (var reference in member.ContainingType?.DeclaringSyntaxReferences ?? default)
            {
                foreach (var node in reference.GetSyntax().DescendantNodes())
                {
                    if (node is AssignmentExpressionSyntax assignment && assignment.IsKind(SyntaxKind.SimpleAssignmentExpression) &&
                        Names(assignment.Left, member.Name) && !Accept(assignment.Right, ref binary))
                    {
                        return false;
                    }
                }
            }

            return binary;
        }

        /// <summary>False for a value that makes the semaphore not binary; sets <paramref name="binary"/> for a binary creation.</summary>
        private static bool Accept(ExpressionSyntax value, ref bool binary)
        {
            while (value is ParenthesizedExpressionSyntax p)
            {
                value = p.Expression;
            }

            switch (value)
            {
                case LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.NullLiteralExpression) || literal.IsKind(SyntaxKind.DefaultLiteralExpression):
                    return true;
                case PostfixUnaryExpressionSyntax bang when bang.IsKind(SyntaxKind.SuppressNullableWarningExpression):
                    return Accept(bang.Operand, ref binary);
                case BaseObjectCreationExpressionSyntax creation when IsBinaryCreation(creation.ArgumentList):
                    binary = true;
                    return true;
                default:
                    return false;
            }
        }

        private static bool IsBinaryCreation(ArgumentListSyntax? arguments)
        {
            if (arguments == null || arguments.Arguments.Count == 0 || arguments.Arguments.Count > 2)
            {
                return false;
            }

            for (var i = 0; i < arguments.Arguments.Count; i++)
            {
                var argument = arguments.Arguments[i];
                var name = argument.NameColon?.Name.Identifier.ValueText;
                if (name != null && name != "initialCount" && name != "maxCount")
                {
                    return false;
                }

                if (!(argument.Expression is LiteralExpressionSyntax literal) || !(literal.Token.Value is int count) || count != 1)
                {
                    return false;
                }
            }

            return true;
        }

        private static bool Names(ExpressionSyntax target, string name) => target switch
        {
            IdentifierNameSyntax id => id.Identifier.ValueText == name,
            MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax } access => access.Name.Identifier.ValueText == name,
            _ => false,
        };
    }
}
