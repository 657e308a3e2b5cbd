using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using XeLocked.Analyzers.Contracts;
using XeLocked.Analyzers.Resolution;
using XeLocked.LockExpressions;

namespace XeLocked.Analyzers.Dataflow
{
    /// <summary>
    /// Turns a callee's contract into effects at one call site: builds the substitution (receiver
    /// and arguments) and maps <c>[Releases]</c>, <c>[Acquires]</c>, <c>[TryAcquires]</c> and
    /// <c>[AssertsHeld]</c> to <see cref="LockEffect"/>s in that order.
    /// </summary>
    internal static class CallEffects
    {
        public static CallSubstitution Substitution(IOperation? instance, IEnumerable<IArgumentOperation> arguments, IMethodSymbol callee, PathBuilder paths)
        {
            var args = new Dictionary<int, AccessPath?>();
            foreach (var a in arguments)
            {
                if (a.Parameter != null)
                {
                    args[a.Parameter.Ordinal] = paths.Get(a.Value);
                }
            }

            AccessPath? receiver = null;
            if (!callee.IsStatic)
            {
                receiver = instance == null ? AccessPath.This : paths.Get(instance);
            }

            return new CallSubstitution(receiver, args, callee);
        }

        public static void FromContract(MethodContract contract, CallSubstitution substitution, List<LockEffect> effects)
        {
            foreach (var f in contract.Releases)
            {
                Add(EffectKind.Release, f, substitution, effects, mode: ReleasedModeOf(f));
            }

            foreach (var f in contract.Acquires)
            {
                Add(EffectKind.Acquire, f, substitution, effects);
            }

            foreach (var t in contract.TryAcquires)
            {
                Add(EffectKind.TryAcquire, t.Factor, substitution, effects, t.Success);
            }

            foreach (var f in contract.AssertsHeld)
            {
                Add(EffectKind.Assert, f, substitution, effects);
            }
        }

        /// <summary>Records the callee's asserted disjunctions (in the caller's terms) as facts of the state.</summary>
        public static LockState AssertDisjunctions(MethodContract contract, CallSubstitution substitution, LockState state)
        {
            foreach (var expression in contract.AssertedDisjunctions)
            {
                var alternatives = ImmutableArray.CreateBuilder<ImmutableArray<HeldLock>>();
                foreach (var alternative in expression.Alternatives)
                {
                    var locks = ImmutableArray.CreateBuilder<HeldLock>();
                    foreach (var f in alternative)
                    {
                        if (substitution.Apply(f.Path) is AccessPath p)
                        {
                            locks.Add(new HeldLock(p, f.Flavor, ModeOf(f), HoldKind.Asserted, null));
                        }
                    }

                    alternatives.Add(locks.ToImmutable());
                }

                state = state.WithFact(new AssertedDisjunction(alternatives.ToImmutable()));
            }

            return state;
        }

        /// <summary>The mode a contract factor stands for.</summary>
        public static HeldMode ModeOf(ResolvedFactor factor) => factor.Mode switch
        {
            LockModeSpec.Read => HeldMode.Read,
            LockModeSpec.Write => HeldMode.Write,
            _ => factor.Flavor.IsExclusive() ? HeldMode.Exclusive : HeldMode.Unknown,
        };

        /// <summary>
        /// The mode a <c>[Releases]</c> factor stands for: its written mode, or, for a reader-writer
        /// lock without one, <see cref="HeldMode.ReadOrWrite"/> (released in whatever mode it is held).
        /// </summary>
        public static HeldMode ReleasedModeOf(ResolvedFactor factor) =>
            factor.Mode == LockModeSpec.None && factor.Flavor.IsReaderWriter() ? HeldMode.ReadOrWrite : ModeOf(factor);

        private static void Add(EffectKind kind, ResolvedFactor factor, CallSubstitution substitution, List<LockEffect> effects,
            bool success = true, HeldMode? mode = null)
        {
            var path = substitution.Apply(factor.Path);
            if (path != null)
            {
                effects.Add(new LockEffect(kind, path, factor.Flavor, mode ?? ModeOf(factor), success));
            }
        }
    }
}
