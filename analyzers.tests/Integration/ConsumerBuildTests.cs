using System.Reflection;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using XeLocked.Analyzers.Rules;

namespace XeLocked.Analyzers.Tests.Integration;

/// <summary>
/// The analyzer as a consumer gets it: a throwaway project outside the repository
/// (<see cref="ConsumerProject"/>) references the analyzer project as an analyzer and the
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
        var ct = TestContext.CancellationToken;
        using var consumer = ConsumerProject.Create("xelocked-consumer-");
        consumer.Write("Counter.cs", BadSource);

        var bad = await consumer.BuildAsync(ct);
        Assert.AreNotEqual(0, bad.ExitCode, bad.ToString());
        StringAssert.Contains(bad.Output, "Counter.cs(6,17): error XL0010", bad.ToString());
        Assert.IsFalse(bad.Output.Contains("CS9057") || bad.Output.Contains("CS8032"), bad.ToString());

        consumer.Write("Counter.cs", BadSource.Replace("\"Lokc\"", "\"Lock\""));
        var good = await consumer.BuildAsync(ct);
        Assert.AreEqual(0, good.ExitCode, good.ToString());
        Assert.IsFalse(good.Output.Contains("XL0"), good.ToString());
        Assert.IsFalse(good.Output.Contains("CS9057") || good.Output.Contains("CS8032"), good.ToString());

        // The analyzer must not reference a newer Microsoft.CodeAnalysis than the SDK's compiler.
        var sdkVersion = (await consumer.DotnetAsync(ct, "--version")).Output.Trim();
        var compiler = Path.Combine(Verifiers.References.DotnetRoot(), "sdk", sdkVersion, "Roslyn", "bincore", "Microsoft.CodeAnalysis.dll");
        Assert.IsTrue(File.Exists(compiler), compiler);
        var compilerVersion = AssemblyName.GetAssemblyName(compiler).Version!;
        var referenced = typeof(ContractAnalyzer).Assembly.GetReferencedAssemblies().Single(a => a.Name == "Microsoft.CodeAnalysis").Version!;
        Assert.IsTrue(referenced <= compilerVersion, $"analyzer references Microsoft.CodeAnalysis {referenced}, the SDK compiler is {compilerVersion}");
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
        var ct = TestContext.CancellationToken;
        using var consumer = ConsumerProject.Create("xelocked-first-contact-", "<TreatWarningsAsErrors>true</TreatWarningsAsErrors>");
        consumer.Write("Bank.cs", UnannotatedCycleSource);
        var line = UnannotatedCycleSource.Split('\n').Select((text, i) => (text, i)).First(l => l.text.Contains("Post(", StringComparison.Ordinal));
        var place = $"Bank.cs({line.i + 1},{line.text.IndexOf("l.Sync", StringComparison.Ordinal) + 1})";
        var sarif = Path.Combine(consumer.Folder, "build.sarif");
        var errorLog = $"-p:ErrorLog={sarif}%2Cversion=2.1";

        var plain = await consumer.BuildAsync(ct, errorLog);
        Assert.AreEqual(0, plain.ExitCode, plain.ToString());
        Assert.IsFalse(plain.Output.Contains("warning XL", StringComparison.Ordinal) || plain.Output.Contains("error XL", StringComparison.Ordinal), plain.ToString());
        var note = Package.SarifLog.Load(sarif).Results.SingleOrDefault(r => r.RuleId == "XL0011");
        Assert.IsNotNull(note, "the unannotated cycle is not reported at all");
        Assert.AreEqual("note", note.Level);

        consumer.Write(".editorconfig", "root = true\n\n[*.cs]\ndotnet_diagnostic.XL0011.severity = warning\n");
        var optedIn = await consumer.BuildAsync(ct, errorLog);
        Assert.AreNotEqual(0, optedIn.ExitCode, optedIn.ToString());
        StringAssert.Contains(optedIn.Output, place + ": error XL0011", optedIn.ToString());
    }
}
