using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace XeLocked.Analyzers.Tests.Verifiers;

/// <summary>
/// Runs one analyzer over test source that uses the real <c>XeLocked.Locking</c> primitives (the
/// compiled assembly is referenced, so the attributes the analyzer reads are the shipped ones), with
/// nullable analysis on as in a real project.
/// </summary>
public static class RealLocksVerifier<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    /// <summary>Prepended to every test source.</summary>
    public const string Usings = "using System; using System.Threading; using System.Threading.Tasks; using XeLocked.Annotations; using XeLocked.Locking;\n";

    /// <summary>Verifies that <paramref name="source"/> produces exactly the marked diagnostics (and <paramref name="expected"/>).</summary>
    public static Task VerifyAsync(string source, params DiagnosticResult[] expected)
    {
        var test = new CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
        {
            ReferenceAssemblies = new ReferenceAssemblies("net10.0"),
        };
        test.SolutionTransforms.Add((solution, projectId) =>
        {
            var options = (Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions)solution.GetProject(projectId)!.CompilationOptions!;
            return solution.WithProjectCompilationOptions(projectId, options.WithNullableContextOptions(NullableContextOptions.Enable));
        });
        test.TestState.Sources.Add(("Test0.cs", Usings + source));
        test.TestState.AdditionalReferences.AddRange(References.All);
        test.TestState.AdditionalReferences.Add(MetadataReference.CreateFromFile(typeof(XeLocked.Locking.TrackedAsyncMutex).Assembly.Location));
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    /// <summary>A diagnostic of <paramref name="id"/> to locate with <c>WithLocation</c>.</summary>
    public static DiagnosticResult Diagnostic(string id) =>
        new(new TAnalyzer().SupportedDiagnostics.Single(d => d.Id == id));
}
