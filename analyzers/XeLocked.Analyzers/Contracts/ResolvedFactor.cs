using XeLocked.Analyzers.Resolution;
using XeLocked.LockExpressions;

namespace XeLocked.Analyzers.Contracts
{
    /// <summary>One lock of a contract, resolved against symbols: its path, kind and required mode.</summary>
    internal sealed class ResolvedFactor
    {
        public ResolvedFactor(AccessPath path, LockFlavor flavor, LockModeSpec mode, LockFactor source)
        {
            Path = path;
            Flavor = flavor;
            Mode = mode;
            Source = source;
        }

        /// <summary>The lock, relative to the contract's owner (root <c>this</c>, a parameter, or static).</summary>
        public AccessPath Path { get; }

        public LockFlavor Flavor { get; }

        /// <summary>The mode written in the expression (<see cref="LockModeSpec.None"/> when none).</summary>
        public LockModeSpec Mode { get; }

        /// <summary>The parsed factor, for positions and the text of messages.</summary>
        public LockFactor Source { get; }

        public override string ToString() => Source.ToString();
    }
}
