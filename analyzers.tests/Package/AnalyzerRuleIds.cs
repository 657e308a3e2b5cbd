using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis.Diagnostics;

namespace XeLocked.Analyzers.Tests.Package;

/// <summary>The diagnostic IDs the XeLocked analyzer assembly declares, read from the assembly itself.</summary>
internal static class AnalyzerRuleIds
{
    /// <summary>
    /// Every ID in <see cref="DiagnosticAnalyzer.SupportedDiagnostics"/> of every C# analyzer in
    /// XeLocked.Analyzers (the same sources the package ships), sorted.
    /// </summary>
    public static ImmutableArray<string> All()
    {
        var assembly = Assembly.Load(new AssemblyName("XeLocked.Analyzers"));
        return assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttributes<DiagnosticAnalyzerAttribute>().Any())
            .SelectMany(t => ((DiagnosticAnalyzer)Activator.CreateInstance(t)!).SupportedDiagnostics)
            .Select(d => d.Id)
            .Where(id => id.StartsWith("XL", StringComparison.Ordinal))
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToImmutableArray();
    }
}
