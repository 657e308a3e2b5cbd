using System.Collections.Immutable;
using System.Composition;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using XeLocked.Analyzers.Tests.Verifiers;

namespace XeLocked.Analyzers.Tests.CodeFixes;

/// <summary>
/// Applies code fixes the way a developer clicking the light bulb would: every XeLocked analyzer
/// and every code fix provider of the package, in the order the IDE shows them; repeatedly takes
/// the first diagnostic that has a fix, applies that fix's first action, and re-analyzes.
/// </summary>
internal sealed class FixLoop
{
    private static readonly ImmutableArray<DiagnosticAnalyzer> Analyzers = typeof(XeLocked.Analyzers.Rules.GuardedAccessAnalyzer).Assembly
        .GetTypes()
        .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() != null)
        .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
        .ToImmutableArray();

    private readonly List<CodeFixProvider> _providers = OrderedProviders();

    private Document _document;

    public FixLoop(string source)
    {
        var workspace = new AdhocWorkspace();
        var projectId = ProjectId.CreateNewId();
        var documentId = DocumentId.CreateNewId(projectId);
        var solution = workspace.CurrentSolution
            .AddProject(projectId, "Realistic", "Realistic", LanguageNames.CSharp)
            .WithProjectCompilationOptions(projectId, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable))
            .AddMetadataReferences(projectId, References.All)
            .AddDocument(documentId, "Test0.cs", source)
            .AddDocument(DocumentId.CreateNewId(projectId), "Primitives.cs", FlowVerifier<XeLocked.Analyzers.Rules.GuardedAccessAnalyzer>.Primitives);
        _document = solution.GetDocument(documentId)!;
    }

    /// <summary>The titles of the actions applied, in order.</summary>
    public List<string> Applied { get; } = new();

    /// <summary>The providers whose actions were applied.</summary>
    public HashSet<string> AppliedBy { get; } = new();

    /// <summary>The current text of the file.</summary>
    public async Task<string> TextAsync() => (await _document.GetTextAsync()).ToString();

    /// <summary>The XL diagnostics of the file, in source order.</summary>
    public async Task<List<Diagnostic>> DiagnosticsAsync()
    {
        var compilation = (await _document.Project.GetCompilationAsync())!;
        var all = await compilation.WithAnalyzers(Analyzers).GetAnalyzerDiagnosticsAsync();
        return all.Where(d => d.Id.StartsWith("XL", StringComparison.Ordinal) && d.Location.SourceTree?.FilePath == "Test0.cs")
            .OrderBy(d => d.Location.SourceSpan.Start).ToList();
    }

    /// <summary>Compiler errors of the file (a fix must never break the build).</summary>
    public async Task<List<Diagnostic>> CompilerErrorsAsync()
    {
        var compilation = (await _document.Project.GetCompilationAsync())!;
        return compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
    }

    /// <summary>Applies the first action offered for the first diagnostic that has one; false when none has.</summary>
    public async Task<bool> ApplyFirstAsync()
    {
        foreach (var diagnostic in await DiagnosticsAsync())
        {
            foreach (var provider in _providers.Where(p => p.FixableDiagnosticIds.Contains(diagnostic.Id)))
            {
                var actions = new List<CodeAction>();
                await provider.RegisterCodeFixesAsync(new CodeFixContext(_document, diagnostic, (a, _) => actions.Add(a), CancellationToken.None));
                if (actions.Count == 0)
                {
                    continue;
                }

                var operations = await actions[0].GetOperationsAsync(CancellationToken.None);
                var changed = operations.OfType<ApplyChangesOperation>().Single().ChangedSolution;
                _document = changed.GetDocument(_document.Id)!;
                Applied.Add($"{diagnostic.Id}: {actions[0].Title}");
                AppliedBy.Add(provider.GetType().Name);
                return true;
            }
        }

        return false;
    }

    /// <summary>The package's providers, each placed before those its <c>[ExtensionOrder(Before)]</c> names.</summary>
    private static List<CodeFixProvider> OrderedProviders()
    {
        var providers = typeof(XeLocked.CodeFixes.Fixes.AddRequiresCodeFixProvider).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(CodeFixProvider).IsAssignableFrom(t) && t.GetCustomAttribute<ExportCodeFixProviderAttribute>() != null)
            .OrderBy(t => t.Name)
            .ToList();
        var ordered = new List<Type>();
        foreach (var type in providers)
        {
            var before = type.GetCustomAttribute<ExtensionOrderAttribute>()?.Before;
            var index = before == null ? -1 : ordered.FindIndex(t => t.Name == before);
            if (index >= 0)
            {
                ordered.Insert(index, type);
            }
            else
            {
                ordered.Add(type);
            }
        }

        return ordered.Select(t => (CodeFixProvider)Activator.CreateInstance(t)!).ToList();
    }
}
