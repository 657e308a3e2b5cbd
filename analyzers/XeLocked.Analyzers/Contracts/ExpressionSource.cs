using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace XeLocked.Analyzers.Contracts
{
    /// <summary>
    /// A lock expression string taken from an attribute, with the syntax it came from so that
    /// problems can be reported at the offending characters inside the string literal.
    /// </summary>
    internal readonly struct ExpressionSource
    {
        public ExpressionSource(string? text, ExpressionSyntax? syntax, Location fallback)
        {
            Text = text;
            Syntax = syntax;
            Fallback = fallback;
        }

        public string? Text { get; }

        /// <summary>The argument expression (usually a string literal), when the attribute is in source.</summary>
        public ExpressionSyntax? Syntax { get; }

        /// <summary>Where to report when there is no better place (the attribute, or the symbol).</summary>
        public Location Fallback { get; }

        /// <summary>
        /// The location of <paramref name="length"/> characters at <paramref name="start"/> in the
        /// expression text: inside the literal when it is a plain one (no escapes), else the whole argument.
        /// </summary>
        public Location Locate(int start, int length)
        {
            if (Syntax == null)
            {
                return Fallback;
            }

            if (Syntax is LiteralExpressionSyntax literal && literal.IsKind(SyntaxKind.StringLiteralExpression) && Text != null)
            {
                var raw = literal.Token.Text;
                int prefix;
                if (raw == "\"" + Text + "\"")
                {
                    prefix = 1;
                }
                else if (raw == "@\"" + Text + "\"" && Text.IndexOf('"') < 0)
                {
                    prefix = 2;
                }
                else
                {
                    return Syntax.GetLocation();
                }

                if (start < 0 || start > Text.Length)
                {
                    return Syntax.GetLocation();
                }

                if (start + length > Text.Length)
                {
                    length = Text.Length - start;
                }

                var span = new Microsoft.CodeAnalysis.Text.TextSpan(literal.Token.SpanStart + prefix + start, length);
                return Location.Create(literal.SyntaxTree, span);
            }

            return Syntax.GetLocation();
        }

        /// <summary>The location of the whole argument.</summary>
        public Location Whole => Syntax?.GetLocation() ?? Fallback;
    }
}
