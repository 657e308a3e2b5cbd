using System.Collections.Immutable;
using System.Linq;

namespace XeLocked.Analyzers.Contracts
{
    /// <summary>
    /// A lock expression whose every factor resolved: alternatives (any one suffices) of
    /// conjunctions (all needed). Built only when the whole expression is valid.
    /// </summary>
    internal sealed class ResolvedExpression
    {
        public ResolvedExpression(string text, ImmutableArray<ImmutableArray<ResolvedFactor>> alternatives)
        {
            Text = text;
            Alternatives = alternatives;
        }

        /// <summary>The expression as written in the attribute.</summary>
        public string Text { get; }

        public ImmutableArray<ImmutableArray<ResolvedFactor>> Alternatives { get; }

        /// <summary>Every factor of every alternative, each once.</summary>
        public ImmutableArray<ResolvedFactor> AllFactors =>
            Alternatives.SelectMany(a => a).Distinct().ToImmutableArray();
    }
}
