using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using XeLocked.Analyzers.Rules;
using XeLocked.Analyzers.Tests.Verifiers;
using XeLocked.Analyzers.WholeProgram;

namespace XeLocked.Analyzers.Tests.WholeProgram;

/// <summary>
/// Runs the order rules together — XL0001 (<see cref="LockOrderAnalyzer"/> in a body,
/// <see cref="AcquisitionGraphAnalyzer"/> through calls), XL0011 (<see cref="AcquisitionGraphAnalyzer"/>),
/// XL0014 (<see cref="UnorderedNestingAnalyzer"/>), the <c>[NoLockEdge]</c> checks and the <c>[InnerLocks]</c> checks (<see cref="InnerLocksAnalyzer"/>)
/// (<see cref="EdgeExemptionAnalyzer"/>) — over
/// test sources plus <see cref="FlowVerifier{TAnalyzer}.Primitives"/>, so a test can show which of
/// them reports a program and which stays silent. Sources are named <c>Test0.cs</c>, <c>Test1.cs</c>, …
/// (the XL0011 message spells edges as <c>Test0.cs:line</c>; line 1 is the usings line).
/// </summary>
public static class WholeProgramVerifier
{
    public static Task VerifyAsync(string source, params DiagnosticResult[] expected) => VerifyAsync(new[] { source }, expected);

    /// <summary>Source that does not compile: compiler errors are ignored, XL diagnostics compared.</summary>
    public static Task VerifyBrokenCodeAsync(string source, params DiagnosticResult[] expected) =>
        RunAsync(new[] { source }, CompilerDiagnostics.None, expected);

    public static Task VerifyAsync(string[] sources, params DiagnosticResult[] expected) =>
        RunAsync(sources, CompilerDiagnostics.Errors, expected);

    private static Task RunAsync(string[] sources, CompilerDiagnostics compilerDiagnostics, DiagnosticResult[] expected)
    {
        var test = new Test { CompilerDiagnostics = compilerDiagnostics };
        for (var i = 0; i < sources.Length; i++)
        {
            test.TestState.Sources.Add(($"Test{i}.cs", AnalyzerVerifier<AcquisitionGraphAnalyzer>.Usings + sources[i]));
        }

        test.TestState.Sources.Add(("Primitives.cs", FlowVerifier<AcquisitionGraphAnalyzer>.Primitives));
        test.TestState.AdditionalReferences.AddRange(References.All);
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    /// <summary>
    /// The expected diagnostic of rule <paramref name="id"/>, with the message of its per-body descriptor
    /// (XL0001 through calls has its own message: <see cref="ThroughCall"/>).
    /// </summary>
    public static DiagnosticResult Diagnostic(string id) =>
        new(Analyzers().SelectMany(a => a.SupportedDiagnostics).First(d => d.Id == id));

    /// <summary>The expected XL0001 reported at a call through which a lock is acquired against the declared order.</summary>
    public static DiagnosticResult ThroughCall() => new(DiagnosticDescriptors.LockOrderViolationThroughCall);

    /// <summary>The expected XL0015 for a <c>[NoLockEdge]</c> that removes no edge (found at compilation end).</summary>
    public static DiagnosticResult Unused() => new(DiagnosticDescriptors.UnusedEdgeExemption);

    /// <summary>XL0011 for a cycle among lock classes the project declared nothing about: reported as Info.</summary>
    public static DiagnosticResult UnannotatedCycle() => Diagnostic("XL0011").WithSeverity(DiagnosticSeverity.Info);

    private static DiagnosticAnalyzer[] Analyzers() =>
        new DiagnosticAnalyzer[] { new LockOrderAnalyzer(), new AcquisitionGraphAnalyzer(), new UnorderedNestingAnalyzer(), new EdgeExemptionAnalyzer(), new InnerLocksAnalyzer() };

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
