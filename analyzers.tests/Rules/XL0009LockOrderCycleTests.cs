using Microsoft.VisualStudio.TestTools.UnitTesting;
using Verify = XeLocked.Analyzers.Tests.Verifiers.AnalyzerVerifier<XeLocked.Analyzers.Rules.ContractAnalyzer>;

namespace XeLocked.Analyzers.Tests.Rules;

[TestClass]
public sealed class XL0009LockOrderCycleTests
{
    [TestMethod]
    public Task TwoClassCycle_ReportedOnceAndSpelledOut() => Verify.VerifyAsync("""
        class A { [LockOrder(Before = new[] { "B.Lock" })] public readonly object Lock = new(); }
        class B { [LockOrder(Before = new[] { "A.Lock" })] public readonly object Lock = new(); }
        """,
        Verify.Diagnostic("XL0009").WithSpan(2, 12, 2, 50).WithArguments("A.Lock -> B.Lock -> A.Lock"));

    [TestMethod]
    public Task ThreeClassCycleThroughAfterAndBefore() => Verify.VerifyAsync("""
        class A { [LockOrder(Before = new[] { "B.Lock" })] public readonly object Lock = new(); }
        class B { [LockOrder(Before = new[] { "C.Lock" })] public readonly object Lock = new(); }
        class C { [LockOrder(After = new[] { "B.Lock" }, Before = new[] { "A.Lock" })] public readonly object Lock = new(); }
        """,
        Verify.Diagnostic("XL0009").WithSpan(2, 12, 2, 50).WithArguments("A.Lock -> B.Lock -> C.Lock -> A.Lock"));

    [TestMethod]
    public Task SelfEdge_IsACycle() => Verify.VerifyAsync("""
        class A { [{|XL0009:LockOrder(Before = new[] { "A.Lock" })|}] public readonly object Lock = new(); }
        """);

    [TestMethod]
    public Task TwoSeparateCycles_ReportedOnceEach() => Verify.VerifyAsync("""
        class A { [{|XL0009:LockOrder(Before = new[] { "B.Lock" })|}] public readonly object Lock = new(); }
        class B { [LockOrder(Before = new[] { "A.Lock" })] public readonly object Lock = new(); }
        class C { [{|XL0009:LockOrder(Before = new[] { "D.Lock" })|}] public readonly object Lock = new(); }
        class D { [LockOrder(Before = new[] { "C.Lock" })] public readonly object Lock = new(); }
        """);

    [TestMethod]
    public Task Chain_IsNotACycle() => Verify.VerifyAsync("""
        class A { [LockOrder(Before = new[] { "B.Lock" })] public readonly object Lock = new(); }
        class B { [LockOrder(Before = new[] { "C.Lock" })] public readonly object Lock = new(); }
        class C { [LockOrder(After = new[] { "A.Lock", "B.Lock" })] public readonly object Lock = new(); }
        """);

    [TestMethod]
    public Task Diamond_IsNotACycle() => Verify.VerifyAsync("""
        class A { [LockOrder(Before = new[] { "B.Lock", "C.Lock" })] public readonly object Lock = new(); }
        class B { [LockOrder(Before = new[] { "D.Lock" })] public readonly object Lock = new(); }
        class C { [LockOrder(Before = new[] { "D.Lock" })] public readonly object Lock = new(); }
        class D { public readonly object Lock = new(); }
        """);

    [TestMethod]
    public Task SameEdgeDeclaredTwice_IsNotACycle() => Verify.VerifyAsync("""
        class A { [LockOrder(Before = new[] { "B.Lock" })] public readonly object Lock = new(); }
        class B { [LockOrder(After = new[] { "A.Lock" })] public readonly object Lock = new(); }
        """);

    [TestMethod]
    public Task OrderAcrossNamespacesWithQualifiedNames_IsNotACycle() => Verify.VerifyAsync("""
        namespace A { class Outer { [LockOrder(Before = new[] { "B.Inner.Lock" })] public readonly object Lock = new(); } }
        namespace B { class Inner { [LockOrder(After = new[] { "A.Outer.Lock" })] public readonly object Lock = new(); } }
        """);
}
