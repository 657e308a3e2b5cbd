using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using XeLocked.Analyzers.Contracts;
using XeLocked.Analyzers.Dataflow;
using XeLocked.Analyzers.Resolution;
using XeLocked.LockExpressions;

namespace XeLocked.Analyzers.Rules
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
            var result = CheckHeld(expression, substitute, state, writeWhenNoMode);
            if (result.Satisfied || state.Facts.IsEmpty)
            {
                return result;
            }

            // An asserted disjunction helps when the requirement holds under each of its alternatives.
            foreach (var fact in state.Facts)
            {
                var all = true;
                foreach (var alternative in fact.Alternatives)
                {
                    var assumed = state;
                    foreach (var l in alternative)
                    {
                        var held = assumed.Find(l.Path);
                        if (held == null || (held.Mode.MayBeReadOnly() && l.Mode == HeldMode.Write))
                        {
                            assumed = assumed.With(l);
                        }
                    }

                    if (!CheckHeld(expression, substitute, assumed, writeWhenNoMode).Satisfied)
                    {
                        all = false;
                        break;
                    }
                }

                if (all)
                {
                    return new RequirementResult(true, false, string.Empty, null);
                }
            }

            return result;
        }

        /// <summary>
        /// The held lock that satisfies <paramref name="path"/>: the same instance, or, for a path that
        /// may alias (<see cref="AccessPath.MayAliasByClass"/>), the strongest held lock of the same
        /// class (they may be one object).
        /// </summary>
        public static HeldLock? Lookup(LockState state, AccessPath path)
        {
            var held = state.Find(path);
            if ((held != null && !held.Mode.MayBeReadOnly()) || !path.MayAliasByClass || !(path.LastMember is ISymbol lockClass))
            {
                return held;
            }

            foreach (var h in state.Certain)
            {
                if (SymbolEqualityComparer.Default.Equals(h.LockClass, lockClass) && (held == null || (held.Mode.MayBeReadOnly() && !h.Mode.MayBeReadOnly())))
                {
                    held = h;
                }
            }

            return held;
        }

        private static RequirementResult CheckHeld(ResolvedExpression expression, Func<AccessPath, AccessPath?> substitute, LockState state, bool writeWhenNoMode)
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

                    var held = Lookup(state, path);
                    if (held == null)
                    {
                        problems.Add($"'{path}' is not held");
                        onlyModes = false;
                        continue;
                    }

                    if (NeedsWrite(factor, writeWhenNoMode) && held.Mode.MayBeReadOnly())
                    {
                        problems.Add($"'{path}' is held in {held.Mode.Describe()} mode, write mode is needed");
                        if (held.Mode == HeldMode.ReadOrWrite)
                        {
                            // Not "held only for reading" (XL0003): the contract does not say which mode.
                            onlyModes = false;
                        }
                        else
                        {
                            altWeak ??= path;
                        }
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
