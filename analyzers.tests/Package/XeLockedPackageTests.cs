using System.IO.Compression;
using System.Xml.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace XeLocked.Analyzers.Tests.Package;

/// <summary>
/// End-to-end tests of the XeLocked NuGet package: pack it from this checkout into a local
/// folder feed (once per class run), then restore and build private copies of
/// <c>samples/InventoryService</c> from that feed, with an isolated NuGet packages folder, the
/// way a user does. Each sample variant is built once and shared by the tests that read it.
/// </summary>
[TestClass]
[TestCategory("Integration")]
[DoNotParallelize]
public sealed class XeLockedPackageTests
{
    private const int ClassSetupTimeoutMs = 300_000;
    private const int TestTimeoutMs = 240_000;
    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromSeconds(180);

    /// <summary>The deliberately out-of-order file of the sample and the marker on its bad line.</summary>
    private const string BugFile = "DeliberateBug/RestockOutOfOrder.cs";
    private const string BugMarker = "// XL0001:";
    private const string BugToken = "_catalogLock";
    private const string ExpectedRule = "XL0001";

    private static string s_repositoryRoot = "";
    private static string s_workDirectory = "";
    private static string s_packagesFolder = "";
    private static PackedXeLocked? s_package;
    private static Lazy<Task<SampleBuild>>? s_badBuild;
    private static Lazy<Task<SampleBuild>>? s_warningBuild;
    private static Lazy<Task<SampleBuild>>? s_goodBuild;
    private static SampleConsumer? s_bad;
    private static SampleConsumer? s_warning;
    private static SampleConsumer? s_good;

    /// <summary>The MSTest context of the running test.</summary>
    public TestContext TestContext { get; set; } = null!;

    /// <summary>Packs the package into a temp feed and prepares the three sample copies.</summary>
    [ClassInitialize]
    [Timeout(ClassSetupTimeoutMs, CooperativeCancellation = true)]
    public static async Task PackOnce(TestContext context)
    {
        s_repositoryRoot = RepositoryRoot.Find();
        s_workDirectory = Directory.CreateTempSubdirectory("xelocked-package-tests-").FullName;
        s_packagesFolder = Path.Combine(s_workDirectory, "nuget-packages");
        s_package = await PackedXeLocked.PackAsync(
            s_repositoryRoot,
            Path.Combine(s_workDirectory, ".feed"),
            Path.Combine(s_workDirectory, "artifacts"),
            ProcessTimeout,
            context.CancellationToken);

        s_bad = SampleConsumer.Create(s_repositoryRoot, s_workDirectory, "InventoryService-bad");
        s_warning = SampleConsumer.Create(s_repositoryRoot, s_workDirectory, "InventoryService-warning");
        s_warning.AppendEditorConfig($"[*.cs]\ndotnet_diagnostic.{ExpectedRule}.severity = warning");
        s_good = SampleConsumer.Create(s_repositoryRoot, s_workDirectory, "InventoryService-good");

        var withBug = new Dictionary<string, string> { ["IncludeDeliberateBug"] = "true" };
        var withoutBug = new Dictionary<string, string> { ["IncludeDeliberateBug"] = "false" };
        s_badBuild = new(() => s_bad.BuildAsync(s_package, s_packagesFolder, withBug, ProcessTimeout, CancellationToken.None));
        s_warningBuild = new(() => s_warning.BuildAsync(s_package, s_packagesFolder, withBug, ProcessTimeout, CancellationToken.None));
        s_goodBuild = new(() => s_good.BuildAsync(s_package, s_packagesFolder, withoutBug, ProcessTimeout, CancellationToken.None));
    }

    /// <summary>Deletes the temp feed, packages folder and sample copies (XELOCKED_KEEP_PACKAGE_TESTS=1 keeps them).</summary>
    [ClassCleanup]
    public static void DeleteWorkDirectory()
    {
        if (s_workDirectory.Length == 0 || Environment.GetEnvironmentVariable("XELOCKED_KEEP_PACKAGE_TESTS") == "1")
        {
            return;
        }

        try
        {
            Directory.Delete(s_workDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open by a dying child process: the folder is in the temp directory,
            // outside the repository, and the OS cleans it up.
        }
    }

    [TestMethod]
    [Timeout(TestTimeoutMs, CooperativeCancellation = true)]
    public void Package_HoldsAnnotationsInLibAndAnalyzerWithFixesUnderAnalyzers()
    {
        using var zip = ZipFile.OpenRead(s_package!.PackagePath);
        var entries = zip.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
        string[] expected =
        [
            "lib/netstandard2.0/XeLocked.Annotations.dll",
            "lib/netstandard2.0/XeLocked.Annotations.xml",
            "analyzers/dotnet/cs/XeLocked.Analyzers.dll",
            "analyzers/dotnet/cs/XeLocked.CodeFixes.dll",
            "build/XeLocked.targets",
            "buildTransitive/XeLocked.targets",
            "PACKAGE.md",
            "XeLocked.nuspec",
        ];
        foreach (var path in expected)
        {
            Assert.Contains(path, entries, $"missing from the package; it holds: {string.Join(", ", entries.Order())}");
        }

        // The analyzer must not be a compile reference of consumers, nor the annotations an analyzer.
        Assert.IsFalse(entries.Any(e => e.StartsWith("lib/", StringComparison.Ordinal) && e.Contains("Analyzers", StringComparison.Ordinal)),
            "an analyzer assembly landed under lib/");
        Assert.IsFalse(entries.Any(e => e.StartsWith("analyzers/", StringComparison.Ordinal) && e.Contains("Annotations", StringComparison.Ordinal)),
            "the annotations landed under analyzers/");
        Assert.IsFalse(entries.Any(e => e.EndsWith("XeLocked.Package.dll", StringComparison.Ordinal)),
            "the packaging project's own empty assembly was packed");

        // The payload assemblies are the real ones: analyzers and code-fix providers inside.
        Assert.IsNotEmpty(
            AssemblyAttributeScan.TypesWithAttribute(ReadEntry(zip, "analyzers/dotnet/cs/XeLocked.Analyzers.dll"), "DiagnosticAnalyzerAttribute"),
            "the packed XeLocked.Analyzers.dll declares no [DiagnosticAnalyzer]");
        Assert.IsNotEmpty(
            AssemblyAttributeScan.TypesWithAttribute(ReadEntry(zip, "analyzers/dotnet/cs/XeLocked.CodeFixes.dll"), "ExportCodeFixProviderAttribute"),
            "the packed XeLocked.CodeFixes.dll declares no [ExportCodeFixProvider]");
        Assert.IsEmpty(
            AssemblyAttributeScan.TypesWithAttribute(ReadEntry(zip, "analyzers/dotnet/cs/XeLocked.Analyzers.dll"), "ExportCodeFixProviderAttribute"),
            "code fixes belong in XeLocked.CodeFixes: the compiler loads XeLocked.Analyzers.dll without the Workspaces layer");
        Assert.IsNotEmpty(
            AssemblyAttributeScan.TypesWithAttribute(ReadEntry(zip, "lib/netstandard2.0/XeLocked.Annotations.dll"), "AttributeUsageAttribute"),
            "the packed XeLocked.Annotations.dll declares no attribute types");
    }

    private static byte[] ReadEntry(ZipArchive zip, string path)
    {
        using var stream = zip.GetEntry(path)!.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    [TestMethod]
    [Timeout(TestTimeoutMs, CooperativeCancellation = true)]
    public void Nuspec_HasLicenseReadmeRepository_AndIsNotADevelopmentDependency()
    {
        using var zip = ZipFile.OpenRead(s_package!.PackagePath);
        using var stream = zip.GetEntry("XeLocked.nuspec")!.Open();
        var metadata = XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string? Value(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;
        XElement? Element(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name);

        Assert.AreEqual("XeLocked", Value("id"));
        Assert.AreEqual(s_package.Version, Value("version"));
        Assert.AreEqual("expression", Element("license")?.Attribute("type")?.Value);
        Assert.AreEqual("MIT", Value("license"));
        Assert.AreEqual("PACKAGE.md", Value("readme"));
        Assert.IsFalse(string.IsNullOrWhiteSpace(Value("description")), "no description");
        Assert.Contains("analyzer", Value("tags") ?? "", "tags");
        var repository = Element("repository");
        Assert.IsNotNull(repository, "no <repository> element");
        Assert.AreEqual("git", repository.Attribute("type")?.Value);
        Assert.StartsWith("https://", repository.Attribute("url")?.Value ?? "");

        // The annotations are needed at run time (Lockdep reads [LockOrder] by reflection), so the
        // package must flow to consumers' outputs and to their dependents.
        Assert.AreNotEqual("true", Value("developmentDependency"), "the package must not be a development dependency");

        // Everything is inside the package: no dependency on other packages.
        var dependencies = Element("dependencies");
        Assert.IsFalse(dependencies?.Descendants().Any(e => e.Name.LocalName == "dependency") ?? false,
            $"unexpected package dependencies: {dependencies}");
    }

    [TestMethod]
    [Timeout(TestTimeoutMs, CooperativeCancellation = true)]
    public async Task DeliberateOutOfOrderAcquisition_FailsTheBuild_WithXL0001AtTheAcquisition()
    {
        var build = await s_badBuild!.Value;
        var (file, line, column) = s_bad!.Locate(BugFile, BugMarker, BugToken);

        Assert.AreNotEqual(0, build.Run.ExitCode, $"the build with the deliberate bug succeeded:\n{build.Run}");
        var xl = build.WithIdPrefix("XL");
        Assert.HasCount(1, xl, $"expected exactly the one deliberate XL diagnostic, the rest of the sample is correct:\n{build.Run}");
        var diagnostic = xl[0];
        Assert.AreEqual(ExpectedRule, diagnostic.Id, build.Run.ToString());
        Assert.AreEqual("error", diagnostic.Severity, build.Run.ToString());
        Assert.AreEqual(file, diagnostic.Origin, build.Run.ToString());
        Assert.AreEqual((line, column), (diagnostic.Line, diagnostic.Column), $"{diagnostic}\n{build.Run}");
        Assert.Contains("_catalogLock", diagnostic.Message, "the message names the lock being acquired");
        Assert.Contains("_stockLock", diagnostic.Message, "the message names the lock held that must come after it");
    }

    [TestMethod]
    [Timeout(TestTimeoutMs, CooperativeCancellation = true)]
    public async Task XL0001_ShowsItsHelpLink_InBuildOutputAndInSarif()
    {
        var build = await s_badBuild!.Value;
        var diagnostic = build.WithIdPrefix(ExpectedRule).FirstOrDefault();
        Assert.IsNotNull(diagnostic, build.Run.ToString());

        // The compiler appends the descriptor's HelpLinkUri to the message: "... (https://...)".
        Assert.IsNotNull(diagnostic.HelpLink, $"no help link printed after the message: {diagnostic}");
        Assert.EndsWith($"/docs/rules/{ExpectedRule}.md", diagnostic.HelpLink);

        Assert.IsNotNull(build.Sarif, $"no SARIF log written:\n{build.Run}");
        var rule = build.Sarif.Rules.SingleOrDefault(r => r.Id == ExpectedRule);
        Assert.IsNotNull(rule, $"{ExpectedRule} is not among the SARIF rules");
        Assert.AreEqual(diagnostic.HelpLink, rule.HelpUri);
        var result = build.Sarif.Results.SingleOrDefault(r => r.RuleId == ExpectedRule);
        Assert.IsNotNull(result, "the SARIF log has no XL0001 result");
        Assert.AreEqual("error", result.Level);
        Assert.EndsWith(BugFile, result.Uri);
    }

    [TestMethod]
    [Timeout(TestTimeoutMs, CooperativeCancellation = true)]
    public async Task EditorConfigSeverityWarning_BuildSucceeds_WithWarningXL0001()
    {
        var build = await s_warningBuild!.Value;
        var (file, line, column) = s_warning!.Locate(BugFile, BugMarker, BugToken);

        Assert.AreEqual(0, build.Run.ExitCode, $"dotnet_diagnostic.{ExpectedRule}.severity = warning did not let the build pass:\n{build.Run}");
        var xl = build.WithIdPrefix("XL");
        Assert.HasCount(1, xl, build.Run.ToString());
        Assert.AreEqual(
            $"{file}({line},{column}): warning {ExpectedRule}",
            $"{xl[0].Origin}({xl[0].Line},{xl[0].Column}): {xl[0].Severity} {xl[0].Id}",
            build.Run.ToString());
        Assert.IsFalse(build.Diagnostics.Any(d => d.Severity == "error"), build.Run.ToString());
    }

    [TestMethod]
    [Timeout(TestTimeoutMs, CooperativeCancellation = true)]
    public async Task CorrectService_BuildsWithNoDiagnostics_AndTheAnnotationsFlowToItsOutput()
    {
        var build = await s_goodBuild!.Value;

        Assert.AreEqual(0, build.Run.ExitCode, $"the sample without the deliberate bug does not build:\n{build.Run}");
        Assert.HasCount(0, build.Diagnostics, $"the correct sample must build without any warning:\n{build.Run}");

        // Not a development dependency: the annotations assembly is a run-time dependency of the
        // consumer, and [LockOrder] can be read back by reflection (as Lockdep.LoadDeclaredOrder does).
        var output = s_good!.OutputDirectory;
        Assert.IsTrue(File.Exists(Path.Combine(output, "XeLocked.Annotations.dll")), "XeLocked.Annotations.dll not copied to the output");
        var deps = File.ReadAllText(Path.Combine(output, "InventoryService.deps.json"));
        Assert.Contains($"\"XeLocked/{s_package!.Version}\"", deps, "the package is not a run-time library of the consumer");
        Assert.Contains("lib/netstandard2.0/XeLocked.Annotations.dll", deps);

        var run = await s_good.RunAsync(ProcessTimeout, TestContext.CancellationToken);
        Assert.AreEqual(0, run.ExitCode, run.ToString());
        Assert.Contains("declared lock order: InventoryService._catalogLock before InventoryService._stockLock", run.Output);
        Assert.Contains("books balance", run.Output);
    }

    [TestMethod]
    [Timeout(TestTimeoutMs, CooperativeCancellation = true)]
    public async Task Analyzer_IsLoadedByTheSdkCompiler_WithEveryRuleAndHelpLink_AndNoCS9057()
    {
        var ruleIds = AnalyzerRuleIds.All();
        Assert.IsNotEmpty(ruleIds, "XeLocked.Analyzers declares no XL rule");

        foreach (var build in new[] { await s_goodBuild!.Value, await s_badBuild!.Value })
        {
            // CS9057: built against a newer compiler than the SDK's; CS8032: could not be created.
            // Either way the compiler skips the analyzer and the build would pass unchecked.
            var loadFailures = build.Diagnostics.Where(d => d.Id is "CS9057" or "CS8032" or "AD0001").ToList();
            Assert.HasCount(0, loadFailures, build.Run.ToString());

            // The SARIF log lists every rule of every analyzer the compiler loaded, reported or not.
            Assert.IsNotNull(build.Sarif, $"no SARIF log written:\n{build.Run}");
            foreach (var id in ruleIds)
            {
                var rule = build.Sarif.Rules.SingleOrDefault(r => r.Id == id);
                Assert.IsNotNull(rule, $"rule {id} of XeLocked.Analyzers is not among the rules of the loaded analyzers ({build.Run.CommandLine})");
                Assert.EndsWith($"/docs/rules/{id}.md", rule.HelpUri ?? "", $"help link of {id}");
            }
        }
    }

    [TestMethod]
    [Timeout(TestTimeoutMs, CooperativeCancellation = true)]
    public async Task EveryRuleHelpLink_PointsAtARulePageOfThisRepository()
    {
        var build = await s_goodBuild!.Value;
        Assert.IsNotNull(build.Sarif, $"no SARIF log written:\n{build.Run}");
        var xlRules = build.Sarif.Rules.Where(r => r.Id.StartsWith("XL", StringComparison.Ordinal)).ToList();
        Assert.IsNotEmpty(xlRules, "no XL rule in the SARIF log");
        foreach (var rule in xlRules)
        {
            // https://github.com/<owner>/<repo>/blob/main/docs/rules/XLnnnn.md -> docs/rules/XLnnnn.md here.
            var marker = "/blob/main/";
            var at = rule.HelpUri?.IndexOf(marker, StringComparison.Ordinal) ?? -1;
            Assert.IsGreaterThanOrEqualTo(0, at, $"{rule.Id}: help link '{rule.HelpUri}' is not a link into the repository's main branch");
            var relative = rule.HelpUri![(at + marker.Length)..];
            Assert.AreEqual($"docs/rules/{rule.Id}.md", relative, $"{rule.Id}: help link '{rule.HelpUri}'");
            Assert.IsTrue(File.Exists(Path.Combine(s_repositoryRoot, relative)), $"{rule.Id}: the help link's page {relative} does not exist");
        }
    }

    [TestMethod]
    [Timeout(TestTimeoutMs, CooperativeCancellation = true)]
    public async Task AnalyzerTheCompilerCannotLoad_FailsTheBuild_UnlessExplicitlyAllowed()
    {
        // Without the package's build/XeLocked.targets, CS9057 is a warning and such a build
        // "succeeds" with the analyzer silently skipped; the package makes it an error.
        var consumer = SampleConsumer.Create(s_repositoryRoot, s_workDirectory, "InventoryService-future-compiler");
        var analyzerPath = FutureCompilerAnalyzer.Emit(Path.Combine(s_workDirectory, "future-compiler-analyzer"));
        consumer.AddAnalyzer(analyzerPath);

        var strict = await consumer.BuildAsync(
            s_package!, s_packagesFolder, new Dictionary<string, string> { ["IncludeDeliberateBug"] = "false" },
            ProcessTimeout, TestContext.CancellationToken);
        Assert.AreNotEqual(0, strict.Run.ExitCode, $"an analyzer the compiler cannot load did not fail the build:\n{strict.Run}");
        var cs9057 = strict.Diagnostics.Where(d => d.Id == "CS9057").ToList();
        Assert.HasCount(1, cs9057, strict.Run.ToString());
        Assert.AreEqual("error", cs9057[0].Severity, strict.Run.ToString());
        Assert.Contains("FutureCompilerOnly.Analyzer.dll", cs9057[0].Message);

        var allowed = await consumer.BuildAsync(
            s_package!, s_packagesFolder,
            new Dictionary<string, string> { ["IncludeDeliberateBug"] = "false", ["XeLockedAllowAnalyzerLoadFailure"] = "true" },
            ProcessTimeout, TestContext.CancellationToken);
        Assert.AreEqual(0, allowed.Run.ExitCode, $"XeLockedAllowAnalyzerLoadFailure=true did not let the build pass:\n{allowed.Run}");
        Assert.AreEqual("warning", allowed.Diagnostics.Single(d => d.Id == "CS9057").Severity, allowed.Run.ToString());
    }
}
