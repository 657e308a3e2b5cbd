using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace XeLocked.Analyzers.Tests.Architecture;

/// <summary>
/// Checks the analyzer's layering on its source: every name a file binds (type, member, or
/// namespace, <c>using</c> directives and qualified names included) must belong to the file's own
/// layer or a lower one. The layers are the ones the "Architecture" section of <c>docs/analysis.md</c> describes.
/// </summary>
internal static class LayerCheck
{
    /// <summary>The analyzer's namespaces, lowest layer first; a layer may use its own and lower layers only.</summary>
    public static readonly IReadOnlyList<string[]> Layers = new[]
    {
        new[] { "XeLocked.Analyzers", "XeLocked.Analyzers.Shared" },
        new[] { "XeLocked.Analyzers.Resolution" },
        new[] { "XeLocked.Analyzers.Contracts" },
        new[] { "XeLocked.Analyzers.Dataflow", "XeLocked.Analyzers.Ownership" },
        new[] { "XeLocked.Analyzers.WholeProgram" },
        new[] { "XeLocked.Analyzers.Rules" },
    };

    /// <summary>The layer index of an analyzer namespace; -1 when the table does not know it.</summary>
    public static int LayerOf(string ns)
    {
        for (var i = 0; i < Layers.Count; i++)
        {
            if (Array.IndexOf(Layers[i], ns) >= 0)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// The back-references in <paramref name="trees"/>, one line each
    /// (<c>file(line): From.Namespace uses To.Namespace.Symbol</c>), and the analyzer namespaces
    /// the layer table does not know.
    /// </summary>
    public static IReadOnlyList<string> Violations(IEnumerable<SyntaxTree> trees, IEnumerable<MetadataReference> references)
    {
        var compilation = CSharpCompilation.Create("LayerCheck", trees, references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        // A name that does not bind cannot be checked: a source that does not compile fails the check.
        var found = compilation.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(d => $"does not compile: {d}")
            .Take(10)
            .ToList();
        foreach (var tree in compilation.SyntaxTrees)
        {
            var model = compilation.GetSemanticModel(tree);
            var namespaces = tree.GetRoot().DescendantNodes().OfType<BaseNamespaceDeclarationSyntax>().ToList();
            foreach (var name in tree.GetRoot().DescendantNodes().OfType<SimpleNameSyntax>())
            {
                // A name inside a namespace declaration belongs to it; a file-level name (a using
                // directive above the declarations) belongs to every namespace the file declares.
                var declaration = name.Ancestors().OfType<BaseNamespaceDeclarationSyntax>().FirstOrDefault();
                if (declaration != null && declaration.Name.Span.Contains(name.Span))
                {
                    continue;
                }

                var froms = (declaration != null ? new[] { declaration } : (IEnumerable<BaseNamespaceDeclarationSyntax>)namespaces)
                    .Select(d => d.Name.ToString())
                    .Where(ns => ns.StartsWith("XeLocked.Analyzers", StringComparison.Ordinal))
                    .Distinct()
                    .ToList();
                if (froms.Count == 0)
                {
                    continue;
                }

                var info = model.GetSymbolInfo(name);
                var symbol = info.Symbol ?? info.CandidateSymbols.FirstOrDefault();
                var to = symbol == null ? null : NamespaceOf(symbol);
                if (to == null || !to.StartsWith("XeLocked.Analyzers", StringComparison.Ordinal))
                {
                    continue;
                }

                var where = $"{Path.GetFileName(tree.FilePath)}({name.GetLocation().GetLineSpan().StartLinePosition.Line + 1})";
                foreach (var from in froms.Where(from => from != to))
                {
                    int fromLayer = LayerOf(from), toLayer = LayerOf(to);
                    if (fromLayer < 0 || toLayer < 0)
                    {
                        found.Add($"{where}: namespace {(fromLayer < 0 ? from : to)} is in no layer");
                    }
                    else if (toLayer > fromLayer)
                    {
                        found.Add($"{where}: {from} uses {to} ({symbol!.Name}), a higher layer");
                    }
                }
            }
        }

        return found.Distinct().ToList();
    }

    /// <summary>The source files of the analyzer assembly, parsed (the lock-expression grammar it compiles in included).</summary>
    public static IReadOnlyList<SyntaxTree> AnalyzerSources(string repositoryRoot)
    {
        var analyzers = Path.Combine(repositoryRoot, "analyzers");
        return new[] { "XeLocked.Analyzers", "XeLocked.LockExpressions" }
            .SelectMany(project => Directory.EnumerateFiles(Path.Combine(analyzers, project), "*.cs", SearchOption.AllDirectories))
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal) &&
                           !file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(file => CSharpSyntaxTree.ParseText(File.ReadAllText(file), path: file))
            .ToList();
    }

    /// <summary>The framework and Roslyn assemblies the analyzer source binds against.</summary>
    public static IReadOnlyList<MetadataReference> References()
    {
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var roslyn = new[] { typeof(Compilation).Assembly.Location, typeof(CSharpCompilation).Assembly.Location };
        return platform.Concat(roslyn).Distinct().Select(path => (MetadataReference)MetadataReference.CreateFromFile(path)).ToList();
    }

    private static string? NamespaceOf(ISymbol symbol)
    {
        if (symbol is INamespaceSymbol ns)
        {
            return ns.ToDisplayString();
        }

        if (symbol is IMethodSymbol { ReducedFrom: { } reduced })
        {
            symbol = reduced;
        }

        var type = symbol as INamedTypeSymbol ?? symbol.ContainingType;
        return (type?.ContainingNamespace ?? symbol.ContainingNamespace)?.ToDisplayString();
    }
}
