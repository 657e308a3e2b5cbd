using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace XeLocked.CodeFixes.Shared
{
    /// <summary>
    /// Finds the string literal a diagnostic span lies in. The analyzer reports lock-expression
    /// problems at a span inside the attribute's string literal when the literal is plain (no
    /// escapes); a fix that edits the expression is only offered then.
    /// </summary>
    internal static class LockExpressionLiteral
    {
        /// <summary>
        /// True when <paramref name="span"/> lies strictly inside the quotes of one regular string
        /// literal token of <paramref name="root"/>.
        /// </summary>
        public static bool IsInsideStringLiteral(SyntaxNode root, TextSpan span)
        {
            var token = root.FindToken(span.Start);
            if (!token.IsKind(SyntaxKind.StringLiteralToken) || token.Text.StartsWith("@", System.StringComparison.Ordinal))
            {
                return false;
            }

            // Strictly inside the quotes: after the opening one, before the closing one.
            return span.Start > token.SpanStart && span.End < token.Span.End && token.Text.IndexOf('\\') < 0;
        }
    }
}
