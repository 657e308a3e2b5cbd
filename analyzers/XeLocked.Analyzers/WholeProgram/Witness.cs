using System;
using System.IO;
using Microsoft.CodeAnalysis;

namespace XeLocked.Analyzers.WholeProgram
{
    /// <summary>
    /// Where a fact of the acquisition graph was seen: a source location, ordered lexically (file
    /// path, then position) so that every choice among witnesses is deterministic whatever order
    /// the concurrent analysis delivered them in.
    /// </summary>
    internal static class Witness
    {
        /// <summary>Orders locations by file path (ordinal), then start position.</summary>
        public static int Compare(Location a, Location b)
        {
            var byFile = string.CompareOrdinal(a.SourceTree?.FilePath ?? string.Empty, b.SourceTree?.FilePath ?? string.Empty);
            return byFile != 0 ? byFile : a.SourceSpan.Start.CompareTo(b.SourceSpan.Start);
        }

        /// <summary><c>File.cs:12</c> (1-based line), as the cycle report spells each edge.</summary>
        public static string FileLine(Location location)
        {
            var span = location.GetLineSpan();
            var file = string.IsNullOrEmpty(span.Path) ? "?" : Path.GetFileName(span.Path);
            return file + ":" + (span.StartLinePosition.Line + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        /// <summary>A stable sort key for a symbol (lock class or method): its display string, then its first location.</summary>
        public static string Key(ISymbol symbol)
        {
            var location = symbol.Locations.Length > 0 ? symbol.Locations[0] : Location.None;
            return symbol.ToDisplayString() + "@" + (location.SourceTree?.FilePath ?? string.Empty) + ":" +
                   location.SourceSpan.Start.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        /// <summary>The canonical symbol of a method for the call graph (unreduced, original definition, implementation part).</summary>
        public static IMethodSymbol Canonical(IMethodSymbol method)
        {
            var m = method.ReducedFrom ?? method;
            m = m.OriginalDefinition;
            return m.PartialImplementationPart ?? m;
        }

        /// <summary>True when <paramref name="a"/> comes before <paramref name="b"/> (null last).</summary>
        public static bool Before(Location a, Location? b) => b == null || Compare(a, b) < 0;

        /// <summary>Comparer form of <see cref="Compare"/>.</summary>
        public static readonly Comparison<Location> Comparison = Compare;
    }
}
