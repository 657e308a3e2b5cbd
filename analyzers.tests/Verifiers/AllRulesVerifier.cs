using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using XeLocked.Analyzers.Rules;
using XeLocked.Analyzers.WholeProgram;

namespace XeLocked.Analyzers.Tests.Verifiers;

/// <summary>
/// Runs every XL analyzer at once over test sources plus <see cref="FlowVerifier{TAnalyzer}.Primitives"/>,
/// with nullable analysis on like a real project (or off, on request), so a test states the complete
/// set of XL diagnostics a program gets (every other rule must stay silent). For precision tests:
/// code that must produce no diagnostic of any rule, or exactly the marked ones. Sources are named
/// <c>Test0.cs</c>, <c>Test1.cs</c>, … (line 1 is the usings line).
/// </summary>
public static class AllRulesVerifier
{
    private static DiagnosticAnalyzer[] Analyzers() => new DiagnosticAnalyzer[]
    {
        new ContractAnalyzer(), new GuardedAccessAnalyzer(), new CallContractAnalyzer(), new LockOrderAnalyzer(),
        new AcquireReleaseAnalyzer(), new HeldLocksAnalyzer(), new AwaitAnalyzer(), new UnorderedNestingAnalyzer(),
        new AcquisitionGraphAnalyzer(),
    };

    /// <summary>Verifies that <paramref name="source"/> produces exactly the marked diagnostics (and <paramref name="expected"/>).</summary>
    public static Task VerifyAsync(string source, params DiagnosticResult[] expected) => RunAsync(new[] { source }, nullable: true, expected);

    /// <summary>The same over several files.</summary>
    public static Task VerifyAsync(string[] sources, params DiagnosticResult[] expected) => RunAsync(sources, nullable: true, expected);

    /// <summary>The same with nullable analysis off (Roslyn lowers <c>lock</c> on a <c>Lock</c> differently then).</summary>
    public static Task VerifyWithoutNullableAsync(string source, params DiagnosticResult[] expected) => RunAsync(new[] { source }, nullable: false, expected);

    /// <summary>A diagnostic of <paramref name="id"/> to locate with <c>WithLocation</c>.</summary>
    public static DiagnosticResult Diagnostic(string id) =>
        new(Analyzers().SelectMany(a => a.SupportedDiagnostics).First(d => d.Id == id));

    private static Task RunAsync(string[] sources, bool nullable, DiagnosticResult[] expected)
    {
        var test = new Test { ReferenceAssemblies = new ReferenceAssemblies("net10.0") };
        test.SolutionTransforms.Add((solution, projectId) =>
        {
            var options = (CSharpCompilationOptions)solution.GetProject(projectId)!.CompilationOptions!;
            return solution.WithProjectCompilationOptions(projectId,
                options.WithNullableContextOptions(nullable ? NullableContextOptions.Enable : NullableContextOptions.Disable));
        });
        for (var i = 0; i < sources.Length; i++)
        {
            test.TestState.Sources.Add(($"Test{i}.cs", AnalyzerVerifier<AcquisitionGraphAnalyzer>.Usings + sources[i]));
        }

        test.TestState.Sources.Add(("Primitives.cs", FlowVerifier<AcquisitionGraphAnalyzer>.Primitives));
        test.TestState.AdditionalReferences.AddRange(References.All);
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    private sealed class Test : CSharpAnalyzerTest<AcquisitionGraphAnalyzer, DefaultVerifier>
    {
        protected override IEnumerable<DiagnosticAnalyzer> GetDiagnosticAnalyzers() => Analyzers();
    }
}
