using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using XeLocked.Analyzers.Resolution;
using XeLocked.Analyzers.Shared;

namespace XeLocked.Analyzers.Dataflow
{
    /// <summary>
    /// Built-in knowledge of the BCL locks (no annotation needed): <c>Monitor</c>,
    /// <c>System.Threading.Lock</c>, <c>ReaderWriterLockSlim</c>, and the assertions of XeLocked's
    /// <c>Lockdep</c> facade when they carry no <c>[AssertsHeld]</c> themselves. A try form with the
    /// constant infinite timeout (<see cref="InfiniteTimeout"/>) is an unconditional acquisition.
    /// </summary>
    internal static class KnownLockApis
    {
        /// <summary>Adds the effects of <paramref name="call"/> when it is a known lock API; false otherwise.</summary>
        public static bool TryGetEffects(IInvocationOperation call, KnownSymbols known, LockTypeClassifier classifier, PathBuilder paths, List<LockEffect> effects)
        {
            var method = call.TargetMethod;
            var type = method.ContainingType;
            if (type == null)
            {
                return false;
            }

            if (known.Monitor != null && SymbolEqualityComparer.Default.Equals(type, known.Monitor))
            {
                return Monitor(call, method.Name, paths, effects);
            }

            if (known.ThreadingLock != null && SymbolEqualityComparer.Default.Equals(type, known.ThreadingLock))
            {
                return Instance(call, paths, LockFlavor.ThreadingLock, method.Name switch
                {
                    "Enter" or "EnterScope" => (EffectKind.Acquire, HeldMode.Exclusive),
                    "TryEnter" => (TryKind(call), HeldMode.Exclusive),
                    "Exit" => (EffectKind.Release, HeldMode.Exclusive),
                    _ => null,
                }, effects);
            }

            if (known.ReaderWriterLockSlim != null && SymbolEqualityComparer.Default.Equals(type, known.ReaderWriterLockSlim))
            {
                return Instance(call, paths, LockFlavor.ReaderWriterLockSlim, method.Name switch
                {
                    "EnterReadLock" => (EffectKind.Acquire, HeldMode.Read),
                    "EnterUpgradeableReadLock" => (EffectKind.Acquire, HeldMode.UpgradeableRead),
                    "EnterWriteLock" => (EffectKind.Acquire, HeldMode.Write),
                    "TryEnterReadLock" => (TryKind(call), HeldMode.Read),
                    "TryEnterUpgradeableReadLock" => (TryKind(call), HeldMode.UpgradeableRead),
                    "TryEnterWriteLock" => (TryKind(call), HeldMode.Write),
                    "ExitReadLock" => (EffectKind.Release, HeldMode.Read),
                    "ExitUpgradeableReadLock" => (EffectKind.Release, HeldMode.UpgradeableRead),
                    "ExitWriteLock" => (EffectKind.Release, HeldMode.Write),
                    _ => null,
                }, effects);
            }

            if (known.Lockdep != null && SymbolEqualityComparer.Default.Equals(type, known.Lockdep) && call.Arguments.Length == 1)
            {
                HeldMode? mode = method.Name switch
                {
                    "AssertHeld" => HeldMode.Unknown,
                    "AssertHeldRead" => HeldMode.Read,
                    "AssertHeldWrite" => HeldMode.Write,
                    _ => null,
                };
                var argument = call.Arguments[0].Value;
                var path = paths.Get(argument);
                if (mode == null || path == null)
                {
                    return mode != null;
                }

                var flavor = classifier.Classify(UnwrapConversions(argument).Type);
                var held = flavor.IsExclusive() ? HeldMode.Exclusive : mode.Value;
                effects.Add(new LockEffect(EffectKind.Assert, path, flavor, held));
                return true;
            }

            return false;
        }

        private static bool Monitor(IInvocationOperation call, string name, PathBuilder paths, List<LockEffect> effects)
        {
            if (call.Arguments.Length == 0 || (name != "Enter" && name != "TryEnter" && name != "Exit"))
            {
                return false;
            }

            var target = ArgumentFor(call, 0);
            var path = paths.Get(target);
            if (path == null)
            {
                return true;
            }

            IOperation? flag = null;
            foreach (var a in call.Arguments)
            {
                if (a.Parameter?.RefKind == RefKind.Ref)
                {
                    flag = a.Value;
                }
            }

            var kind = name switch
            {
                "Exit" => EffectKind.Release,
                "Enter" => flag != null ? EffectKind.AcquireWithFlag : EffectKind.Acquire,
                _ when InfiniteTimeout.Has(call) => flag != null ? EffectKind.AcquireWithFlag : EffectKind.Acquire,
                _ => flag != null ? EffectKind.TryAcquireWithFlag : EffectKind.TryAcquire,
            };
            effects.Add(new LockEffect(kind, path, LockFlavor.Monitor, HeldMode.Exclusive, flag: flag));
            return true;
        }

        /// <summary>A try form: an unconditional acquisition when its timeout is the constant infinite one.</summary>
        private static EffectKind TryKind(IInvocationOperation call) => InfiniteTimeout.Has(call) ? EffectKind.Acquire : EffectKind.TryAcquire;

        private static bool Instance(IInvocationOperation call, PathBuilder paths, LockFlavor flavor, (EffectKind Kind, HeldMode Mode)? effect, List<LockEffect> effects)
        {
            if (effect == null)
            {
                return false;
            }

            var path = paths.Get(call.Instance);
            if (path != null)
            {
                effects.Add(new LockEffect(effect.Value.Kind, path, flavor, effect.Value.Mode));
            }

            return true;
        }

        private static IOperation? ArgumentFor(IInvocationOperation call, int ordinal)
        {
            foreach (var a in call.Arguments)
            {
                if (a.Parameter?.Ordinal == ordinal)
                {
                    return a.Value;
                }
            }

            return null;
        }

        public static IOperation UnwrapConversions(IOperation operation)
        {
            while (operation is IConversionOperation c && c.OperatorMethod == null)
            {
                operation = c.Operand;
            }

            return operation;
        }
    }
}
