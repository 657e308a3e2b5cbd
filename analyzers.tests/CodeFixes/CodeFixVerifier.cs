using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using XeLocked.Analyzers.Tests.Verifiers;

namespace XeLocked.Analyzers.Tests.CodeFixes;

/// <summary>
/// Runs one analyzer + code fix over test source (same references and usings as
/// <see cref="AnalyzerVerifier{TAnalyzer}"/>), checking the fixed code, one fix and Fix All.
/// </summary>
public static class CodeFixVerifier<TAnalyzer, TCodeFix>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    /// <summary>Verifies that applying the code action with <paramref name="equivalenceKey"/> turns <paramref name="source"/> into <paramref name="fixedSource"/>.</summary>
    public static Task VerifyAsync(string source, string fixedSource, string? equivalenceKey = null, int iterations = 1)
    {
        var test = new Test
        {
            CodeActionEquivalenceKey = equivalenceKey,
            NumberOfFixAllIterations = iterations,
        };
        AddSources(test, source, fixedSource);
        return test.RunAsync();
    }

    /// <summary>
    /// Like <see cref="VerifyAsync(string, string, string?, int)"/> where Fix All gives a different
    /// result (<paramref name="batchFixedSource"/>) than applying the fix to one diagnostic at a time.
    /// </summary>
    public static Task VerifyAsync(string source, string fixedSource, string batchFixedSource, string? equivalenceKey)
    {
        var test = new Test { CodeActionEquivalenceKey = equivalenceKey };
        AddSources(test, source, fixedSource);
        test.BatchFixedState.Sources.Add(("Test0.cs", AnalyzerVerifier<TAnalyzer>.Usings + batchFixedSource));
        test.BatchFixedState.Sources.Add(("Primitives.cs", FlowVerifier<TAnalyzer>.Primitives));
        test.BatchFixedState.AdditionalReferences.AddRange(References.All);
        return test.RunAsync();
    }

    /// <summary>
    /// Like <see cref="VerifyAsync(string, string, string?, int)"/> over several files of one
    /// project (<c>Test0.cs</c>, <c>Test1.cs</c>, …), so Fix All in project and solution scope is exercised across files.
    /// </summary>
    public static Task VerifyFilesAsync(string[] sources, string[] fixedSources, string? equivalenceKey)
    {
        var test = new Test { CodeActionEquivalenceKey = equivalenceKey };
        for (var i = 0; i < sources.Length; i++)
        {
            test.TestState.Sources.Add(($"Test{i}.cs", AnalyzerVerifier<TAnalyzer>.Usings + sources[i]));
            test.FixedState.Sources.Add(($"Test{i}.cs", AnalyzerVerifier<TAnalyzer>.Usings + fixedSources[i]));
        }

        test.TestState.Sources.Add(("Primitives.cs", FlowVerifier<TAnalyzer>.Primitives));
        test.FixedState.Sources.Add(("Primitives.cs", FlowVerifier<TAnalyzer>.Primitives));
        return test.RunAsync();
    }

    /// <summary>Verifies that no code action is offered for the marked diagnostics of <paramref name="source"/>.</summary>
    public static Task VerifyNoFixAsync(string source)
    {
        var test = new Test();
        AddSources(test, source, source);
        return test.RunAsync();
    }

    /// <summary>The test source plus the annotated primitives of <see cref="FlowVerifier{TAnalyzer}"/>, before and after.</summary>
    private static void AddSources(Test test, string source, string fixedSource)
    {
        test.TestState.Sources.Add(("Test0.cs", AnalyzerVerifier<TAnalyzer>.Usings + source));
        test.TestState.Sources.Add(("Primitives.cs", FlowVerifier<TAnalyzer>.Primitives));
        test.FixedState.Sources.Add(("Test0.cs", AnalyzerVerifier<TAnalyzer>.Usings + fixedSource));
        test.FixedState.Sources.Add(("Primitives.cs", FlowVerifier<TAnalyzer>.Primitives));
    }

    private sealed class Test : CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
    {
        public Test()
        {
            ReferenceAssemblies = new ReferenceAssemblies("net10.0");
            TestState.AdditionalReferences.AddRange(References.All);
            FixedState.AdditionalReferences.AddRange(References.All);
        }
    }
}
