using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using XeLocked.Analyzers.Resolution;

namespace XeLocked.Analyzers.Dataflow
{
    /// <summary>
    /// Refines a <c>ReaderWriterLockSlim</c> held in read-or-write mode (a join of a write hold and
    /// a read hold, or the entry of a mode-agnostic <c>[Releases]</c>) on each side of a branch on
    /// the lock's own mode query: <c>rw.IsWriteLockHeld</c> is true in write mode and false in read
    /// mode, <c>rw.IsReadLockHeld</c> the other way round (possibly negated). Other holds and other
    /// conditions are left as they are.
    /// </summary>
    internal static class ModeQueryRefiner
    {
        public static LockState Refine(LockState state, IOperation condition, bool value, INamedTypeSymbol? readerWriterLockSlim, PathBuilder paths)
        {
            if (readerWriterLockSlim == null)
            {
                return state;
            }

            for (var depth = 0; depth < 8; depth++)
            {
                switch (condition)
                {
                    case IConversionOperation c when c.OperatorMethod == null:
                        condition = c.Operand;
                        continue;
                    case IUnaryOperation u when u.OperatorKind == UnaryOperatorKind.Not:
                        value = !value;
                        condition = u.Operand;
                        continue;
                    case IPropertyReferenceOperation p when SymbolEqualityComparer.Default.Equals(p.Property.ContainingType, readerWriterLockSlim):
                        return Refine(state, p, value, paths);
                    default:
                        return state;
                }
            }

            return state;
        }

        private static LockState Refine(LockState state, IPropertyReferenceOperation query, bool value, PathBuilder paths)
        {
            bool writeMode;
            switch (query.Property.Name)
            {
                case "IsWriteLockHeld":
                    writeMode = value;
                    break;
                case "IsReadLockHeld":
                    writeMode = !value;
                    break;
                default:
                    return state;
            }

            if (!(paths.Get(query.Instance) is AccessPath path) || !(state.Find(path) is HeldLock held) || held.Mode != HeldMode.ReadOrWrite)
            {
                return state;
            }

            return state.With(held.WithMode(writeMode ? HeldMode.Write : HeldMode.Read, upgraded: false));
        }
    }
}
