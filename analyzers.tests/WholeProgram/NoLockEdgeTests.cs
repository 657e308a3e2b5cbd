using Microsoft.VisualStudio.TestTools.UnitTesting;
using Verify = XeLocked.Analyzers.Tests.WholeProgram.WholeProgramVerifier;

namespace XeLocked.Analyzers.Tests.WholeProgram;

/// <summary>
/// <c>[NoLockEdge(held, acquired, Justification = …)]</c> removes the nesting its body makes from the
/// XL0011 graph, and only that one; a malformed attribute is reported (XL0010, XL0015) and removes nothing.
/// </summary>
[TestClass]
public sealed class NoLockEdgeTests
{
    // Lines: 1 usings, 2-4 the model, the test's classes from line 5.
    private const string Model = """
        class A { public readonly Mutex Lock = new(); }
        class B { public readonly Mutex Lock = new(); }
        class D { public readonly Mutex Lock = new(); }

        """;

    [TestMethod]
    public Task EdgeRemoved_NoCycleThroughIt_AnotherCycleStillReported() => Verify.VerifyAsync(Model + """
        class C
        {
            void M1(A a, B b) { a.Lock.Lock(); b.Lock.Lock(); b.Lock.Unlock(); a.Lock.Unlock(); }
            [NoLockEdge("B.Lock", "A.Lock", Justification = "this A is private to the thread until M2 returns")]
            void M2(A a, B b) { b.Lock.Lock(); a.Lock.Lock(); a.Lock.Unlock(); b.Lock.Unlock(); }
            void M3(B b, D d) { b.Lock.Lock(); {|#0:d.Lock.Lock()|}; d.Lock.Unlock(); b.Lock.Unlock(); }
            void M4(B b, D d) { d.Lock.Lock(); {|#1:b.Lock.Lock()|}; b.Lock.Unlock(); d.Lock.Unlock(); }
        }
        """,
        Verify.Diagnostic("XL0011").WithLocation(0).WithLocation(1).WithArguments(
            "B.Lock → D.Lock → B.Lock: D.Lock acquired while B.Lock held at Test0.cs:10; B.Lock acquired while D.Lock held at Test0.cs:11"));

    [TestMethod]
    public Task EdgeThroughACallRemoved_AtTheCaller() => Verify.VerifyAsync(Model + """
        class C
        {
            void M1(A a, B b) { a.Lock.Lock(); b.Lock.Lock(); b.Lock.Unlock(); a.Lock.Unlock(); }
            [NoLockEdge("B.Lock", "A.Lock", Justification = "F only locks an A it creates")]
            void M2(A a, B b) { b.Lock.Lock(); F(a); b.Lock.Unlock(); }
            void F(A a) { a.Lock.Lock(); a.Lock.Unlock(); }
        }
        """);

    [TestMethod]
    public Task OnALocalFunctionOrALambda_OrOnTheMethodAroundThem() => Verify.VerifyAsync(Model + """
        class C
        {
            void M1(A a, B b) { a.Lock.Lock(); b.Lock.Lock(); b.Lock.Unlock(); a.Lock.Unlock(); }
            void M2(A a, B b)
            {
                [NoLockEdge("B.Lock", "A.Lock", Justification = "the A is private here")]
                void Inner() { b.Lock.Lock(); a.Lock.Lock(); a.Lock.Unlock(); b.Lock.Unlock(); }
                Inner();
                Action run = [NoLockEdge("B.Lock", "A.Lock", Justification = "the A is private here")] () => { b.Lock.Lock(); a.Lock.Lock(); a.Lock.Unlock(); b.Lock.Unlock(); };
                run();
            }
            [NoLockEdge("B.Lock", "A.Lock", Justification = "covers the local function")]
            void M3(A a, B b)
            {
                void Inner() { b.Lock.Lock(); a.Lock.Lock(); a.Lock.Unlock(); b.Lock.Unlock(); }
                Inner();
            }
        }
        """);

    [TestMethod]
    public Task OnAPropertyOrAConstructor() => Verify.VerifyAsync(Model + """
        class C
        {
            private readonly A _a = new();
            private readonly B _b = new();
            void M1() { _a.Lock.Lock(); _b.Lock.Lock(); _b.Lock.Unlock(); _a.Lock.Unlock(); }
            [NoLockEdge("B.Lock", "A.Lock", Justification = "reviewed")]
            int P { get { _b.Lock.Lock(); _a.Lock.Lock(); _a.Lock.Unlock(); _b.Lock.Unlock(); return 0; } }
            [NoLockEdge("B.Lock", "A.Lock", Justification = "reviewed")]
            C(A a, B b) { b.Lock.Lock(); a.Lock.Lock(); a.Lock.Unlock(); b.Lock.Unlock(); }
        }
        """);

    [TestMethod]
    public Task OnlyThatBody_TheSameNestingElsewhereStillClosesTheCycle() => Verify.VerifyAsync(Model + """
        class C
        {
            void M1(A a, B b) { a.Lock.Lock(); {|#0:b.Lock.Lock()|}; b.Lock.Unlock(); a.Lock.Unlock(); }
            [NoLockEdge("B.Lock", "A.Lock", Justification = "this A is private to the thread until M2 returns")]
            void M2(A a, B b) { b.Lock.Lock(); a.Lock.Lock(); a.Lock.Unlock(); b.Lock.Unlock(); }
            void M3(A a, B b) { b.Lock.Lock(); {|#1:a.Lock.Lock()|}; a.Lock.Unlock(); b.Lock.Unlock(); }
        }
        """,
        Verify.Diagnostic("XL0011").WithLocation(0).WithLocation(1).WithArguments(
            "A.Lock → B.Lock → A.Lock: B.Lock acquired while A.Lock held at Test0.cs:7; A.Lock acquired while B.Lock held at Test0.cs:10"));

    [TestMethod]
    public Task OnlyThatDirection() => Verify.VerifyAsync(Model + """
        class C
        {
            void M1(A a, B b) { a.Lock.Lock(); {|#0:b.Lock.Lock()|}; b.Lock.Unlock(); a.Lock.Unlock(); }
            [{|#2:NoLockEdge("A.Lock", "B.Lock", Justification = "names the other direction")|}]
            void M2(A a, B b) { b.Lock.Lock(); {|#1:a.Lock.Lock()|}; a.Lock.Unlock(); b.Lock.Unlock(); }
        }
        """,
        Verify.Diagnostic("XL0011").WithLocation(0).WithLocation(1).WithArguments(
            "A.Lock → B.Lock → A.Lock: B.Lock acquired while A.Lock held at Test0.cs:7; A.Lock acquired while B.Lock held at Test0.cs:9"),
        Verify.Unused().WithLocation(2).WithArguments(
            "removes no edge: this code makes no nesting of 'B.Lock' while 'A.Lock' is held, directly or through its calls; remove it"));

    [TestMethod]
    public Task StaleExemption_TheBodyNoLongerMakesTheNesting_Reported() => Verify.VerifyAsync(Model + """
        class C
        {
            [{|#0:NoLockEdge("B.Lock", "A.Lock", Justification = "was needed once")|}]
            void M(A a, B b) { a.Lock.Lock(); b.Lock.Lock(); b.Lock.Unlock(); a.Lock.Unlock(); }
        }
        """,
        Verify.Unused().WithLocation(0).WithArguments(
            "removes no edge: this code makes no nesting of 'A.Lock' while 'B.Lock' is held, directly or through its calls; remove it"));

    [TestMethod]
    public Task ExemptionOfANestingTheOrderForbids_StillXL0001_NotStale() => Verify.VerifyAsync("""
        class A { [LockOrder(Before = new[] { "B.Lock" })] public readonly Mutex Lock = new(); }
        class B { public readonly Mutex Lock = new(); }
        class C
        {
            [NoLockEdge("B.Lock", "A.Lock", Justification = "does not silence a declared order")]
            void M(A a, B b) { b.Lock.Lock(); {|#0:a.Lock.Lock()|}; a.Lock.Unlock(); {|#1:F(a)|}; b.Lock.Unlock(); }
            void F(A a) { a.Lock.Lock(); a.Lock.Unlock(); }
        }
        """,
        Verify.Diagnostic("XL0001").WithLocation(0).WithArguments("a.Lock", "b.Lock", "A.Lock", "B.Lock"),
        Verify.ThroughCall().WithLocation(1).WithArguments("A.Lock", "F(), which acquires it at Test0.cs:8", "b.Lock", "B.Lock"));

    [TestMethod]
    public Task WithoutJustification_ReportedAndExemptsNothing() => Verify.VerifyAsync(Model + """
        class C
        {
            void M1(A a, B b) { a.Lock.Lock(); {|#0:b.Lock.Lock()|}; b.Lock.Unlock(); a.Lock.Unlock(); }
            [{|#2:NoLockEdge("B.Lock", "A.Lock")|}]
            void M2(A a, B b) { b.Lock.Lock(); {|#1:a.Lock.Lock()|}; a.Lock.Unlock(); b.Lock.Unlock(); }
        }
        """,
        Verify.Diagnostic("XL0011").WithLocation(0).WithLocation(1).WithArguments(
            "A.Lock → B.Lock → A.Lock: B.Lock acquired while A.Lock held at Test0.cs:7; A.Lock acquired while B.Lock held at Test0.cs:9"),
        Verify.Diagnostic("XL0015").WithLocation(2).WithArguments("needs a Justification saying why this nesting cannot take part in a deadlock"));

    [TestMethod]
    public Task EmptyJustification_UnknownClass_SameClassTwice_Reported() => Verify.VerifyAsync(Model + """
        class C
        {
            [NoLockEdge("B.Lock", "A.Lock", Justification = {|#0:" "|})]
            void M1(A a, B b) { }
            [NoLockEdge("{|#1:Nope|}.Lock", "A.Lock", Justification = "typo")]
            void M2(A a) { }
            [NoLockEdge("B.{|#2:Lokc|}", "A.Lock", Justification = "typo")]
            void M3(A a) { }
            [{|#3:NoLockEdge("A.Lock", "A.Lock", Justification = "one class")|}]
            void M4(A a) { }
        }
        """,
        Verify.Diagnostic("XL0015").WithLocation(0).WithArguments("needs a Justification saying why this nesting cannot take part in a deadlock"),
        Verify.Diagnostic("XL0010").WithLocation(1).WithArguments("Nope.Lock", "no type named 'Nope'"),
        Verify.Diagnostic("XL0010").WithLocation(2).WithArguments("B.Lokc", "'Lokc' is not a member of 'B'"),
        Verify.Unused().WithLocation(3).WithArguments(
            "removes nothing: this code takes no instance of 'A.Lock' while holding another one; remove it"));

    [TestMethod]
    public Task OneClassTwice_UsedByAnOrderedNestingOfTwoInstances_NotReported() => Verify.VerifyAsync(Model + """
        class C
        {
            [NoLockEdge("A.Lock", "A.Lock", Justification = "the lower index first")]
            void M(A x, A y, int i, int j)
            {
                var first = i < j ? x : y;
                var second = i < j ? y : x;
                first.Lock.Lock(); second.Lock.Lock(); second.Lock.Unlock(); first.Lock.Unlock();
            }
        }
        """);

    [TestMethod]
    public Task OnABodyWithNoLockOperation_RemovesNothing_Reported() => Verify.VerifyAsync(Model + """
        class C
        {
            [{|#0:NoLockEdge("B.Lock", "A.Lock", Justification = "the edge is made by a caller, not here")|}]
            static C Create() => new C();
        }
        """,
        Verify.Unused().WithLocation(0).WithArguments(
            "removes no edge: this code makes no nesting of 'A.Lock' while 'B.Lock' is held, directly or through its calls; remove it"));

    // ---- suppressing the report where it is reported still works ----

    [TestMethod]
    public Task PragmaAtTheReportLocation_SuppressesTheCycle() => Verify.VerifyAsync(Model + """
        class C
        {
        #pragma warning disable XL0011 // the A here is private to the thread
            void M1(A a, B b) { a.Lock.Lock(); b.Lock.Lock(); b.Lock.Unlock(); a.Lock.Unlock(); }
        #pragma warning restore XL0011
            void M2(A a, B b) { b.Lock.Lock(); a.Lock.Lock(); a.Lock.Unlock(); b.Lock.Unlock(); }
        }
        """);

    [TestMethod]
    public Task PragmaAtTheOtherEdge_DoesNotSuppress() => Verify.VerifyAsync(Model + """
        class C
        {
            void M1(A a, B b) { a.Lock.Lock(); {|#0:b.Lock.Lock()|}; b.Lock.Unlock(); a.Lock.Unlock(); }
        #pragma warning disable XL0011 // a pragma at the other edge, not where the cycle is reported: it must not silence it
            void M2(A a, B b) { b.Lock.Lock(); {|#1:a.Lock.Lock()|}; a.Lock.Unlock(); b.Lock.Unlock(); }
        #pragma warning restore XL0011
        }
        """,
        Verify.Diagnostic("XL0011").WithLocation(0).WithLocation(1).WithArguments(
            "A.Lock → B.Lock → A.Lock: B.Lock acquired while A.Lock held at Test0.cs:7; A.Lock acquired while B.Lock held at Test0.cs:9"));

    [TestMethod]
    public Task SuppressMessageOnTheMethodOfTheReport_SuppressesTheCycle() => Verify.VerifyAsync(Model + """
        class C
        {
            [System.Diagnostics.CodeAnalysis.SuppressMessage("Locking", "XL0011", Justification = "the A here is private to the thread")]
            void M1(A a, B b) { a.Lock.Lock(); b.Lock.Lock(); b.Lock.Unlock(); a.Lock.Unlock(); }
            void M2(A a, B b) { b.Lock.Lock(); a.Lock.Lock(); a.Lock.Unlock(); b.Lock.Unlock(); }
        }
        """);

    [TestMethod]
    public Task PragmaAndSuppressMessage_AlsoSilenceXL0001ThroughACall() => Verify.VerifyAsync("""
        class A { [LockOrder(Before = new[] { "B.Lock" })] public readonly Mutex Lock = new(); }
        class B { public readonly Mutex Lock = new(); }
        class C
        {
        #pragma warning disable XL0001 // test input: F's lock is never held with B's by another path
            void M1(A a, B b) { b.Lock.Lock(); F(a); b.Lock.Unlock(); }
        #pragma warning restore XL0001
            [System.Diagnostics.CodeAnalysis.SuppressMessage("Locking", "XL0001", Justification = "test input: F's lock is never held with B's by another path")]
            void M2(A a, B b) { b.Lock.Lock(); F(a); b.Lock.Unlock(); }
            void F(A a) { a.Lock.Lock(); a.Lock.Unlock(); }
        }
        """);
}
