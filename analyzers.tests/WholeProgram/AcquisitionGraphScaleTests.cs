using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using XeLocked.Analyzers.Tests.Verifiers;
using XeLocked.Analyzers.WholeProgram;

namespace XeLocked.Analyzers.Tests.WholeProgram;

/// <summary>
/// XL0011 on generated programs of many files: a cycle that runs through every file (each edge
/// through a call into the next file) is found and reported once, and a chain without the closing
/// edge is not. How the analysis time grows with the program is measured by the benchmark
/// (<c>bench/AnalyzerScaling</c>), not asserted in a test.
/// </summary>
[TestClass]
public sealed class AcquisitionGraphScaleTests
{
    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public async Task RingThroughCallsAcrossManyFiles_OneCycleWithEveryEdge()
    {
        const int files = 40;
        var diagnostics = await AnalyzeAsync(Generate(files, ring: true));

        var cycle = diagnostics.Single(d => d.Id == "XL0011");
        var message = cycle.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        StringAssert.StartsWith(message, "Possible circular locking dependency: S0.Lock → S1.Lock → S2.Lock → S3.Lock");
        for (var i = 0; i < files; i++)
        {
            StringAssert.Contains(message, $"S{(i + 1) % files}.Lock acquired while S{i}.Lock held at File{i}.cs:5 (through Touch() → Take(), which acquires it at File{(i + 1) % files}.cs:7)");
        }

        Assert.AreEqual(files - 1, cycle.AdditionalLocations.Count);
        Assert.AreEqual("File0.cs", Path.GetFileName(cycle.Location.SourceTree!.FilePath));
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public async Task ChainWithoutTheClosingEdge_NoCycle()
    {
        var diagnostics = await AnalyzeAsync(Generate(40, ring: false));
        Assert.IsEmpty(diagnostics.Where(d => d.Id == "XL0011"));
    }

    /// <summary>
    /// File i: class Si with a lock; Enter holds it and calls S(i+1).Touch(), which takes S(i+1)'s
    /// lock through Take(): the edge Si.Lock → S(i+1).Lock, through calls. With <paramref name="ring"/>
    /// the last file calls back into S0, closing one cycle over every class.
    /// </summary>
    private static List<(string Name, string Text)> Generate(int files, bool ring)
    {
        var sources = new List<(string, string)>();
        for (var i = 0; i < files; i++)
        {
            var next = (i + 1) % files;
            var enter = i + 1 < files || ring
                ? $"    public void Enter(S{next} n) {{ lock (Lock) {{ n.Touch(); Count++; }} }}"
                : "    public void Enter() { lock (Lock) { Count++; } }";
            sources.Add(($"File{i}.cs", $$"""
                using XeLocked.Annotations;
                public sealed class S{{i}}
                {
                    public readonly object Lock = new();
                {{enter}}
                    public void Touch() { Take(); }
                    private void Take() { lock (Lock) { Count--; } }
                    [GuardedBy("Lock")] public int Count;
                    public int Plain(int x) { var s = 0; for (var k = 0; k < x; k++) { s += k; } return s; }
                }
                """));
        }

        return sources;
    }

    private static CSharpCompilation Compile(List<(string Name, string Text)> sources) =>
        CSharpCompilation.Create("Scale",
            sources.Select(s => CSharpSyntaxTree.ParseText(s.Text, new CSharpParseOptions(LanguageVersion.Latest), path: s.Name)),
            References.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    private static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(List<(string Name, string Text)> sources)
    {
        var compilation = Compile(sources);
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.IsEmpty(errors, string.Join("\n", errors));
        return await compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new AcquisitionGraphAnalyzer())).GetAnalyzerDiagnosticsAsync();
    }
}
