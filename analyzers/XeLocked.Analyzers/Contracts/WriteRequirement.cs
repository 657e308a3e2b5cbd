using System.Collections.Immutable;
using XeLocked.Analyzers.Resolution;
using XeLocked.LockExpressions;

namespace XeLocked.Analyzers.Contracts
{
    /// <summary>
    /// What a write of a <c>[GuardedBy("expr")]</c> member needs when no <c>Write = "…"</c> is given.
    /// A write must exclude every other access made under the same alternative, so an alternative
    /// permits a write only when it holds some lock exclusively: an exclusive lock, or a
    /// reader-writer lock in write mode (or without a mode, which a write needs in write mode). In an
    /// alternative whose locks are all <c>:read</c>, those locks are needed in write mode for a
    /// write: <c>"Lock:read"</c> lets readers share the lock, never writers. An alternative that
    /// pairs <c>:read</c> with an exclusive lock (<c>"Lock:write | (Lock:read &amp; FaultLock)"</c>)
    /// permits the write as written: the exclusive lock serializes its writers and readers.
    /// </summary>
    internal static class WriteRequirement
    {
        public static ResolvedExpression? From(ResolvedExpression? guard)
        {
            if (guard == null)
            {
                return null;
            }

            var changed = false;
            var alternatives = ImmutableArray.CreateBuilder<ImmutableArray<ResolvedFactor>>(guard.Alternatives.Length);
            foreach (var alternative in guard.Alternatives)
            {
                if (ExcludesOthers(alternative))
                {
                    alternatives.Add(alternative);
                    continue;
                }

                changed = true;
                var upgraded = ImmutableArray.CreateBuilder<ResolvedFactor>(alternative.Length);
                foreach (var f in alternative)
                {
                    upgraded.Add(f.Mode == LockModeSpec.Read ? new ResolvedFactor(f.Path, f.Flavor, LockModeSpec.Write, f.Source) : f);
                }

                alternatives.Add(upgraded.MoveToImmutable());
            }

            return changed ? new ResolvedExpression(guard.Text, alternatives.MoveToImmutable()) : guard;
        }

        private static bool ExcludesOthers(ImmutableArray<ResolvedFactor> alternative)
        {
            foreach (var f in alternative)
            {
                if (!f.Flavor.IsReaderWriter() || f.Mode != LockModeSpec.Read)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
