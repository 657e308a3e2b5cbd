using System.Diagnostics;
using System.Reflection;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using XeLocked.Analyzers.Rules;

namespace XeLocked.Analyzers.Tests.Integration;

/// <summary>
/// The analyzer as a consumer gets it: a throwaway project outside the repository (so it
/// inherits none of the repo's props) references the analyzer project as an analyzer and the
/// annotations project, and <c>dotnet build</c> must fail with XL0010 at the right place, then
/// succeed once the expression is fixed. Also guards against the silent failure modes
/// CS9057/CS8032 (an analyzer built against a newer Roslyn than the SDK's compiler is skipped).
/// <remarks>
/// Both tests build the analyzer project through a project reference, in the same
/// <c>obj/</c> folder: run in parallel they race on its intermediate files (MSB3554, CS1566).
/// They run one at a time, after the parallel tests.
/// </remarks>
[TestClass]
[DoNotParallelize]
public sealed class ConsumerBuildTests
{
    private const string BadSource = """
        using XeLocked.Annotations;
        namespace Consumer;
        public class Counter
        {
            private readonly object Lock = new();
            [GuardedBy("Lokc")] private int _x;
            public int X { get { lock (Lock) { return _x; } } }
        }
        """;

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [TestCategory("Integration")]
    [Timeout(240_000, CooperativeCancellation = true)]
    public async Task ConsumerBuild_FailsWithXL0010_ThenSucceedsWhenFixed()
    {
        var repo = FindRepoRoot();
        var dir = Directory.CreateTempSubdirectory("xelocked-consumer-");
        try
        {
            var analyzerProject = Path.Combine(repo, "analyzers", "XeLocked.Analyzers", "XeLocked.Analyzers.csproj");
            var annotationsProject = Path.Combine(repo, "runtime", "XeLocked.Annotations", "XeLocked.Annotations.csproj");
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "Consumer.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                  </PropertyGroup>
                  <ItemGroup>
                    <ProjectReference Include="{analyzerProject}" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
                    <ProjectReference Include="{annotationsProject}" />
                  </ItemGroup>
                </Project>
                """, TestContext.CancellationToken);
            var source = Path.Combine(dir.FullName, "Counter.cs");
            await File.WriteAllTextAsync(source, BadSource, TestContext.CancellationToken);

            var (bad, badOutput) = await DotnetAsync(dir.FullName, "build --no-incremental -nodeReuse:false -p:UseSharedCompilation=false");
            Assert.AreNotEqual(0, bad, badOutput);
            StringAssert.Contains(badOutput, "Counter.cs(6,17): error XL0010", badOutput);
            Assert.IsFalse(badOutput.Contains("CS9057") || badOutput.Contains("CS8032"), badOutput);

            await File.WriteAllTextAsync(source, BadSource.Replace("\"Lokc\"", "\"Lock\""), TestContext.CancellationToken);
            var (good, goodOutput) = await DotnetAsync(dir.FullName, "build --no-incremental -nodeReuse:false -p:UseSharedCompilation=false");
            Assert.AreEqual(0, good, goodOutput);
            Assert.IsFalse(goodOutput.Contains("XL0"), goodOutput);
            Assert.IsFalse(goodOutput.Contains("CS9057") || goodOutput.Contains("CS8032"), goodOutput);

            // The analyzer must not reference a newer Microsoft.CodeAnalysis than the SDK's compiler.
            var (_, sdkVersion) = await DotnetAsync(dir.FullName, "--version");
            var compiler = Path.Combine(Verifiers.References.DotnetRoot(), "sdk", sdkVersion.Trim(), "Roslyn", "bincore", "Microsoft.CodeAnalysis.dll");
            Assert.IsTrue(File.Exists(compiler), compiler);
            var compilerVersion = AssemblyName.GetAssemblyName(compiler).Version!;
            var referenced = typeof(ContractAnalyzer).Assembly.GetReferencedAssemblies().Single(a => a.Name == "Microsoft.CodeAnalysis").Version!;
            Assert.IsTrue(referenced <= compilerVersion, $"analyzer references Microsoft.CodeAnalysis {referenced}, the SDK compiler is {compilerVersion}");
        }
        finally
        {
            try
            {
                dir.Delete(recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder is harmless.
            }
        }
    }

    private const string UnannotatedCycleSource = """
        namespace Consumer;
        public sealed class Account { public readonly object Sync = new(); public int Balance; }
        public sealed class Ledger { public readonly object Sync = new(); public int Entries; }
        public static class Bank
        {
            public static void Post(Account a, Ledger l) { lock (a.Sync) { lock (l.Sync) { l.Entries++; a.Balance--; } } }
            public static int Audit(Account a, Ledger l) { lock (l.Sync) { lock (a.Sync) { return a.Balance + l.Entries; } } }
        }
        """;

    /// <summary>
    /// First contact: a project with warnings as errors, whose plain <c>lock</c>s nothing annotates,
    /// takes the analyzer and still builds; the ABBA cycle is in the SARIF log as a note (Info).
    /// Raising XL0011 in <c>.editorconfig</c> turns it into the build failure it then asks for.
    /// </summary>
    [TestMethod]
    [TestCategory("Integration")]
    [Timeout(300_000, CooperativeCancellation = true)]
    public async Task FirstContact_UnannotatedCycle_DoesNotBreakAWarningsAsErrorsBuild_UntilOptedIn()
    {
        var repo = FindRepoRoot();
        var dir = Directory.CreateTempSubdirectory("xelocked-first-contact-");
        try
        {
            var analyzerProject = Path.Combine(repo, "analyzers", "XeLocked.Analyzers", "XeLocked.Analyzers.csproj");
            var annotationsProject = Path.Combine(repo, "runtime", "XeLocked.Annotations", "XeLocked.Annotations.csproj");
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "Consumer.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                  </PropertyGroup>
                  <ItemGroup>
                    <ProjectReference Include="{analyzerProject}" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
                    <ProjectReference Include="{annotationsProject}" />
                  </ItemGroup>
                </Project>
                """, TestContext.CancellationToken);
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "Bank.cs"), UnannotatedCycleSource, TestContext.CancellationToken);
            var line = UnannotatedCycleSource.Split('\n').Select((text, i) => (text, i)).First(l => l.text.Contains("Post(", StringComparison.Ordinal));
            var place = $"Bank.cs({line.i + 1},{line.text.IndexOf("l.Sync", StringComparison.Ordinal) + 1})";
            var sarif = Path.Combine(dir.FullName, "build.sarif");
            var build = $"build --no-incremental -nodeReuse:false -p:UseSharedCompilation=false \"-p:ErrorLog={sarif}%2Cversion=2.1\"";

            var (plain, plainOutput) = await DotnetAsync(dir.FullName, build);
            Assert.AreEqual(0, plain, plainOutput);
            Assert.IsFalse(plainOutput.Contains("warning XL", StringComparison.Ordinal) || plainOutput.Contains("error XL", StringComparison.Ordinal), plainOutput);
            var note = Package.SarifLog.Load(sarif).Results.SingleOrDefault(r => r.RuleId == "XL0011");
            Assert.IsNotNull(note, "the unannotated cycle is not reported at all");
            Assert.AreEqual("note", note.Level);

            await File.WriteAllTextAsync(Path.Combine(dir.FullName, ".editorconfig"), "root = true\n\n[*.cs]\ndotnet_diagnostic.XL0011.severity = warning\n",
                TestContext.CancellationToken);
            var (optedIn, optedInOutput) = await DotnetAsync(dir.FullName, build);
            Assert.AreNotEqual(0, optedIn, optedInOutput);
            StringAssert.Contains(optedInOutput, place + ": error XL0011", optedInOutput);
        }
        finally
        {
            try
            {
                dir.Delete(recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder is harmless.
            }
        }
    }

    private async Task<(int ExitCode, string Output)> DotnetAsync(string workingDirectory, string arguments)
    {
        var info = new ProcessStartInfo("dotnet", arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.CancellationToken);
        try
        {
            await process.WaitForExitAsync(TestContext.CancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "XeLocked.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("XeLocked.sln not found above " + AppContext.BaseDirectory);
    }
}
