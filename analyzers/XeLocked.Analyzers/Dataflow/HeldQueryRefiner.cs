using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using XeLocked.Analyzers.Resolution;
using XeLocked.Analyzers.Shared;

namespace XeLocked.Analyzers.Dataflow
{
    /// <summary>
    /// Refines the state on each side of a branch on a lock's own "held by this thread" query:
    /// <c>rw.IsReadLockHeld</c>, <c>rw.IsWriteLockHeld</c>, <c>rw.IsUpgradeableReadLockHeld</c>,
    /// <c>Monitor.IsEntered(o)</c>, <c>lockObject.IsHeldByCurrentThread</c> (possibly negated or
    /// compared with a boolean constant).
    /// <list type="bullet">
    /// <item>A lock not known held is held, in the query's mode, where the query is true: an
    /// asserted hold (like <c>Lockdep.AssertHeld</c>: not a leak at exit, forgotten where paths
    /// disagree). Where it is false nothing changes (it was not known held).</item>
    /// <item>A <c>ReaderWriterLockSlim</c> held in read-or-write mode (a join of a write hold and a
    /// read hold, or the entry of a mode-agnostic <c>[Releases]</c>) is refined to write or read
    /// mode on each side of <c>IsWriteLockHeld</c>/<c>IsReadLockHeld</c>.</item>
    /// <item>A lock certainly held in a definite mode makes the side where the query contradicts that
    /// hold infeasible (null): <c>IsReadLockHeld</c> false or <c>IsWriteLockHeld</c> true under a plain
    /// read hold (a reader cannot hold the write lock: <c>ReaderWriterLockSlim</c> refuses the
    /// read-to-write upgrade whatever its recursion policy), <c>IsWriteLockHeld</c> false under a write
    /// hold, <c>IsUpgradeableReadLockHeld</c> false under an upgradeable read, <c>Monitor.IsEntered</c>
    /// or <c>IsHeldByCurrentThread</c> false under a hold of that lock.</item>
    /// <item>Other holds are left as they are.</item>
    /// </list>
    /// </summary>
    internal static class HeldQueryRefiner
    {
        public static LockState? Refine(LockState state, IOperation condition, bool value, KnownSymbols known, PathBuilder paths)
        {
            var core = BooleanCondition.Core(condition, out var negated);
            value ^= negated;
            switch (core)
            {
                case IPropertyReferenceOperation p when Is(p.Property.ContainingType, known.ReaderWriterLockSlim):
                    return ReaderWriter(state, p, value, paths);
                case IPropertyReferenceOperation p when Is(p.Property.ContainingType, known.ThreadingLock) && p.Property.Name == "IsHeldByCurrentThread":
                    return Establish(state, paths.Get(p.Instance), LockFlavor.ThreadingLock, HeldMode.Exclusive, value, p);
                case IInvocationOperation i when Is(i.TargetMethod.ContainingType, known.Monitor) && i.TargetMethod.Name == "IsEntered" && i.Arguments.Length == 1:
                    return Establish(state, paths.Get(i.Arguments[0].Value), LockFlavor.Monitor, HeldMode.Exclusive, value, i);
                default:
                    return state;
            }
        }

        private static bool Is(INamedTypeSymbol? type, INamedTypeSymbol? known) =>
            known != null && SymbolEqualityComparer.Default.Equals(type, known);

        private static LockState? ReaderWriter(LockState state, IPropertyReferenceOperation query, bool value, PathBuilder paths)
        {
            HeldMode mode;
            switch (query.Property.Name)
            {
                case "IsWriteLockHeld":
                    mode = HeldMode.Write;
                    break;
                case "IsReadLockHeld":
                    mode = HeldMode.Read;
                    break;
                case "IsUpgradeableReadLockHeld":
                    mode = HeldMode.UpgradeableRead;
                    break;
                default:
                    return state;
            }

            if (!(paths.Get(query.Instance) is AccessPath path))
            {
                return state;
            }

            if (state.Find(path) is HeldLock held)
            {
                if (Contradicts(held, mode, value))
                {
                    return null;
                }

                if (held.Mode != HeldMode.ReadOrWrite || mode == HeldMode.UpgradeableRead)
                {
                    return state;
                }

                var writeMode = mode == HeldMode.Write ? value : !value;
                return state.With(held.WithMode(writeMode ? HeldMode.Write : HeldMode.Read, upgraded: false));
            }

            return Establish(state, path, LockFlavor.ReaderWriterLockSlim, mode, value, query);
        }

        /// <summary>
        /// True when a query for <paramref name="mode"/> answering <paramref name="value"/> cannot happen
        /// while <paramref name="held"/> is held (see the class summary). Upgraded and downgraded holds
        /// are left alone.
        /// </summary>
        private static bool Contradicts(HeldLock held, HeldMode mode, bool value)
        {
            if (held.Upgraded || held.AlsoRead)
            {
                return false;
            }

            return (held.Mode, mode) switch
            {
                (HeldMode.Read, HeldMode.Read) => !value,
                (HeldMode.Read, HeldMode.Write) => value,
                (HeldMode.Write, HeldMode.Write) => !value,
                (HeldMode.UpgradeableRead, HeldMode.UpgradeableRead) => !value,
                (HeldMode.Exclusive, HeldMode.Exclusive) => !value,
                _ => false,
            };
        }

        /// <summary>
        /// Where the query is true, a lock not known held (nor uncertain) is held in <paramref name="mode"/>, as if asserted;
        /// where it is false, a lock certainly held in that mode makes the side infeasible (null).
        /// </summary>
        private static LockState? Establish(LockState state, AccessPath? path, LockFlavor flavor, HeldMode mode, bool value, IOperation query)
        {
            if (path != null && state.Find(path) is HeldLock held && Contradicts(held, mode, value))
            {
                return null;
            }

            if (!value || path == null || state.Held.ContainsKey(path))
            {
                return state;
            }

            return state.With(new HeldLock(path, flavor, mode, HoldKind.Asserted, query.Syntax.GetLocation()));
        }
    }
}
