using System.Collections.Generic;
using System.Linq;

namespace XeLocked.LockExpressions
{
    /// <summary>
    /// Parses lock expressions (grammar: docs/rules/XL0010.md):
    /// <code>
    /// expr   := term ('|' term)*
    /// term   := factor ('&amp;' factor)*
    /// factor := path (':' mode)? | '(' expr ')'
    /// mode   := 'read' | 'write'
    /// path   := ident ('.' ident)*
    /// </code>
    /// White space is allowed between tokens. The parser never throws: malformed input yields a
    /// <see cref="LockExpressionError"/> with a message and a position. It is thread-safe (no state
    /// outside one call).
    /// </summary>
    public static class LockExpressionParser
    {
        /// <summary>Deepest parenthesis nesting accepted.</summary>
        public const int MaxDepth = 32;

        /// <summary>Most alternatives the normal form may have.</summary>
        public const int MaxAlternatives = 256;

        /// <summary>Parses <paramref name="text"/>.</summary>
        /// <param name="text">The expression; <c>null</c> is reported as empty.</param>
        /// <param name="expression">The parsed expression, or <c>null</c> on error.</param>
        /// <param name="error">The first error, or <c>null</c> on success.</param>
        /// <returns>True on success.</returns>
        public static bool TryParse(string? text, out LockExpression? expression, out LockExpressionError? error)
        {
            var parser = new Parser(text ?? string.Empty);
            var dnf = parser.ParseAll();
            if (parser.Error != null || dnf == null)
            {
                expression = null;
                error = parser.Error ?? new LockExpressionError("invalid lock expression", 0, (text ?? string.Empty).Length);
                return false;
            }

            expression = new LockExpression(text!, dnf);
            error = null;
            return true;
        }

        /// <summary>Parses <paramref name="text"/>, or returns the error.</summary>
        public static (LockExpression? Expression, LockExpressionError? Error) Parse(string? text)
        {
            TryParse(text, out var expression, out var error);
            return (expression, error);
        }

        private sealed class Parser
        {
            private readonly string _text;
            private int _pos;
            private int _depth;

            public Parser(string text) => _text = text;

            public LockExpressionError? Error { get; private set; }

            public List<IReadOnlyList<LockFactor>>? ParseAll()
            {
                SkipSpace();
                if (_pos >= _text.Length)
                {
                    return Fail("empty lock expression: expected a lock path", 0, _text.Length);
                }

                var result = ParseExpr();
                if (result == null)
                {
                    return null;
                }

                SkipSpace();
                if (_pos < _text.Length)
                {
                    var c = _text[_pos];
                    return c == ')'
                        ? Fail("unbalanced ')': no matching '('", _pos, 1)
                        : Fail($"unexpected '{c}': expected '|', '&' or the end of the expression", _pos, 1);
                }

                return result;
            }

            private List<IReadOnlyList<LockFactor>>? ParseExpr()
            {
                var result = ParseTerm();
                if (result == null)
                {
                    return null;
                }

                while (true)
                {
                    SkipSpace();
                    if (!Peek('|'))
                    {
                        return result;
                    }

                    var opPos = _pos++;
                    SkipSpace();
                    if (AtEndOrCloser())
                    {
                        return Fail("expected a lock path after '|'", opPos, 1);
                    }

                    var right = ParseTerm();
                    if (right == null)
                    {
                        return null;
                    }

                    result.AddRange(right);
                    if (result.Count > MaxAlternatives)
                    {
                        return Fail($"lock expression too complex: more than {MaxAlternatives} alternatives", 0, _text.Length);
                    }
                }
            }

            private List<IReadOnlyList<LockFactor>>? ParseTerm()
            {
                var result = ParseFactor();
                if (result == null)
                {
                    return null;
                }

                while (true)
                {
                    SkipSpace();
                    if (!Peek('&'))
                    {
                        return result;
                    }

                    var opPos = _pos++;
                    SkipSpace();
                    if (AtEndOrCloser())
                    {
                        return Fail("expected a lock path after '&'", opPos, 1);
                    }

                    var right = ParseFactor();
                    if (right == null)
                    {
                        return null;
                    }

                    // (a | b) & (c | d) = a&c | a&d | b&c | b&d
                    var product = new List<IReadOnlyList<LockFactor>>(result.Count * right.Count);
                    foreach (var l in result)
                    {
                        foreach (var r in right)
                        {
                            product.Add(l.Concat(r).ToList());
                        }
                    }

                    if (product.Count > MaxAlternatives)
                    {
                        return Fail($"lock expression too complex: more than {MaxAlternatives} alternatives", 0, _text.Length);
                    }

                    result = product;
                }
            }

            private List<IReadOnlyList<LockFactor>>? ParseFactor()
            {
                SkipSpace();
                if (Peek('('))
                {
                    var open = _pos++;
                    if (++_depth > MaxDepth)
                    {
                        return Fail($"parentheses nested deeper than {MaxDepth}", open, 1);
                    }

                    SkipSpace();
                    if (Peek(')'))
                    {
                        return Fail("empty parentheses: expected a lock path", open, _pos - open + 1);
                    }

                    var inner = ParseExpr();
                    if (inner == null)
                    {
                        return null;
                    }

                    SkipSpace();
                    if (!Peek(')'))
                    {
                        return Fail("missing ')' to close '('", open, 1);
                    }

                    _pos++;
                    _depth--;
                    SkipSpace();
                    if (Peek(':'))
                    {
                        return Fail("a mode applies to one lock path, not to a parenthesized expression", _pos, 1);
                    }

                    return inner;
                }

                var path = ParsePath();
                if (path == null)
                {
                    return null;
                }

                var mode = LockModeSpec.None;
                var end = path.Start + path.Length;
                SkipSpace();
                if (Peek(':'))
                {
                    var colon = _pos++;
                    SkipSpace();
                    var wordStart = _pos;
                    var word = ReadIdentifier();
                    if (word == "read")
                    {
                        mode = LockModeSpec.Read;
                    }
                    else if (word == "write")
                    {
                        mode = LockModeSpec.Write;
                    }
                    else if (word.Length == 0)
                    {
                        return Fail("expected 'read' or 'write' after ':'", colon, 1);
                    }
                    else
                    {
                        return Fail($"unknown mode '{word}': expected 'read' or 'write'", wordStart, word.Length);
                    }

                    end = _pos;
                }

                var factor = new LockFactor(path, mode, path.Start, end - path.Start);
                return new List<IReadOnlyList<LockFactor>> { new[] { factor } };
            }

            private LockPath? ParsePath()
            {
                var start = _pos;
                var segments = new List<string>();
                var starts = new List<int>();
                while (true)
                {
                    SkipSpace();
                    var segStart = _pos;
                    var ident = ReadIdentifier();
                    if (ident.Length == 0)
                    {
                        if (segments.Count == 0)
                        {
                            return FailPath(_pos < _text.Length
                                ? $"unexpected '{_text[_pos]}': expected a lock path"
                                : "expected a lock path", _pos, _pos < _text.Length ? 1 : 0);
                        }

                        return FailPath("expected an identifier after '.'", _pos - 1, 1);
                    }

                    segments.Add(ident);
                    starts.Add(segStart);
                    var afterIdent = _pos;
                    SkipSpace();
                    if (!Peek('.'))
                    {
                        _pos = afterIdent;
                        return new LockPath(segments, starts, segStart == start ? start : starts[0], afterIdent - starts[0]);
                    }

                    _pos++;
                }
            }

            private string ReadIdentifier()
            {
                var start = _pos;
                if (_pos < _text.Length && (_text[_pos] == '_' || char.IsLetter(_text[_pos])))
                {
                    _pos++;
                    while (_pos < _text.Length && (_text[_pos] == '_' || char.IsLetterOrDigit(_text[_pos])))
                    {
                        _pos++;
                    }
                }

                return _text.Substring(start, _pos - start);
            }

            private bool Peek(char c) => _pos < _text.Length && _text[_pos] == c;

            private bool AtEndOrCloser() => _pos >= _text.Length || _text[_pos] == ')' || _text[_pos] == '|' || _text[_pos] == '&';

            private void SkipSpace()
            {
                while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos]))
                {
                    _pos++;
                }
            }

            private List<IReadOnlyList<LockFactor>>? Fail(string message, int position, int length)
            {
                Error ??= new LockExpressionError(message, position, length);
                return null;
            }

            private LockPath? FailPath(string message, int position, int length)
            {
                Error ??= new LockExpressionError(message, position, length);
                return null;
            }
        }
    }
}
