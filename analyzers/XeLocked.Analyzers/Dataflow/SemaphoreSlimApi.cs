using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using XeLocked.Analyzers.Resolution;

namespace XeLocked.Analyzers.Dataflow
{
    /// <summary>
    /// <c>System.Threading.SemaphoreSlim</c> used as a lock: <c>Wait</c> and <c>WaitAsync</c>
    /// acquire it (exclusive) when they return <c>void</c> or <c>Task</c> (with or without a
    /// cancellation token: cancelling throws, so the normal path holds it), and try-acquire it when
    /// they return <c>bool</c> or <c>Task&lt;bool&gt;</c> (the timeout forms: held when the result,
    /// awaited or not, is true; with the constant infinite timeout, <c>Wait(-1)</c>,
    /// <c>WaitAsync(Timeout.InfiniteTimeSpan)</c>, they acquire). <c>Release()</c> and <c>Release(n)</c> release it. The acquisition
    /// of <c>WaitAsync</c> takes effect at the call, whether or not the task is awaited there. Only
    /// semaphores <see cref="Contracts.SemaphoreLocks"/> accepts as locks have these effects.
    /// </summary>
    internal static class SemaphoreSlimApi
    {
        /// <summary>Adds the effects of <paramref name="call"/> when it is a SemaphoreSlim lock API; false otherwise.</summary>
        public static bool TryGetEffects(IInvocationOperation call, CompilationModel model, PathBuilder paths, List<LockEffect> effects)
        {
            var method = call.TargetMethod;
            var semaphore = model.Known.SemaphoreSlim;
            if (semaphore == null || method.IsStatic || !SymbolEqualityComparer.Default.Equals(method.ContainingType, semaphore))
            {
                return false;
            }

            EffectKind kind;
            switch (method.Name)
            {
                case "Wait":
                case "WaitAsync":
                    kind = ReturnsBool(method.ReturnType) && !InfiniteTimeout.Has(call) ? EffectKind.TryAcquire : EffectKind.Acquire;
                    break;
                case "Release":
                    kind = EffectKind.Release;
                    break;
                default:
                    return false;
            }

            var path = paths.Get(call.Instance);
            if (path != null && model.Semaphores.IsLock(path))
            {
                effects.Add(new LockEffect(kind, path, LockFlavor.SemaphoreSlim, HeldMode.Exclusive));
            }

            return true;
        }

        /// <summary><c>bool</c>, or a task of <c>bool</c> (<c>Task&lt;bool&gt;</c>).</summary>
        private static bool ReturnsBool(ITypeSymbol type) =>
            type.SpecialType == SpecialType.System_Boolean ||
            (type is INamedTypeSymbol task && task.TypeArguments.Length == 1 &&
             task.TypeArguments[0].SpecialType == SpecialType.System_Boolean);
    }
}
