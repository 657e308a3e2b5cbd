using Microsoft.VisualStudio.TestTools.UnitTesting;
using Verify = XeLocked.Analyzers.Tests.WholeProgram.WholeProgramVerifier;

namespace XeLocked.Analyzers.Tests.WholeProgram;

/// <summary>
/// XL0001 through calls: holding B and calling something that, through any chain of calls of the
/// compilation, acquires A where <c>[LockOrder]</c> puts A before B is XL0001 at the call, once, with
/// the chain down to the acquisition, and that nesting is never an edge of an XL0011 cycle.
/// </summary>
[TestClass]
public sealed class XL0001ThroughCallsTests
{
    // Lines: 1 usings, 2-4 the model (A before B before D), the test's classes from line 5.
    private const string Model = """
        class A { [LockOrder(Before = new[] { "B.Lock" })] public readonly Mutex Lock = new(); }
        class B { [LockOrder(Before = new[] { "D.Lock" })] public readonly Mutex Lock = new(); }
        class D { public readonly object Lock = new(); }

        """;

    [TestMethod]
    public Task TwoCallsDeep_ReportedAtTheCall_WithTheChain() => Verify.VerifyAsync(Model + """
        class C
        {
            void M(A a, B b) { b.Lock.Lock(); {|#0:Post(a)|}; b.Lock.Unlock(); }
            void Post(A a) { Append(a); }
            void Append(A a) { using (a.Lock.Guard()) { } }
        }
        """,
        Verify.ThroughCall().WithLocation(0).WithArguments("A.Lock", "Post() → Append(), which acquires it at Test0.cs:9", "b.Lock", "B.Lock"));

    [TestMethod]
    public Task DeclaredBeforeTransitively_AThenBThenD() => Verify.VerifyAsync(Model + """
        class C
        {
            void M(A a, D d) { lock (d.Lock) { {|#0:F(a)|}; } }
            void F(A a) { a.Lock.Lock(); a.Lock.Unlock(); }
        }
        """,
        Verify.ThroughCall().WithLocation(0).WithArguments("A.Lock", "F(), which acquires it at Test0.cs:8", "d.Lock", "D.Lock"));

    [TestMethod]
    public Task HeldByTheCallersRequires_CountsAsHeld() => Verify.VerifyAsync(Model + """
        class C
        {
            [Requires("b.Lock")] void M(A a, B b) { {|#0:F(a)|}; }
            void F(A a) { a.Lock.Lock(); a.Lock.Unlock(); }
        }
        """,
        Verify.ThroughCall().WithLocation(0).WithArguments("A.Lock", "F(), which acquires it at Test0.cs:8", "b.Lock", "B.Lock"));

    [TestMethod]
    public Task SeveralWaysDown_ReportedOncePerCall() => Verify.VerifyAsync(Model + """
        class C
        {
            void M(A a, B b) { b.Lock.Lock(); {|#0:F(a)|}; {|#1:F(a)|}; b.Lock.Unlock(); }
            void F(A a) { G(a); H(a); }
            void G(A a) { a.Lock.Lock(); a.Lock.Unlock(); }
            void H(A a) { using (a.Lock.Guard()) { } }
        }
        """,
        Verify.ThroughCall().WithLocation(0).WithArguments("A.Lock", "F() → G(), which acquires it at Test0.cs:9", "b.Lock", "B.Lock"),
        Verify.ThroughCall().WithLocation(1).WithArguments("A.Lock", "F() → G(), which acquires it at Test0.cs:9", "b.Lock", "B.Lock"));

    [TestMethod]
    public Task OneCallAnalyzedOncePerRequiresAlternative_ReportedOnce() => Verify.VerifyAsync(Model + """
        class C
        {
            [Requires("b1.Lock | b2.Lock")] void M(A a, B b1, B b2) { {|#0:F(a)|}; }
            void F(A a) { a.Lock.Lock(); a.Lock.Unlock(); }
        }
        """,
        Verify.ThroughCall().WithLocation(0).WithArguments("A.Lock", "F(), which acquires it at Test0.cs:8", "b1.Lock", "B.Lock"));

    [TestMethod]
    public Task RecursiveCallGraph_Terminates() => Verify.VerifyAsync(Model + """
        class C
        {
            void M(A a, B b) { b.Lock.Lock(); {|#0:F(a, 2)|}; b.Lock.Unlock(); }
            void F(A a, int n) { if (n > 0) G(a, n - 1); }
            void G(A a, int n) { F(a, n); a.Lock.Lock(); a.Lock.Unlock(); }
            void R(int n) { if (n > 0) R(n - 1); }
        }
        """,
        Verify.ThroughCall().WithLocation(0).WithArguments("A.Lock", "F() → G(), which acquires it at Test0.cs:9", "b.Lock", "B.Lock"));

    [TestMethod]
    public Task CalleeWithAnAcquiresContract_IsTheBodyLevelXL0001Only() => Verify.VerifyAsync(Model + """
        class Holder
        {
            public readonly A A = new();
            [Acquires("A.Lock")] public void TakeA() { A.Lock.Lock(); }
        }
        class C
        {
            void M(Holder h, B b) { b.Lock.Lock(); {|#0:h.TakeA()|}; h.A.Lock.Unlock(); b.Lock.Unlock(); }
        }
        """,
        Verify.Diagnostic("XL0001").WithLocation(0).WithArguments("h.A.Lock", "b.Lock", "A.Lock", "B.Lock"));

    [TestMethod]
    public Task ThroughAnInterfaceCall_AConstructor_AndAPropertyGetter() => Verify.VerifyAsync(Model + """
        interface IStore { void Put(A a); }
        sealed class Store : IStore { public void Put(A a) { a.Lock.Lock(); a.Lock.Unlock(); } }
        class Probe { public Probe(A a) { using (a.Lock.Guard()) { } } }
        class Cache { private readonly A _a = new(); public int Size { get { using (_a.Lock.Guard()) { return 1; } } } }
        class C
        {
            void M1(B b, A a, IStore s) { b.Lock.Lock(); {|#0:s.Put(a)|}; b.Lock.Unlock(); }
            void M2(B b, A a) { b.Lock.Lock(); _ = {|#1:new Probe(a)|}; b.Lock.Unlock(); }
            int M3(B b, Cache c) { b.Lock.Lock(); var n = {|#2:c.Size|}; b.Lock.Unlock(); return n; }
        }
        """,
        Verify.ThroughCall().WithLocation(0).WithArguments("A.Lock", "IStore.Put() → Store.Put(), which acquires it at Test0.cs:6", "b.Lock", "B.Lock"),
        Verify.ThroughCall().WithLocation(1).WithArguments("A.Lock", "new Probe(), which acquires it at Test0.cs:7", "b.Lock", "B.Lock"),
        Verify.ThroughCall().WithLocation(2).WithArguments("A.Lock", "Size.get, which acquires it at Test0.cs:8", "b.Lock", "B.Lock"));

    // ---- not reported ----

    [TestMethod]
    public Task TryAcquireInTheCallee_CannotDeadlock() => Verify.VerifyAsync(Model + """
        class C
        {
            void M(A a, B b) { b.Lock.Lock(); F(a); b.Lock.Unlock(); }
            void F(A a) { if (a.Lock.TryLock()) { a.Lock.Unlock(); } }
        }
        """);

    [TestMethod]
    public Task DeclaredOrderThroughCalls_NothingHeld_SameClass_NotReported() => Verify.VerifyAsync(Model + """
        class C
        {
            void InOrder(A a, B b) { a.Lock.Lock(); F(b); a.Lock.Unlock(); }
            void F(B b) { G(b); }
            void G(B b) { b.Lock.Lock(); b.Lock.Unlock(); }
            void NothingHeld(A a, B b) { F(b); H(a); }
            void H(A a) { a.Lock.Lock(); a.Lock.Unlock(); }
            void AfterRelease(A a, B b) { b.Lock.Lock(); b.Lock.Unlock(); H(a); }
        }
        """);

    [TestMethod]
    public Task LambdaStoredInTheCallee_NotPartOfTheCall() => Verify.VerifyAsync(Model + """
        class C
        {
            Action? _later;
            void M(A a, B b) { b.Lock.Lock(); F(a); b.Lock.Unlock(); }
            void F(A a) { _later = () => { a.Lock.Lock(); a.Lock.Unlock(); }; }
        }
        """);

    [TestMethod]
    public Task LocalFunctionRunUnderTheLock_ReportedOnce_InsideIt() => Verify.VerifyAsync(Model + """
        class C
        {
            void M(A a, B b) { b.Lock.Lock(); Local(); b.Lock.Unlock(); void Local() => {|#0:F(a)|}; }
            void F(A a) { a.Lock.Lock(); a.Lock.Unlock(); }
        }
        """,
        Verify.ThroughCall().WithLocation(0).WithArguments("A.Lock", "F(), which acquires it at Test0.cs:8", "b.Lock", "B.Lock"));

    [TestMethod]
    public Task LocalFunctionAlsoUsedAsAValue_ReportedAtItsCall() => Verify.VerifyAsync(Model + """
        class C
        {
            Action? _later;
            void M(A a, B b) { _later = Local; b.Lock.Lock(); {|#0:Local()|}; b.Lock.Unlock(); void Local() => F(a); }
            void F(A a) { a.Lock.Lock(); a.Lock.Unlock(); }
        }
        """,
        Verify.ThroughCall().WithLocation(0).WithArguments("A.Lock", "Local() → F(), which acquires it at Test0.cs:9", "b.Lock", "B.Lock"));

    [TestMethod]
    public Task WithoutAnyLockOrder_ItIsTheCycleRulesBusiness() => Verify.VerifyAsync("""
        class P { public readonly Mutex Lock = new(); }
        class Q { public readonly Mutex Lock = new(); }
        class C
        {
            void M(P p, Q q) { q.Lock.Lock(); F(p); q.Lock.Unlock(); }
            void F(P p) { p.Lock.Lock(); p.Lock.Unlock(); }
        }
        """);
}
