using Microsoft.CodeAnalysis;
using XeLocked.Analyzers.Resolution;

namespace XeLocked.Analyzers.Dataflow
{
    /// <summary>What a call does to one lock.</summary>
    internal enum EffectKind
    {
        /// <summary>Acquires the lock (blocking).</summary>
        Acquire,

        /// <summary>Releases the lock.</summary>
        Release,

        /// <summary>Acquires the lock exactly when the call returns <see cref="LockEffect.Success"/>.</summary>
        TryAcquire,

        /// <summary>Acquires the lock and sets the <c>ref bool</c> flag to true (<c>Monitor.Enter(x, ref taken)</c>).</summary>
        AcquireWithFlag,

        /// <summary>Acquires the lock exactly when it sets the <c>ref bool</c> flag to true (<c>Monitor.TryEnter(x, ref taken)</c>).</summary>
        TryAcquireWithFlag,

        /// <summary>Asserts the lock is held (from here on the analysis treats it as held).</summary>
        Assert,
    }

    /// <summary>One effect of a call on one lock instance, in the caller's terms.</summary>
    internal sealed class LockEffect
    {
        public LockEffect(EffectKind kind, AccessPath path, LockFlavor flavor, HeldMode mode, bool success = true, IOperation? flag = null)
        {
            Kind = kind;
            Path = path;
            Flavor = flavor;
            Mode = mode;
            Success = success;
            Flag = flag;
        }

        public EffectKind Kind { get; }

        public AccessPath Path { get; }

        public LockFlavor Flavor { get; }

        public HeldMode Mode { get; }

        /// <summary>For try-acquires: the return value that means "acquired".</summary>
        public bool Success { get; }

        /// <summary>The <c>ref bool</c> argument of the flag variants.</summary>
        public IOperation? Flag { get; }
    }
}
