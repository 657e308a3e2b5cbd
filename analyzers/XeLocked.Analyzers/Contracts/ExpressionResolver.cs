using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using XeLocked.Analyzers.Resolution;
using XeLocked.LockExpressions;

namespace XeLocked.Analyzers.Contracts
{
    /// <summary>How an expression is used, which decides the mode rules that apply to it.</summary>
    internal enum ExpressionUse
    {
        /// <summary><c>[GuardedBy]</c>: the mode may be left to the access (read or write).</summary>
        Guard,

        /// <summary><c>[Requires]</c>, <c>[Acquires]</c>, <c>[TryAcquires]</c>, <c>[AssertsHeld]</c>: a reader-writer lock needs a mode (XL0005).</summary>
        NeedsMode,

        /// <summary><c>[Excludes]</c>: modes are optional.</summary>
        Excludes,

        /// <summary>
        /// <c>[Releases]</c>: a reader-writer lock needs a mode (XL0005), as for <see cref="NeedsMode"/>;
        /// <c>:read</c>/<c>:write</c> release exactly that mode. One disjunction is allowed,
        /// <c>"x:read | x:write"</c>: "releases x in whatever mode it is held", resolved to a single
        /// factor without a mode.
        /// </summary>
        Releases,
    }

    /// <summary>
    /// Parses an attribute's lock expression with the shared parser and resolves every factor
    /// against the symbol the attribute sits on, collecting XL0010/XL0005 problems at the
    /// offending characters.
    /// </summary>
    internal sealed class ExpressionResolver
    {
        private readonly PathResolver _paths;

        public ExpressionResolver(PathResolver paths) => _paths = paths;

        /// <summary>
        /// Resolves <paramref name="source"/>; returns null (and adds problems) when any part is invalid.
        /// <paramref name="attributeName"/> names the attribute in XL0005 messages.
        /// </summary>
        public ResolvedExpression? Resolve(ExpressionSource source, ISymbol owner, ExpressionUse use, string attributeName,
            bool allowAlternatives, List<ContractProblem> problems)
        {
            var text = source.Text;
            if (!LockExpressionParser.TryParse(text, out var expression, out var error))
            {
                problems.Add(new ContractProblem(DiagnosticDescriptors.InvalidLockExpression,
                    source.Locate(error!.Position, error.Length), text ?? string.Empty, error.ToString()));
                return null;
            }

            var eitherMode = use == ExpressionUse.Releases && IsEitherMode(expression!);
            if (!allowAlternatives && !expression!.IsConjunction && !eitherMode)
            {
                var but = use == ExpressionUse.Releases ? " (the one exception: 'x:read | x:write', released in whatever mode it is held)" : string.Empty;
                problems.Add(new ContractProblem(DiagnosticDescriptors.InvalidLockExpression, source.Whole, text!,
                    $"alternatives ('|') are not allowed in [{attributeName}]: it names the locks it affects{but}"));
                return null;
            }

            var ok = true;
            var resolvedByFactor = new Dictionary<LockFactor, ResolvedFactor>();
            foreach (var factor in expression!.AllFactors)
            {
                var resolution = _paths.Resolve(factor.Path, owner);
                if (!resolution.Succeeded)
                {
                    problems.Add(new ContractProblem(DiagnosticDescriptors.InvalidLockExpression,
                        source.Locate(resolution.ErrorStart, resolution.ErrorLength), text!, resolution.Error!));
                    ok = false;
                    continue;
                }

                var flavor = resolution.Flavor;
                if (factor.Mode != LockModeSpec.None && flavor.IsExclusive())
                {
                    var (modeStart, modeLength) = ModeSpan(text!, factor);
                    var modeText = factor.Mode == LockModeSpec.Read ? ":read" : ":write";
                    var last = factor.Path.Segments[factor.Path.Segments.Count - 1];
                    problems.Add(new ContractProblem(DiagnosticDescriptors.InvalidLockExpression,
                        source.Locate(modeStart, modeLength), text!, $"'{modeText}' on exclusive lock '{last}'"));
                    ok = false;
                    continue;
                }

                if ((use == ExpressionUse.NeedsMode || use == ExpressionUse.Releases) && factor.Mode == LockModeSpec.None && flavor.IsReaderWriter())
                {
                    problems.Add(new ContractProblem(DiagnosticDescriptors.MissingMode,
                        source.Locate(factor.Start, factor.Length), factor.Path.ToString(), attributeName));
                }

                resolvedByFactor[factor] = new ResolvedFactor(resolution.Path!, flavor, factor.Mode, factor);
            }

            if (!ok)
            {
                return null;
            }

            if (eitherMode)
            {
                // "x:read | x:write" in [Releases]: one factor without a mode, released in whatever mode it is held.
                var read = resolvedByFactor[expression.Alternatives[0][0]];
                if (read.Path.Equals(resolvedByFactor[expression.Alternatives[1][0]].Path))
                {
                    var anyMode = new ResolvedFactor(read.Path, read.Flavor, LockModeSpec.None, read.Source);
                    return new ResolvedExpression(text!, ImmutableArray.Create(ImmutableArray.Create(anyMode)));
                }
            }

            var alternatives = ImmutableArray.CreateBuilder<ImmutableArray<ResolvedFactor>>();
            foreach (var alternative in expression.Alternatives)
            {
                var factors = ImmutableArray.CreateBuilder<ResolvedFactor>(alternative.Count);
                foreach (var f in alternative)
                {
                    factors.Add(resolvedByFactor[f]);
                }

                alternatives.Add(factors.ToImmutable());
            }

            return new ResolvedExpression(text!, alternatives.ToImmutable());
        }

        /// <summary>True for <c>"x:read | x:write"</c> (either order): two alternatives of one factor each, one path, both modes.</summary>
        private static bool IsEitherMode(LockExpression expression)
        {
            if (expression.Alternatives.Count != 2 || expression.Alternatives[0].Count != 1 || expression.Alternatives[1].Count != 1)
            {
                return false;
            }

            var a = expression.Alternatives[0][0];
            var b = expression.Alternatives[1][0];
            return a.Path.ToString() == b.Path.ToString() &&
                ((a.Mode == LockModeSpec.Read && b.Mode == LockModeSpec.Write) || (a.Mode == LockModeSpec.Write && b.Mode == LockModeSpec.Read));
        }

        /// <summary>The span of the mode word (<c>read</c>/<c>write</c>, with its colon) of a factor.</summary>
        private static (int Start, int Length) ModeSpan(string text, LockFactor factor)
        {
            var start = factor.Path.Start + factor.Path.Length;
            var end = factor.Start + factor.Length;
            while (start < end && char.IsWhiteSpace(text[start]))
            {
                start++;
            }

            return (start, end - start);
        }
    }
}
