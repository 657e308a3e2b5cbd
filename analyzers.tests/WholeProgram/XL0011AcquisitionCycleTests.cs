using Microsoft.VisualStudio.TestTools.UnitTesting;
using Verify = XeLocked.Analyzers.Tests.WholeProgram.WholeProgramVerifier;

namespace XeLocked.Analyzers.Tests.WholeProgram;

[TestClass]
public sealed class XL0011AcquisitionCycleTests
{
    // Lines: 1 usings, 2-5 the model, the test's classes from line 6.
    private const string Model = """
        class A { public readonly Mutex Lock = new(); }
        class B { public readonly Mutex Lock = new(); }
        class D { public readonly object Lock = new(); }
        class E { public readonly RwSem Lock = new(); }

        """;

    [TestMethod]
    public Task Abba_AcrossTwoMethods_SpelledOutWithBothPlaces() => Verify.VerifyAsync(Model + """
        class C
        {
            void M1(A a, B b) { a.Lock.Lock(); {|#0:b.Lock.Lock()|}; b.Lock.Unlock(); a.Lock.Unlock(); }
            void M2(A a, B b) { b.Lock.Lock(); {|#1:a.Lock.Lock()|}; a.Lock.Unlock(); b.Lock.Unlock(); }
        }
        """,
        Verify.Diagnostic("XL0011").WithLocation(0).WithLocation(1).WithArguments(
            "A.Lock → B.Lock → A.Lock: B.Lock acquired while A.Lock held at Test0.cs:8; A.Lock acquired while B.Lock held at Test0.cs:9"));

    [TestMethod]
    public Task ThreeCycle_AcrossThreeFiles() => Verify.VerifyAsync(new[]
        {
            Model + """
            class C1 { void M(A a, B b) { a.Lock.Lock(); {|#0:b.Lock.Lock()|}; b.Lock.Unlock(); a.Lock.Unlock(); } }
            """,
            """
            class C2 { void M(B b, D d) { b.Lock.Lock(); lock ({|#1:d.Lock|}) { } b.Lock.Unlock(); } }
            """,
            """
            class C3 { void M(D d, A a) { lock (d.Lock) { using ({|#2:a.Lock.Guard()|}) { } } } }
            """,
        },
        Verify.Diagnostic("XL0011").WithLocation(0).WithLocation(1).WithLocation(2).WithArguments(
            "A.Lock → B.Lock → D.Lock → A.Lock: B.Lock acquired while A.Lock held at Test0.cs:6; D.Lock acquired while B.Lock held at Test1.cs:2; A.Lock acquired while D.Lock held at Test2.cs:2"));

    [TestMethod]
    public Task ThroughCalls_FCallsGWhichTakesB_ReverseElsewhere() => Verify.VerifyAsync(Model + """
        class C
        {
            void M1(A a, B b) { a.Lock.Lock(); {|#0:F(b)|}; a.Lock.Unlock(); }
            void F(B b) { G(b); }
            void G(B b) { using (b.Lock.Guard()) { } }
            void M2(A a, B b) { using (b.Lock.Guard()) { using ({|#1:a.Lock.Guard()|}) { } } }
        }
        """,
        Verify.Diagnostic("XL0011").WithLocation(0).WithLocation(1).WithArguments(
            "A.Lock → B.Lock → A.Lock: B.Lock acquired while A.Lock held at Test0.cs:8 (through F() → G(), which acquires it at Test0.cs:10); A.Lock acquired while B.Lock held at Test0.cs:11"));

    [TestMethod]
    public Task ThroughCalleeAcquiresContract() => Verify.VerifyAsync(Model + """
        class Holder
        {
            public readonly A A = new();
            [Acquires("A.Lock")] public void TakeA() { A.Lock.Lock(); }
        }
        class C
        {
            void M1(Holder h, B b) { b.Lock.Lock(); {|#0:h.TakeA()|}; h.A.Lock.Unlock(); b.Lock.Unlock(); }
            void M2(Holder h, B b) { h.A.Lock.Lock(); {|#1:b.Lock.Lock()|}; b.Lock.Unlock(); h.A.Lock.Unlock(); }
        }
        """,
        Verify.Diagnostic("XL0011").WithLocation(0).WithLocation(1).WithArguments(
            "A.Lock → B.Lock → A.Lock: B.Lock acquired while A.Lock held at Test0.cs:14; A.Lock acquired while B.Lock held at Test0.cs:13"));

    [TestMethod]
    public Task RecursiveCallGraph_SummaryReachesAFixpoint() => Verify.VerifyAsync(Model + """
        class C
        {
            void M1(A a, B b) { a.Lock.Lock(); {|#0:F(b, 3)|}; a.Lock.Unlock(); }
            void F(B b, int n) { if (n > 0) G(b, n - 1); }
            void G(B b, int n) { F(b, n); b.Lock.Lock(); b.Lock.Unlock(); }
            void M2(A a, B b) { b.Lock.Lock(); {|#1:a.Lock.Lock()|}; a.Lock.Unlock(); b.Lock.Unlock(); }
        }
        """,
        Verify.Diagnostic("XL0011").WithLocation(0).WithLocation(1).WithArguments(
            "A.Lock → B.Lock → A.Lock: B.Lock acquired while A.Lock held at Test0.cs:8 (through F() → G(), which acquires it at Test0.cs:10); A.Lock acquired while B.Lock held at Test0.cs:11"));

    [TestMethod]
    public Task DeepCallChain_ShownWithItsMiddleElided()
    {
        // F0 → F1 → … → F11, and only F11 takes B (line 21).
        var chain = string.Concat(Enumerable.Range(0, 11).Select(i => $"    void F{i}(B b) {{ F{i + 1}(b); }}\n"));
        return Verify.VerifyAsync(Model + "class C\n{\n" +
            "    void M1(A a, B b) { a.Lock.Lock(); {|#0:F0(b)|}; a.Lock.Unlock(); }\n" +
            "    void M2(A a, B b) { b.Lock.Lock(); {|#1:a.Lock.Lock()|}; a.Lock.Unlock(); b.Lock.Unlock(); }\n" +
            chain +
            "    void F11(B b) { b.Lock.Lock(); b.Lock.Unlock(); }\n}\n",
            Verify.Diagnostic("XL0011").WithLocation(0).WithLocation(1).WithArguments(
                "A.Lock → B.Lock → A.Lock: B.Lock acquired while A.Lock held at Test0.cs:8 (through F0() → F1() → F2() → F3() → F4() → F5() → … → F11(), which acquires it at Test0.cs:21); " +
                "A.Lock acquired while B.Lock held at Test0.cs:9"));
    }

    [TestMethod]
    public Task ThroughAnInterfaceCall_TheImplementationsBodyCounts() => Verify.VerifyAsync(Model + """
        interface IStore { void Put(B b); }
        sealed class Store : IStore { public void Put(B b) { b.Lock.Lock(); b.Lock.Unlock(); } }
        class C
        {
            void M1(A a, B b, IStore s) { a.Lock.Lock(); {|#0:s.Put(b)|}; a.Lock.Unlock(); }
            void M2(A a, B b) { b.Lock.Lock(); {|#1:a.Lock.Lock()|}; a.Lock.Unlock(); b.Lock.Unlock(); }
        }
        """,
        Verify.Diagnostic("XL0011").WithLocation(0).WithLocation(1).WithArguments(
            "A.Lock → B.Lock → A.Lock: B.Lock acquired while A.Lock held at Test0.cs:10 (through IStore.Put() → Store.Put(), which acquires it at Test0.cs:7); A.Lock acquired while B.Lock held at Test0.cs:11"));

    [TestMethod]
    public Task ThroughAVirtualCall_TheOverridesBodyCounts() => Verify.VerifyAsync(Model + """
        abstract class Handler { public abstract void Run(A a); }
        sealed class Special : Handler { public override void Run(A a) { using (a.Lock.Guard()) { } } }
        class C
        {
            void M1(A a, B b) { b.Lock.Lock(); {|#1:Call(new Special(), a)|}; b.Lock.Unlock(); }
            void Call(Handler h, A a) { h.Run(a); }
            void M2(A a, B b) { a.Lock.Lock(); {|#0:b.Lock.Lock()|}; b.Lock.Unlock(); a.Lock.Unlock(); }
        }
        """,
        Verify.Diagnostic("XL0011").WithLocation(1).WithLocation(0).WithArguments(
            "A.Lock → B.Lock → A.Lock: B.Lock acquired while A.Lock held at Test0.cs:12; A.Lock acquired while B.Lock held at Test0.cs:10 (through Call() → Handler.Run() → Special.Run(), which acquires it at Test0.cs:7)"));

    [TestMethod]
    public Task ThroughAPropertyGetterAndAConstructor() => Verify.VerifyAsync(Model + """
        class Cache
        {
            private readonly B _b;
            public Cache(B b) { _b = b; using (b.Lock.Guard()) { } }
            public int Size { get { using (_b.Lock.Guard()) { return 1; } } }
        }
        class Probe
        {
            public Probe(A a) { a.Lock.Lock(); a.Lock.Unlock(); }
        }
        class C
        {
            int M1(A a, Cache c) { a.Lock.Lock(); var n = {|#0:c.Size|}; a.Lock.Unlock(); return n; }
            void M2(A a, B b) { b.Lock.Lock(); _ = {|#1:new Probe(a)|}; b.Lock.Unlock(); }
        }
        """,
        Verify.Diagnostic("XL0011").WithLocation(0).WithLocation(1).WithArguments(
            "A.Lock → B.Lock → A.Lock: B.Lock acquired while A.Lock held at Test0.cs:18 (through Size.get, which acquires it at Test0.cs:10); A.Lock acquired while B.Lock held at Test0.cs:19 (through new Probe(), which acquires it at Test0.cs:14)"));

    [TestMethod]
    public Task SameCycleSeenManyTimes_ReportedOnceAtTheFirstPlace() => Verify.VerifyAsync(Model + """
        class C
        {
            void M1(A a, B b) { a.Lock.Lock(); {|#0:b.Lock.Lock()|}; b.Lock.Unlock(); a.Lock.Unlock(); }
            void M2(A a, B b) { b.Lock.Lock(); {|#1:a.Lock.Lock()|}; a.Lock.Unlock(); b.Lock.Unlock(); }
            void M3(A a, B b) { a.Lock.Lock(); b.Lock.Lock(); b.Lock.Unlock(); a.Lock.Unlock(); }
            void M4(A a, B b) { b.Lock.Lock(); a.Lock.Lock(); a.Lock.Unlock(); b.Lock.Unlock(); }
            void M5(A a, B b) { a.Lock.Lock(); Helper(b); a.Lock.Unlock(); }
            void Helper(B b) { b.Lock.Lock(); b.Lock.Unlock(); }
        }
        """,
        Verify.Diagnostic("XL0011").WithLocation(0).WithLocation(1).WithArguments(
            "A.Lock → B.Lock → A.Lock: B.Lock acquired while A.Lock held at Test0.cs:8; A.Lock acquired while B.Lock held at Test0.cs:9"));

    [TestMethod]
    public Task TwoDistinctCycles_EachReported() => Verify.VerifyAsync(Model + """
        class C
        {
            void M1(A a, B b) { a.Lock.Lock(); {|#0:b.Lock.Lock()|}; b.Lock.Unlock(); a.Lock.Unlock(); }
            void M2(A a, B b) { b.Lock.Lock(); {|#1:a.Lock.Lock()|}; a.Lock.Unlock(); b.Lock.Unlock(); }
            void M3(E e, D d) { e.Lock.LockRead(); lock ({|#2:d.Lock|}) { } e.Lock.UnlockRead(); }
            void M4(E e, D d) { lock (d.Lock) { {|#3:e.Lock.LockWrite()|}; e.Lock.UnlockWrite(); } }
        }
        """,
        Verify.Diagnostic("XL0011").WithLocation(0).WithLocation(1).WithArguments(
            "A.Lock → B.Lock → A.Lock: B.Lock acquired while A.Lock held at Test0.cs:8; A.Lock acquired while B.Lock held at Test0.cs:9"),
        Verify.Diagnostic("XL0011").WithLocation(2).WithLocation(3).WithArguments(
            "D.Lock → E.Lock → D.Lock: E.Lock acquired while D.Lock held at Test0.cs:11; D.Lock acquired while E.Lock held at Test0.cs:10"));

    // ---- no cycle to report ----

    [TestMethod]
    public Task ConsistentOrder_NoCycle() => Verify.VerifyAsync(Model + """
        class C
        {
            void M1(A a, B b) { a.Lock.Lock(); b.Lock.Lock(); b.Lock.Unlock(); a.Lock.Unlock(); }
            void M2(A a, B b, D d) { a.Lock.Lock(); F(b, d); a.Lock.Unlock(); }
            void F(B b, D d) { b.Lock.Lock(); lock (d.Lock) { } b.Lock.Unlock(); }
            void M3(B b, D d) { using (b.Lock.Guard()) { lock (d.Lock) { } } }
        }
        """);

    [TestMethod]
    public Task SequentialNotNested_NoCycle() => Verify.VerifyAsync(Model + """
        class C
        {
            void M1(A a, B b) { a.Lock.Lock(); a.Lock.Unlock(); b.Lock.Lock(); b.Lock.Unlock(); }
            void M2(A a, B b) { b.Lock.Lock(); b.Lock.Unlock(); a.Lock.Lock(); a.Lock.Unlock(); }
            void M3(A a, B b) { a.Lock.Lock(); a.Lock.Unlock(); F(b); }
            void F(B b) { b.Lock.Lock(); b.Lock.Unlock(); }
            void M4(A a, B b) { b.Lock.Lock(); G(); b.Lock.Unlock(); }
            void G() { }
        }
        """);

    [TestMethod]
    public Task TryAcquireInTheReverseOrder_CannotDeadlock() => Verify.VerifyAsync(Model + """
        class C
        {
            void M1(A a, B b) { a.Lock.Lock(); b.Lock.Lock(); b.Lock.Unlock(); a.Lock.Unlock(); }
            void M2(A a, B b) { b.Lock.Lock(); if (a.Lock.TryLock()) { a.Lock.Unlock(); } b.Lock.Unlock(); }
        }
        """);

    [TestMethod]
    public Task CycleForbiddenByDeclaredOrder_IsXL0001Only() => Verify.VerifyAsync("""
        class A { [LockOrder(Before = new[] { "B.Lock" })] public readonly Mutex Lock = new(); }
        class B { [LockOrder(After = new[] { "A.Lock" })] public readonly Mutex Lock = new(); }
        class C
        {
            void M1(A a, B b) { a.Lock.Lock(); b.Lock.Lock(); b.Lock.Unlock(); a.Lock.Unlock(); }
            void M2(A a, B b) { b.Lock.Lock(); {|#0:a.Lock.Lock()|}; a.Lock.Unlock(); b.Lock.Unlock(); }
        }
        """,
        Verify.Diagnostic("XL0001").WithLocation(0).WithArguments("a.Lock", "b.Lock", "A.Lock", "B.Lock"));

    [TestMethod]
    public Task CycleThroughCallsForbiddenByDeclaredOrder_NoXL0011() => Verify.VerifyAsync("""
        class A { [LockOrder(Before = new[] { "B.Lock" })] public readonly Mutex Lock = new(); }
        class B { public readonly Mutex Lock = new(); }
        class C
        {
            void M1(A a, B b) { a.Lock.Lock(); F(b); a.Lock.Unlock(); }
            void F(B b) { b.Lock.Lock(); b.Lock.Unlock(); }
            void M2(A a, B b) { b.Lock.Lock(); {|#0:a.Lock.Lock()|}; a.Lock.Unlock(); b.Lock.Unlock(); }
        }
        """,
        Verify.Diagnostic("XL0001").WithLocation(0).WithArguments("a.Lock", "b.Lock", "A.Lock", "B.Lock"));

    [TestMethod]
    public Task ReverseNestingThroughACall_IsXL0001AtTheCall_AndNotAnEdgeOfAnyCycle() => Verify.VerifyAsync("""
        class A { [LockOrder(Before = new[] { "B.Lock" })] public readonly Mutex Lock = new(); }
        class B { public readonly Mutex Lock = new(); }
        class C
        {
            void M1(A a, B b) { a.Lock.Lock(); b.Lock.Lock(); b.Lock.Unlock(); a.Lock.Unlock(); }
            void M2(A a, B b) { b.Lock.Lock(); {|#0:F(a)|}; b.Lock.Unlock(); }
            void F(A a) { a.Lock.Lock(); a.Lock.Unlock(); }
        }
        """,
        Verify.ThroughCall().WithLocation(0).WithArguments("A.Lock", "F(), which acquires it at Test0.cs:8", "b.Lock", "B.Lock"));

    [TestMethod]
    public Task TwoInstancesOfOneClass_NotAnEdge() => Verify.VerifyAsync(Model + """
        class C
        {
            void M1(A x, A y) { x.Lock.Lock(); y.Lock.LockNested(1); y.Lock.Unlock(); x.Lock.Unlock(); }
            void M2(A x, A y) { y.Lock.Lock(); x.Lock.LockNested(1); x.Lock.Unlock(); y.Lock.Unlock(); }
        }
        """);

    [TestMethod]
    public Task LambdaStoredNotRun_NotPartOfTheCallersSummary() => Verify.VerifyAsync(Model + """
        class C
        {
            Action? _later;
            void M1(A a, B b) { a.Lock.Lock(); F(b); a.Lock.Unlock(); }
            void F(B b) { _later = () => { b.Lock.Lock(); b.Lock.Unlock(); }; }
            void M2(A a, B b) { b.Lock.Lock(); a.Lock.Lock(); a.Lock.Unlock(); b.Lock.Unlock(); }
        }
        """);

    [TestMethod]
    public Task CallsMadeWithNothingHeld_AddNoEdge() => Verify.VerifyAsync(Model + """
        class C
        {
            void M1(A a, B b) { F(a); G(b); }
            void F(A a) { a.Lock.Lock(); a.Lock.Unlock(); }
            void G(B b) { b.Lock.Lock(); b.Lock.Unlock(); }
            void M2(A a, B b) { b.Lock.Lock(); a.Lock.Lock(); a.Lock.Unlock(); b.Lock.Unlock(); }
        }
        """);

    [TestMethod]
    public Task CallsIntoMethodsOutsideTheCompilation_AddNoEdge() => Verify.VerifyAsync(Model + """
        class C
        {
            void M1(A a, B b, System.Collections.Generic.List<int> list) { a.Lock.Lock(); list.Add(1); _ = string.Join(",", list); a.Lock.Unlock(); }
            void M2(A a, B b) { b.Lock.Lock(); a.Lock.Lock(); a.Lock.Unlock(); b.Lock.Unlock(); }
        }
        """);

    [TestMethod]
    public Task CodeThatDoesNotCompile_NoCrash() => Verify.VerifyBrokenCodeAsync(Model + """
        class C
        {
            void M1(A a, B b) { a.Lock.Lock(); Missing(b); a.Lock.Unlock(); }
            void M2(A a, B b) { b.Lock.Lock(); a.Lock.Lock(; b.Lock.Unlock(); }
            void M3(Unknown u) { lock (u.Lock) { u.Go(); } }
        }
        """);

    [TestMethod]
    public Task CodeWithoutLocks_NoDiagnosticNoCrash() => Verify.VerifyAsync("""
        class C
        {
            int F(int n) => n <= 0 ? 0 : G(n - 1);
            int G(int n) => F(n) + 1;
        }
        """);
}
