using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace XeLocked.Analyzers.Tests.Rules;

/// <summary>
/// Every XL analyzer over code that does not compile or uses unusual shapes (async, iterators,
/// switch expressions, pattern matching, nested lambdas, goto, exception filters): no analyzer
/// exception (AD0001) on any of them.
/// </summary>
[TestClass]
public sealed class RobustnessTests
{
    private static readonly string[] Snippets =
    [
        "class C { object _o = new(); [GuardedBy(\"_o\")] int _x; void M() { lock (_o { _x++; } } }",
        "class C { [Requires(\"\")] void M() { M(); } [Requires(\"a.b.c\")] void N(int a) { N(1); } }",
        "class C { Mutex _m = new(); [GuardedBy(\"_m\")] int _x; void M() { _m.Lock(; _x = ; } }",
        "class C { Mutex _m = new(); [GuardedBy(\"_m\")] int _x; async System.Threading.Tasks.Task M() { _m.Lock(); await System.Threading.Tasks.Task.Yield(); _x++; _m.Unlock(); } }",
        "class C { Mutex _m = new(); [GuardedBy(\"_m\")] int _x; System.Collections.Generic.IEnumerable<int> M() { using (_m.Guard()) { yield return _x; } } }",
        "class C { Mutex _m = new(); [GuardedBy(\"_m\")] int _x; int M(object o) => o switch { int i when i > _x => 1, string s => s.Length, _ => 0 }; }",
        "class C { Mutex _m = new(); [GuardedBy(\"_m\")] int _x; void M() { Func<Func<int>> f = () => () => _x; using (_m.Guard()) { f()(); } } }",
        "class C { Mutex _m = new(); void M(int n) { a: _m.Lock(); try { if (n-- > 0) goto a; } catch (Exception e) when (e.Message.Length > 0) { } finally { _m.Unlock(); } } }",
        "class C { RwSem _r = new(); [GuardedBy(\"_r\")] int _x; void M() { _r.LockRead(); switch (_x) { case 1: _r.UnlockRead(); return; default: break; } _r.UnlockRead(); } }",
        "class C { Unknown _u; [GuardedBy(\"_u\")] int _x; void M() { _u.Lock(); _x++; Missing.Call(_x); } }",
        "class C { [LockOrder(Before = new[] { null, \"C.L\", \"\" })] object L = new(); void M() { lock (L) { } } }",
        "class C { Mutex[] _ms = new Mutex[2]; void M() { foreach (var m in _ms) { m.Lock(); } foreach (var m in _ms) { m.Unlock(); } } }",
        "class C { Mutex _m = new(); void M() { while (true) { if (_m.TryLock()) break; } _m.Unlock(); } void N() { do { } while (!_m.TryLock()); _m.Unlock(); } }",
        "class C { object _o = new(); int _x; void M() { lock (_o) lock (_o) { _x = _x is > 3 and < 9 ? 1 : 2; } } ~C() { } C() : this(1) { } C(int i) { } }",
        "record R(int X) { object _o = new(); [GuardedBy(\"_o\")] public int Y { get; init; } void M() { var r = this with { Y = 2 }; } }",
        "class C { Mutex _m = new(); [GuardedBy(\"_m\")] int _x; void M() { ref int r = ref _x; r++; (_x, _x) = (1, 2); _x ??= 0; } }",
    ];

    [TestMethod]
    public async Task NoAnalyzerException_OnBrokenOrUnusualCode()
    {
        var analyzers = typeof(XeLocked.Analyzers.Rules.ContractAnalyzer).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t))
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToImmutableArray();
        // Every rule's analyzer is in the run (found by reflection, so new analyzers join automatically).
        var ids = analyzers.SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).ToHashSet();
        var core = new[] { "XL0001", "XL0002", "XL0003", "XL0004", "XL0005", "XL0006", "XL0007", "XL0008", "XL0009", "XL0010", "XL0012" };
        Assert.IsTrue(core.All(ids.Contains), "missing analyzers for: " + string.Join(", ", core.Where(id => !ids.Contains(id))));
        foreach (var snippet in Snippets)
        {
            var trees = new[]
            {
                CSharpSyntaxTree.ParseText(Verifiers.AnalyzerVerifier<XeLocked.Analyzers.Rules.ContractAnalyzer>.Usings + snippet),
                CSharpSyntaxTree.ParseText(Verifiers.FlowVerifier<XeLocked.Analyzers.Rules.ContractAnalyzer>.Primitives),
            };
            var compilation = CSharpCompilation.Create("Robust", trees, Verifiers.References.All,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
            var exceptions = new List<string>();
            var options = new CompilationWithAnalyzersOptions(new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
                (e, a, d) => exceptions.Add(a + ": " + e), concurrentAnalysis: true, logAnalyzerExecutionTime: false);
            var diagnostics = await compilation.WithAnalyzers(analyzers, options).GetAnalyzerDiagnosticsAsync();
            Assert.AreEqual(0, exceptions.Count, snippet + "\n" + string.Join("\n", exceptions));
            Assert.IsFalse(diagnostics.Any(d => d.Id == "AD0001"), snippet + "\n" + string.Join("\n", diagnostics));
        }
    }
}
