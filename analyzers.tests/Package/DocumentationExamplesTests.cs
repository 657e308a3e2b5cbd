using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using XeLocked.Annotations;

namespace XeLocked.Analyzers.Tests.Package;

/// <summary>
/// The walk-through in <c>docs/getting-started.md</c> and the example in the package README say
/// exactly which diagnostics their code produces, at which line and column. These tests compile
/// that code, as the reader assembles it, with the XeLocked analyzers (in process, with the
/// settings of a new SDK project: nullable enabled, implicit usings) and compare.
/// </summary>
[TestClass]
public sealed class DocumentationExamplesTests
{
    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public async Task GettingStarted_EveryStepReportsWhatThePageSays()
    {
        var page = ReadDoc("docs/getting-started.md");
        var blocks = FencedBlocks(page);
        var code = blocks.Where(b => b.Info == "csharp").Select(b => b.Text).ToList();
        var outputs = blocks.Where(b => b.Info == "" && b.Text.Contains("Orders.cs(", StringComparison.Ordinal)).Select(b => b.Text).ToList();
        Assert.IsGreaterThanOrEqualTo(4, code.Count, "expected the class, the wrong method, the fix and the two extra members as C# blocks");
        Assert.HasCount(2, outputs, "expected two build-output blocks (the XL0001 build, then XL0002/XL0004)");
        string orders = code[0], wrongMethod = code[1], fixedMethod = code[2], extraMembers = code[3];

        // §2: the annotated class builds clean.
        Assert.HasCount(0, await AnalyzeAsync(orders), "§2 says the annotated class builds without errors");

        // §3: adding the wrong method gives exactly the XL0001 shown.
        Assert.AreEqual(
            Expected(outputs[0]),
            Lines(await AnalyzeAsync(AddMembers(orders, wrongMethod))),
            "§3's output block disagrees with the analyzer");

        // §4: with the fix, the two extra members give exactly the XL0002 and XL0004 shown.
        Assert.AreEqual(
            Expected(outputs[1]),
            Lines(await AnalyzeAsync(AddMembers(orders, fixedMethod + "\n" + extraMembers))),
            "§4's output block disagrees with the analyzer");
        Assert.HasCount(0, await AnalyzeAsync(AddMembers(orders, fixedMethod)), "§4 says the fixed method builds");
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public async Task PackageReadme_ExampleReportsXL0001OnTheMarkedLine()
    {
        var readme = ReadDoc("analyzers/XeLocked.Package/PACKAGE.md");
        var code = FencedBlocks(readme).First(b => b.Info == "csharp").Text;
        var lines = code.Split('\n');
        int markedLine = Array.FindIndex(lines, l => l.Contains("// error XL0001", StringComparison.Ordinal)) + 1;
        Assert.IsGreaterThan(0, markedLine, "the README example marks no line with '// error XL0001'");
        int column = lines[markedLine - 1].IndexOf("_catalogLock", StringComparison.Ordinal) + 1;

        // The README quotes the message in the comment of the marked line and the next one.
        var first = lines[markedLine - 1];
        var quoted = first[(first.IndexOf("// error XL0001: ", StringComparison.Ordinal) + "// error XL0001: ".Length)..].Trim()
            + " " + lines[markedLine][(lines[markedLine].IndexOf("//", StringComparison.Ordinal) + 2)..].Trim();

        var actual = await AnalyzeAsync(code);
        Assert.HasCount(1, actual, string.Join("\n", actual));
        Assert.AreEqual($"Orders.cs({markedLine},{column}): error XL0001: {quoted}", actual[0]);
    }

    /// <summary>The fenced code blocks of a Markdown page, in order: info string (e.g. <c>csharp</c>, or empty) and text.</summary>
    private static List<(string Info, string Text)> FencedBlocks(string markdown)
    {
        var blocks = new List<(string, string)>();
        string? info = null;
        var text = new System.Text.StringBuilder();
        foreach (var line in markdown.Split('\n'))
        {
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                if (info is null)
                {
                    info = line[3..].Trim();
                    text.Clear();
                }
                else
                {
                    blocks.Add((info, text.ToString()));
                    info = null;
                }
            }
            else if (info is not null)
            {
                text.Append(line).Append('\n');
            }
        }

        return blocks;
    }

    private static string ReadDoc(string relativePath) =>
        File.ReadAllText(Path.Combine(RepositoryRoot.Find(), relativePath)).Replace("\r\n", "\n");

    /// <summary>Inserts <paramref name="members"/> before the closing brace of the (last) class, as the page tells the reader to.</summary>
    private static string AddMembers(string classCode, string members)
    {
        int close = classCode.TrimEnd().LastIndexOf('}');
        return classCode[..close] + "\n" + members + classCode[close..];
    }

    /// <summary>The diagnostics an output block shows, as "file(line,col): severity id: message".</summary>
    private static string Expected(string outputBlock) =>
        Lines(BuildDiagnostic.Parse(outputBlock).Select(d => $"{d.FileName}({d.Line},{d.Column}): {d.Severity} {d.Id}: {d.Message}"));

    private static string Lines(IEnumerable<string> lines) => string.Join("\n", lines);

    /// <summary>The XL diagnostics of <paramref name="source"/> compiled as <c>Orders.cs</c>, formatted like the build output.</summary>
    private async Task<List<string>> AnalyzeAsync(string source)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .Append(MetadataReference.CreateFromFile(typeof(GuardedByAttribute).Assembly.Location));
        var compilation = CSharpCompilation.Create(
            "DocExample",
            [CSharpSyntaxTree.ParseText(source, parse, "Orders.cs"), CSharpSyntaxTree.ParseText(ImplicitUsings, parse, "GlobalUsings.cs")],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

        var compileErrors = compilation.GetDiagnostics(TestContext.CancellationToken).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.HasCount(0, compileErrors, $"the documented code does not compile:\n{string.Join("\n", compileErrors)}\n{source}");

        var diagnostics = await compilation
            .WithAnalyzers(AnalyzerRuleIds.Analyzers(), new CompilationWithAnalyzersOptions(
                new AnalyzerOptions([]), onAnalyzerException: null, concurrentAnalysis: false, logAnalyzerExecutionTime: false))
            .GetAnalyzerDiagnosticsAsync(TestContext.CancellationToken);
        return diagnostics
            .Where(d => d.Id.StartsWith("XL", StringComparison.Ordinal) || d.Id == "AD0001")
            .OrderBy(d => d.Location.SourceSpan.Start)
            .Select(d =>
            {
                var position = d.Location.GetLineSpan().StartLinePosition;
                return $"Orders.cs({position.Line + 1},{position.Character + 1}): {d.Severity.ToString().ToLowerInvariant()} {d.Id}: {d.GetMessage()}";
            })
            .ToList();
    }
}
