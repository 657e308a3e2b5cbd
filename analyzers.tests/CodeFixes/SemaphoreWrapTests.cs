using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using XeLocked.Analyzers.Rules;
using XeLocked.Analyzers.Tests.Verifiers;
using XeLocked.CodeFixes.Fixes;

namespace XeLocked.Analyzers.Tests.CodeFixes;

/// <summary>
/// "Wrap in lock" for a <c>SemaphoreSlim</c>: <c>await WaitAsync()</c> in an async function (around
/// an <c>await</c> too), <c>Wait()</c> otherwise, and <c>Release()</c> in <c>finally</c>. The fix
/// keys off the lock's type, so it is driven here by an XL0002 diagnostic built by hand with the
/// requirement the analyzer attaches.
/// </summary>
[TestClass]
public sealed class SemaphoreWrapTests
{
    private const string Source = """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            private readonly SemaphoreSlim _gate = new(1, 1);
            private int _n;

            async Task M()
            {
                _n += await Task.FromResult(1);
            }

            void N()
            {
                _n++;
            }
        }
        """;

    [TestMethod]
    public async Task AsyncFunctionAwaitsWaitAsync()
    {
        var fixedText = await ApplyAsync(Source, Source.IndexOf("_n +=", StringComparison.Ordinal));
        StringAssert.Contains(fixedText, string.Join("\n", "    async Task M()", "    {", "        await _gate.WaitAsync();", "        try", "        {", "            _n += await Task.FromResult(1);", "        }", "        finally", "        {", "            _gate.Release();", "        }", "    }"));
    }

    [TestMethod]
    public async Task SynchronousFunctionWaits()
    {
        var fixedText = await ApplyAsync(Source, Source.IndexOf("_n++", StringComparison.Ordinal));
        StringAssert.Contains(fixedText, string.Join("\n", "    void N()", "    {", "        _gate.Wait();", "        try", "        {", "            _n++;", "        }", "        finally", "        {", "            _gate.Release();", "        }", "    }"));
    }

    private static async Task<string> ApplyAsync(string source, int accessStart)
    {
        var workspace = new AdhocWorkspace();
        var projectId = ProjectId.CreateNewId();
        var documentId = DocumentId.CreateNewId(projectId);
        var solution = workspace.CurrentSolution
            .AddProject(projectId, "P", "P", LanguageNames.CSharp)
            .WithProjectCompilationOptions(projectId, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary))
            .AddMetadataReferences(projectId, References.All)
            .AddDocument(documentId, "Test0.cs", source);
        var document = solution.GetDocument(documentId)!;
        var tree = (await document.GetSyntaxTreeAsync())!;
        var diagnostic = Diagnostic.Create(
            DiagnosticDescriptors.GuardedAccessWithoutLock,
            Location.Create(tree, new Microsoft.CodeAnalysis.Text.TextSpan(accessStart, 2)),
            RequirementText.Properties(RequirementText.RequiredExpressionKey, "_gate"),
            "Writing", "_n", "_gate", "'this._gate' is not held");
        var actions = new List<CodeAction>();
        await new WrapInLockCodeFixProvider().RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (a, _) => actions.Add(a), CancellationToken.None));
        Assert.AreEqual(1, actions.Count, "one wrap is offered");
        var operations = await actions[0].GetOperationsAsync(CancellationToken.None);
        var changed = operations.OfType<ApplyChangesOperation>().Single().ChangedSolution.GetDocument(documentId)!;
        var compilation = (await changed.Project.GetCompilationAsync())!;
        Assert.AreEqual(0, compilation.GetDiagnostics().Count(d => d.Severity == DiagnosticSeverity.Error), "the fixed code compiles");
        return (await changed.GetTextAsync()).ToString();
    }
}
