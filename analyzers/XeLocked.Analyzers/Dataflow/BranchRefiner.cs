using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace XeLocked.Analyzers.Dataflow
{
    /// <summary>
    /// Refines the state on each side of a conditional branch whose condition is a boolean the
    /// analysis follows (a try-acquire result, directly or through a local or capture, possibly
    /// negated or compared with a boolean constant, see <see cref="BooleanCondition"/>; the <c>lockTaken</c> flag of <c>Monitor.Enter</c>). A side that contradicts a value
    /// already known on this path is infeasible (null).
    /// </summary>
    internal static class BranchRefiner
    {
        public static LockState? Refine(LockState state, IOperation condition, bool value)
        {
            if (state.Conditionals.IsEmpty)
            {
                return state;
            }

            var (key, negated) = KeyOf(condition);
            if (key.IsDefault || !state.Conditionals.TryGetValue(key, out var hold))
            {
                return state;
            }

            var actual = negated ? !value : value;
            if (hold.KnownValue.HasValue)
            {
                return hold.KnownValue.Value == actual ? state : null;
            }

            var refined = state.WithConditional(key, hold.WithKnownValue(actual));
            if (actual == hold.HeldWhen && !hold.AlreadyHeld)
            {
                foreach (var l in hold.Locks)
                {
                    var existing = refined.Find(l.Path);
                    if (existing == null)
                    {
                        refined = refined.With(l);
                    }
                    else if (existing.Mode == HeldMode.UpgradeableRead && !existing.AlsoRead && l.Mode == HeldMode.Write)
                    {
                        // TryEnterWriteLock inside an upgradeable read succeeded: the upgrade, as EnterWriteLock.
                        refined = refined.With(existing.WithMode(HeldMode.Write, upgraded: true));
                    }
                }
            }
            else if (actual != hold.HeldWhen && hold.AlreadyHeld)
            {
                // The acquisition did not happen on this side: undo it (one level of a recursive hold).
                foreach (var l in hold.Locks)
                {
                    if (refined.Held.TryGetValue(l.Path, out var h) && h.Depth > 1)
                    {
                        refined = refined.With(h.WithDepth(h.Depth - 1));
                    }
                    else
                    {
                        refined = refined.Without(l.Path);
                    }
                }
            }

            return refined;
        }

        private static (FlowKey Key, bool Negated) KeyOf(IOperation condition)
        {
            var core = BooleanCondition.Core(condition, out var negated);
            switch (core)
            {
                case null:
                    return (default, false);
                case ILocalReferenceOperation l:
                    return (FlowKey.ForLocal(l.Local), negated);
                case IFlowCaptureReferenceOperation r:
                    return (FlowKey.ForCapture(r.Id), negated);
                default:
                    return (FlowKey.ForOperation(core), negated);
            }
        }
    }
}
