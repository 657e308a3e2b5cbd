using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using XeLocked.Analyzers.Rules;

namespace XeLocked.CodeFixes.Shared
{
    /// <summary>
    /// What one "wrap in lock" edit does: the statements (<see cref="WrapTarget"/>) and the locks to
    /// take around them, outermost first. Plans of several diagnostics are merged by
    /// <see cref="Merge"/> so that Fix All takes each lock once: ranges of one block that touch and
    /// need the same locks become one, overlapping ranges take the union of their locks, and a range
    /// already inside another plan's range drops the locks that plan takes.
    /// </summary>
    internal sealed class WrapPlan
    {
        public WrapPlan(WrapTarget target, IReadOnlyList<RequiredLock> locks)
        {
            Target = target;
            Locks = locks;
        }

        public WrapTarget Target { get; }

        public IReadOnlyList<RequiredLock> Locks { get; }

        /// <summary>The wraps for <see cref="Locks"/> at the range, or null when one of them cannot be built or the range cannot hold it.</summary>
        public IReadOnlyList<LockWrapper>? Wrappers(SemanticModel model)
        {
            var wrappers = new List<LockWrapper>();
            foreach (var required in Locks)
            {
                var wrapper = LockWrapper.Create(required, model, Target.Position, Target.InAsyncFunction);
                if (wrapper == null || !Target.CanEnclose(wrapper.AllowsAwait) ||
                    Target.CoveredNodes.Any(n => LockMentions.AcquiresOrReleases(n, required.Path, model)))
                {
                    return null;
                }

                wrappers.Add(wrapper);
            }

            return wrappers;
        }

        /// <summary>The plan for <paramref name="diagnostic"/>, or null when it carries no requirement or has no usable target.</summary>
        public static WrapPlan? For(Diagnostic diagnostic, SyntaxNode root, SemanticModel model, CancellationToken cancellationToken)
        {
            if ((!diagnostic.Properties.TryGetValue(RequirementText.SiteExpressionKey, out var expression) || expression == null) &&
                (!diagnostic.Properties.TryGetValue(RequirementText.RequiredExpressionKey, out expression) || expression == null))
            {
                return null;
            }

            var locks = RequiredLock.Choose(expression);
            var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            var target = locks == null || locks.Count == 0 ? null : WrapTarget.Find(node, model, cancellationToken);
            if (target == null)
            {
                return null;
            }

            var plan = new WrapPlan(target, locks!);
            return plan.Wrappers(model) == null ? null : plan;
        }

        /// <summary>Merges the plans of one document (see the class summary); plans left with no lock are dropped.</summary>
        public static List<WrapPlan> Merge(IEnumerable<WrapPlan> plans, SemanticModel model, CancellationToken cancellationToken)
        {
            // 1. Per container, merge ranges that overlap (union of locks) or touch with the same locks.
            var merged = new List<WrapPlan>();
            foreach (var group in plans.GroupBy(p => p.Target.Container))
            {
                var sorted = group.OrderBy(p => p.Target.Start).ThenBy(p => p.Target.End).ToList();
                var current = sorted[0];
                foreach (var next in sorted.Skip(1))
                {
                    var overlaps = next.Target.Start <= current.Target.End;
                    var touches = next.Target.Start == current.Target.End + 1 && SameLocks(current.Locks, next.Locks);
                    if (overlaps || touches)
                    {
                        var target = WrapTarget.Widen(current.Target.WithRange(current.Target.Start, System.Math.Max(current.Target.End, next.Target.End)), model, cancellationToken);
                        current = new WrapPlan(target, Union(current.Locks, next.Locks));
                    }
                    else
                    {
                        merged.Add(current);
                        current = next;
                    }
                }

                merged.Add(current);
            }

            // 2. A range inside another plan's range (same function) does not take that plan's locks again.
            var result = new List<WrapPlan>();
            foreach (var plan in merged)
            {
                var function = plan.Target.Function;
                var node = plan.Target.IsList ? WrapTarget.StatementsOf(plan.Target.Container)[plan.Target.Start] : plan.Target.Container;
                var outer = merged.Where(o => o != plan && o.Target.Covers(node, function)).SelectMany(o => o.Locks).Select(l => l.Path).ToList();
                var remaining = plan.Locks.Where(l => !outer.Contains(l.Path)).ToList();
                if (remaining.Count > 0)
                {
                    result.Add(new WrapPlan(plan.Target, remaining));
                }
            }

            return result;
        }

        private static bool SameLocks(IReadOnlyList<RequiredLock> a, IReadOnlyList<RequiredLock> b) =>
            a.Select(l => l.Key).OrderBy(k => k).SequenceEqual(b.Select(l => l.Key).OrderBy(k => k));

        /// <summary>The locks of both, in first-seen order; a lock wanted in write mode by either is taken for write.</summary>
        private static IReadOnlyList<RequiredLock> Union(IReadOnlyList<RequiredLock> a, IReadOnlyList<RequiredLock> b)
        {
            var result = a.ToList();
            foreach (var l in b)
            {
                var i = result.FindIndex(r => r.Path == l.Path);
                if (i < 0)
                {
                    result.Add(l);
                }
                else if (l.Mode == XeLocked.LockExpressions.LockModeSpec.Write)
                {
                    result[i] = l;
                }
            }

            return result;
        }
    }
}
