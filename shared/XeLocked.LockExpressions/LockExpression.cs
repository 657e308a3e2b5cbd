using System.Collections.Generic;
using System.Linq;

namespace XeLocked.LockExpressions
{
    /// <summary>
    /// A parsed lock expression (grammar: docs/rules/XL0010.md): alternatives (<c>|</c>) of conjunctions (<c>&amp;</c>)
    /// of factors. Parentheses are folded away; <see cref="Alternatives"/> is the disjunctive normal
    /// form, so <c>a | (b &amp; (c | d))</c> has the alternatives <c>{a}</c>, <c>{b, c}</c>, <c>{b, d}</c>.
    /// </summary>
    public sealed class LockExpression
    {
        /// <summary>Creates an expression from its normal form.</summary>
        public LockExpression(string text, IReadOnlyList<IReadOnlyList<LockFactor>> alternatives)
        {
            Text = text;
            Alternatives = alternatives;
        }

        /// <summary>The source text.</summary>
        public string Text { get; }

        /// <summary>
        /// The disjunctive normal form: the expression holds when every factor of any one
        /// alternative holds.
        /// </summary>
        public IReadOnlyList<IReadOnlyList<LockFactor>> Alternatives { get; }

        /// <summary>True when the expression has no <c>|</c> after normalization: one set of locks.</summary>
        public bool IsConjunction => Alternatives.Count == 1;

        /// <summary>Every factor of every alternative, in source order, each once.</summary>
        public IEnumerable<LockFactor> AllFactors =>
            Alternatives.SelectMany(a => a).Distinct().OrderBy(f => f.Start);

        /// <summary>The normal form as text: <c>a | b &amp; c</c>.</summary>
        public override string ToString() =>
            string.Join(" | ", Alternatives.Select(a => string.Join(" & ", a.Select(f => f.ToString()))));
    }
}
