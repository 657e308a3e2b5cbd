using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using XeLocked.Analyzers.Rules;

namespace XeLocked.Analyzers.Tests.Verifiers;

/// <summary>
/// Runs every per-body rule analyzer together (XL0001–XL0008, XL0012–XL0014) over test source plus
/// <see cref="FlowVerifier{TAnalyzer}.Primitives"/>, with nullable analysis on like a real project.
/// For precision tests: code that must produce no diagnostic of any rule, or exactly the marked ones.
/// </summary>
public static class AllRulesVerifier
{
    private static readonly ImmutableArray<DiagnosticAnalyzer> s_analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(
        new GuardedAccessAnalyzer(),
        new AcquireReleaseAnalyzer(),
        new HeldLocksAnalyzer(),
        new CallContractAnalyzer(),
        new LockOrderAnalyzer(),
        new AwaitAnalyzer(),
        new UnorderedNestingAnalyzer());

    /// <summary>Verifies that <paramref name="source"/> produces exactly the marked diagnostics (and <paramref name="expected"/>).</summary>
    public static Task VerifyAsync(string source, params DiagnosticResult[] expected) => RunAsync(source, nullable: true, expected);

    /// <summary>The same with nullable analysis off (Roslyn lowers <c>lock</c> on a <c>Lock</c> differently then).</summary>
    public static Task VerifyWithoutNullableAsync(string source, params DiagnosticResult[] expected) => RunAsync(source, nullable: false, expected);

    /// <summary>A diagnostic of <paramref name="id"/> to locate with <c>WithLocation</c>.</summary>
    public static DiagnosticResult Diagnostic(string id) =>
        new(s_analyzers.SelectMany(a => a.SupportedDiagnostics).First(d => d.Id == id));

    private static Task RunAsync(string source, bool nullable, DiagnosticResult[] expected)
    {
        var test = new Test { ReferenceAssemblies = new ReferenceAssemblies("net10.0") };
        test.SolutionTransforms.Add((solution, projectId) =>
        {
            var options = (Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions)solution.GetProject(projectId)!.CompilationOptions!;
            return solution.WithProjectCompilationOptions(projectId,
                options.WithNullableContextOptions(nullable ? NullableContextOptions.Enable : NullableContextOptions.Disable));
        });
        test.TestState.Sources.Add(("Test0.cs", AnalyzerVerifier<GuardedAccessAnalyzer>.Usings + source));
        test.TestState.Sources.Add(("Primitives.cs", FlowVerifier<GuardedAccessAnalyzer>.Primitives));
        test.TestState.AdditionalReferences.AddRange(References.All);
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    private sealed class Test : CSharpAnalyzerTest<GuardedAccessAnalyzer, DefaultVerifier>
    {
        protected override IEnumerable<DiagnosticAnalyzer> GetDiagnosticAnalyzers() => s_analyzers;
    }
}
