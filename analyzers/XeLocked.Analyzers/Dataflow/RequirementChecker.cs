using System;
using System.Collections.Generic;
using System.Linq;
using XeLocked.Analyzers.Contracts;
using XeLocked.Analyzers.Resolution;
using XeLocked.LockExpressions;

namespace XeLocked.Analyzers.Dataflow
{
    /// <summary>The outcome of checking a lock expression against a state.</summary>
    internal readonly struct RequirementResult
    {
        public RequirementResult(bool satisfied, bool modeOnly, string explanation, AccessPath? weakLock)
        {
            Satisfied = satisfied;
            ModeOnly = modeOnly;
            Explanation = explanation;
            WeakLock = weakLock;
        }

        public bool Satisfied { get; }

        /// <summary>Some alternative failed only because a lock is held in read mode where write is needed.</summary>
        public bool ModeOnly { get; }

        /// <summary>Why every alternative failed (empty when satisfied).</summary>
        public string Explanation { get; }

        /// <summary>For <see cref="ModeOnly"/>: the lock held in too weak a mode.</summary>
        public AccessPath? WeakLock { get; }
    }

    /// <summary>
    /// Checks whether a state satisfies a lock expression after substitution: any one alternative
    /// suffices, and every factor of it must be held in a strong enough mode. A factor whose path
    /// cannot be named at the site is taken as satisfied (no report from imprecision).
    /// </summary>
    internal static class RequirementChecker
    {
        /// <param name="expression">The requirement.</param>
        /// <param name="substitute">Maps the expression's paths to the site's (null: unknown).</param>
        /// <param name="state">The held locks.</param>
        /// <param name="writeWhenNoMode">A reader-writer factor without a mode needs write mode (a guarded write) rather than read mode.</param>
        public static RequirementResult Check(ResolvedExpression expression, Func<AccessPath, AccessPath?> substitute, LockState state, bool writeWhenNoMode)
        {
            var reasons = new List<string>();
            var modeOnly = false;
            AccessPath? weak = null;
            foreach (var alternative in expression.Alternatives)
            {
                var problems = new List<string>();
                var onlyModes = true;
                AccessPath? altWeak = null;
                foreach (var factor in alternative)
                {
                    var path = substitute(factor.Path);
                    if (path == null)
                    {
                        continue;
                    }

                    var held = state.Find(path);
                    if (held == null)
                    {
                        problems.Add($"'{path}' is not held");
                        onlyModes = false;
                        continue;
                    }

                    if (NeedsWrite(factor, writeWhenNoMode) && held.Mode.IsReadOnly())
                    {
                        problems.Add($"'{path}' is held in {held.Mode.Describe()} mode, write mode is needed");
                        altWeak ??= path;
                    }
                }

                if (problems.Count == 0)
                {
                    return new RequirementResult(true, false, string.Empty, null);
                }

                if (onlyModes)
                {
                    modeOnly = true;
                    weak ??= altWeak;
                }

                var text = string.Join("; ", problems);
                reasons.Add(expression.Alternatives.Length == 1
                    ? text
                    : $"alternative '{string.Join(" & ", alternative.Select(f => f.Source.ToString()))}': {text}");
            }

            return new RequirementResult(false, modeOnly, string.Join("; ", reasons), weak);
        }

        private static bool NeedsWrite(ResolvedFactor factor, bool writeWhenNoMode) =>
            factor.Mode == LockModeSpec.Write ||
            (factor.Mode == LockModeSpec.None && writeWhenNoMode && factor.Flavor.IsReaderWriter());
    }
}
