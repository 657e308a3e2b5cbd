using Microsoft.CodeAnalysis;

namespace XeLocked.Analyzers.Resolution
{
    /// <summary>The outcome of resolving one lock path: the path and its lock flavor, or an error.</summary>
    internal readonly struct PathResolution
    {
        private PathResolution(AccessPath? path, ITypeSymbol? type, LockFlavor flavor, string? error, int errorStart, int errorLength)
        {
            Path = path;
            Type = type;
            Flavor = flavor;
            Error = error;
            ErrorStart = errorStart;
            ErrorLength = errorLength;
        }

        public AccessPath? Path { get; }

        public ITypeSymbol? Type { get; }

        public LockFlavor Flavor { get; }

        /// <summary>What is wrong, or null on success.</summary>
        public string? Error { get; }

        /// <summary>Offset of the offending text in the expression.</summary>
        public int ErrorStart { get; }

        public int ErrorLength { get; }

        public bool Succeeded => Error == null;

        public static PathResolution Success(AccessPath path, ITypeSymbol? type, LockFlavor flavor) =>
            new PathResolution(path, type, flavor, null, 0, 0);

        public static PathResolution Failure(string error, int start, int length) =>
            new PathResolution(null, null, LockFlavor.None, error, start, length);
    }
}
