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
/// so a test states the complete set of XL diagnostics a program gets (every other rule must stay
/// silent). Sources are named <c>Test0.cs</c>, <c>Test1.cs</c>, … (line 1 is the usings line).
/// </summary>
public static class EveryAnalyzerVerifier
{
    private static DiagnosticAnalyzer[] Analyzers() => new DiagnosticAnalyzer[]
    {
        new ContractAnalyzer(), new GuardedAccessAnalyzer(), new CallContractAnalyzer(), new LockOrderAnalyzer(),
        new AcquireReleaseAnalyzer(), new HeldLocksAnalyzer(), new AwaitAnalyzer(), new UnorderedNestingAnalyzer(),
        new AcquisitionGraphAnalyzer(),
    };

    public static Task VerifyAsync(string source, params DiagnosticResult[] expected) => VerifyAsync(new[] { source }, expected);

    public static Task VerifyAsync(string[] sources, params DiagnosticResult[] expected)
    {
        var test = new Test();
        for (var i = 0; i < sources.Length; i++)
        {
            test.TestState.Sources.Add(($"Test{i}.cs", AnalyzerVerifier<AcquisitionGraphAnalyzer>.Usings + sources[i]));
        }

        test.TestState.Sources.Add(("Primitives.cs", FlowVerifier<AcquisitionGraphAnalyzer>.Primitives));
        test.TestState.AdditionalReferences.AddRange(References.All);
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    public static DiagnosticResult Diagnostic(string id) =>
        new(Analyzers().SelectMany(a => a.SupportedDiagnostics).First(d => d.Id == id));

    private sealed class Test : CSharpAnalyzerTest<AcquisitionGraphAnalyzer, DefaultVerifier>
    {
        public Test()
        {
            ReferenceAssemblies = new ReferenceAssemblies("net10.0");
            SolutionTransforms.Add((solution, projectId) =>
            {
                var options = (CSharpCompilationOptions)solution.GetProject(projectId)!.CompilationOptions!;
                return solution.WithProjectCompilationOptions(projectId, options.WithNullableContextOptions(NullableContextOptions.Enable));
            });
        }

        protected override IEnumerable<DiagnosticAnalyzer> GetDiagnosticAnalyzers() => Analyzers();
    }
}
