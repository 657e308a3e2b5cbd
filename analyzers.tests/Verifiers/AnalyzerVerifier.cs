using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace XeLocked.Analyzers.Tests.Verifiers;

/// <summary>
/// Runs one analyzer over test source with exact-span markup (<c>{|XL0010:text|}</c>), against the
/// installed net10 reference pack (offline) plus <c>XeLocked.Annotations</c>.
/// </summary>
public static class AnalyzerVerifier<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    /// <summary>Verifies that <paramref name="source"/> produces exactly the marked diagnostics (and <paramref name="expected"/>).</summary>
    public static Task VerifyAsync(string source, params DiagnosticResult[] expected)
    {
        var test = new Test { TestCode = Usings + source };
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    /// <summary>Verifies source that does not compile: compiler errors are ignored, only XL diagnostics are compared.</summary>
    public static Task VerifyBrokenCodeAsync(string source, params DiagnosticResult[] expected)
    {
        var test = new Test { TestCode = Usings + source, CompilerDiagnostics = CompilerDiagnostics.None };
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    /// <summary>A diagnostic of <paramref name="id"/> to locate with <c>WithSpan</c>/<c>WithLocation</c>.</summary>
    public static DiagnosticResult Diagnostic(string id)
    {
        var descriptor = new TAnalyzer().SupportedDiagnostics.Single(d => d.Id == id);
        return new DiagnosticResult(descriptor);
    }

    /// <summary>Prepended to every test source (line numbers in tests count from the line after it).</summary>
    public const string Usings = "using System; using System.Threading; using XeLocked.Annotations;\n";

    private sealed class Test : CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
    {
        public Test()
        {
            ReferenceAssemblies = new ReferenceAssemblies("net10.0");
            TestState.AdditionalReferences.AddRange(References.All);
        }
    }
}

/// <summary>The metadata references every test compilation gets.</summary>
internal static class References
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> s_all = new(Load);

    public static ImmutableArray<MetadataReference> All => s_all.Value;

    private static ImmutableArray<MetadataReference> Load()
    {
        var builder = ImmutableArray.CreateBuilder<MetadataReference>();
        foreach (var path in Directory.GetFiles(ReferencePackDirectory(), "*.dll"))
        {
            builder.Add(MetadataReference.CreateFromFile(path));
        }

        builder.Add(MetadataReference.CreateFromFile(typeof(XeLocked.Annotations.GuardedByAttribute).Assembly.Location));
        return builder.ToImmutable();
    }

    /// <summary><c>&lt;dotnet root&gt;/packs/Microsoft.NETCore.App.Ref/&lt;highest 10.x&gt;/ref/net10.0</c>, found from the running runtime.</summary>
    public static string ReferencePackDirectory()
    {
        // typeof(object) lives in <root>/shared/Microsoft.NETCore.App/<ver>/System.Private.CoreLib.dll
        var runtimeDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var root = Path.GetFullPath(Path.Combine(runtimeDir, "..", "..", ".."));
        var packs = Path.Combine(root, "packs", "Microsoft.NETCore.App.Ref");
        var best = Directory.GetDirectories(packs)
            .Select(d => (Dir: d, Ok: Version.TryParse(Path.GetFileName(d).Split('-')[0], out var v), Version: v))
            .Where(x => x.Ok && x.Version!.Major == 10)
            .OrderByDescending(x => x.Version)
            .First();
        return Path.Combine(best.Dir, "ref", "net10.0");
    }

    /// <summary>The dotnet root of the running runtime.</summary>
    public static string DotnetRoot()
    {
        var runtimeDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        return Path.GetFullPath(Path.Combine(runtimeDir, "..", "..", ".."));
    }
}
