using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis.Diagnostics;

namespace XeLocked.Analyzers.Tests.Package;

/// <summary>The XeLocked analyzers and the diagnostic IDs they declare, read from the analyzer assembly itself.</summary>
internal static class AnalyzerRuleIds
{
    /// <summary>
    /// Every ID in <see cref="DiagnosticAnalyzer.SupportedDiagnostics"/> of every C# analyzer in
    /// XeLocked.Analyzers (the same sources the package ships), sorted.
    /// </summary>
    public static ImmutableArray<string> All() =>
        Analyzers()
            .SelectMany(a => a.SupportedDiagnostics)
            .Select(d => d.Id)
            .Where(id => id.StartsWith("XL", StringComparison.Ordinal))
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToImmutableArray();

    /// <summary>One instance of every C# analyzer in XeLocked.Analyzers.</summary>
    public static ImmutableArray<DiagnosticAnalyzer> Analyzers() =>
        Assembly.Load(new AssemblyName("XeLocked.Analyzers")).GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttributes<DiagnosticAnalyzerAttribute>().Any())
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToImmutableArray();
}
