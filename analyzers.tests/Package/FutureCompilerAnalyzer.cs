using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace XeLocked.Analyzers.Tests.Package;

/// <summary>
/// Emits an analyzer assembly built "against" Microsoft.CodeAnalysis 99.0.0.0: exactly what the
/// XeLocked analyzer would be if its Roslyn package were bumped past the SDK's compiler. The
/// compiler refuses to load such an analyzer and only warns (CS9057), so without a guard the
/// build passes with no rule enforced.
/// </summary>
internal static class FutureCompilerAnalyzer
{
    private const string FakeRoslynSource = """
        [assembly: System.Reflection.AssemblyVersion("99.0.0.0")]
        namespace Microsoft.CodeAnalysis.Diagnostics
        {
            [System.AttributeUsage(System.AttributeTargets.Class)]
            public sealed class DiagnosticAnalyzerAttribute : System.Attribute
            {
                public DiagnosticAnalyzerAttribute(string firstLanguage, params string[] additionalLanguages) { }
            }

            public abstract class DiagnosticAnalyzer { }
        }
        """;

    private const string AnalyzerSource = """
        [Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer("C#")]
        public sealed class FutureCompilerOnlyAnalyzer : Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer { }
        """;

    /// <summary>
    /// Writes <c>FutureCompilerOnly.Analyzer.dll</c> into <paramref name="directory"/> (its fake
    /// Microsoft.CodeAnalysis reference goes to a subfolder, never beside it) and returns its path.
    /// </summary>
    public static string Emit(string directory)
    {
        var framework = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p) is "System.Runtime.dll" or "System.Private.CoreLib.dll" or "netstandard.dll")
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToList();
        var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary);

        var fakeRoslyn = CSharpCompilation.Create("Microsoft.CodeAnalysis", [CSharpSyntaxTree.ParseText(FakeRoslynSource)], framework, options);
        var fakeRoslynPath = Path.Combine(directory, "reference-only", "Microsoft.CodeAnalysis.dll");
        EmitTo(fakeRoslyn, fakeRoslynPath);

        var analyzer = CSharpCompilation.Create(
            "FutureCompilerOnly.Analyzer",
            [CSharpSyntaxTree.ParseText(AnalyzerSource)],
            [.. framework, MetadataReference.CreateFromFile(fakeRoslynPath)],
            options);
        var analyzerPath = Path.Combine(directory, "FutureCompilerOnly.Analyzer.dll");
        EmitTo(analyzer, analyzerPath);
        return analyzerPath;
    }

    private static void EmitTo(CSharpCompilation compilation, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var result = compilation.Emit(path);
        if (!result.Success)
        {
            throw new InvalidOperationException(
                $"could not emit {path}:\n{string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error))}");
        }
    }
}
