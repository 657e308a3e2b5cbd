using Microsoft.VisualStudio.TestTools.UnitTesting;
using Verify = XeLocked.Analyzers.Tests.WholeProgram.WholeProgramVerifier;

namespace XeLocked.Analyzers.Tests.WholeProgram;

[TestClass]
public sealed class XL0014UnorderedNestingTests
{
    // Vm.Lock → Range.Lock is declared; Notifier.Lock and Bo.Lock are in the hierarchy (they have
    // [LockOrder]) but nothing orders them against Range.Lock or each other.
    private const string Model = """
        class Vm { [LockOrder(Before = new[] { "Range.Lock" })] public readonly RwSem Lock = new(); }
        class Range { [LockOrder(After = new[] { "Vm.Lock" })] public readonly Mutex Lock = new(); }
        class Notifier { [LockOrder(After = new[] { "Vm.Lock" })] public readonly Mutex Lock = new(); }
        class Bo { [LockOrder(Before = new[] { "Vm.Lock" })] public readonly Mutex Lock = new(); }
        class Plain { public readonly Mutex Lock = new(); }
        class Holder
        {
            public readonly Notifier N = new();
            [Acquires("N.Lock")] public void TakeNotifier() { N.Lock.Lock(); }
        }

        """;

    [TestMethod]
    public Task BothOrdered_NoOrderBetween_NamesBothLocksAndClasses() => Verify.VerifyAsync(Model + """
        class C
        {
            void M(Range r, Notifier n) { r.Lock.Lock(); {|#0:n.Lock.Lock()|}; n.Lock.Unlock(); r.Lock.Unlock(); }
        }
        """,
        Verify.Diagnostic("XL0014").WithLocation(0).WithArguments("n.Lock", "r.Lock", "Notifier.Lock", "Range.Lock"));

    [TestMethod]
    public Task ThroughCalleeAcquires() => Verify.VerifyAsync(Model + """
        class C
        {
            void M(Range r, Holder h) { using (r.Lock.Guard()) { {|#0:h.TakeNotifier()|}; h.N.Lock.Unlock(); } }
        }
        """,
        Verify.Diagnostic("XL0014").WithLocation(0).WithArguments("h.N.Lock", "r.Lock", "Notifier.Lock", "Range.Lock"));

    [TestMethod]
    public Task BothSidesOfTheHierarchy_WithoutAPathBetween() => Verify.VerifyAsync(Model + """
        class C
        {
            // Bo.Lock comes before Vm.Lock and Notifier.Lock after it: that orders Bo before Notifier (transitively) ...
            void Ok(Bo b, Notifier n) { b.Lock.Lock(); n.Lock.Lock(); n.Lock.Unlock(); b.Lock.Unlock(); }
            // ... but Notifier and Range are both only after Vm.
            void Bad(Notifier n, Range r) { n.Lock.Lock(); {|#0:r.Lock.Lock()|}; r.Lock.Unlock(); n.Lock.Unlock(); }
        }
        """,
        Verify.Diagnostic("XL0014").WithLocation(0).WithArguments("r.Lock", "n.Lock", "Range.Lock", "Notifier.Lock"));

    // ---- no report ----

    [TestMethod]
    public Task DeclaredOrder_Respected() => Verify.VerifyAsync(Model + """
        class C
        {
            void M(Vm vm, Range r) { vm.Lock.LockRead(); r.Lock.Lock(); r.Lock.Unlock(); vm.Lock.UnlockRead(); }
            void T(Bo b, Range r) { b.Lock.Lock(); r.Lock.Lock(); r.Lock.Unlock(); b.Lock.Unlock(); }
        }
        """);

    [TestMethod]
    public Task DeclaredOrder_Reversed_IsXL0001NotXL0014() => Verify.VerifyAsync(Model + """
        class C
        {
            void M(Vm vm, Range r) { r.Lock.Lock(); {|#0:vm.Lock.LockRead()|}; vm.Lock.UnlockRead(); r.Lock.Unlock(); }
        }
        """,
        Verify.Diagnostic("XL0001").WithLocation(0).WithArguments("vm.Lock", "r.Lock", "Vm.Lock", "Range.Lock"));

    [TestMethod]
    public Task OneWithoutLockOrder_NotInTheHierarchy() => Verify.VerifyAsync(Model + """
        class C
        {
            void M1(Range r, Plain p) { r.Lock.Lock(); p.Lock.Lock(); p.Lock.Unlock(); r.Lock.Unlock(); }
            void M2(Vm vm, Plain p) { using (vm.Lock.ReadGuard()) { using (p.Lock.Guard()) { } } }
        }
        """);

    [TestMethod]
    public Task TwoInstancesOfOneClass_AreNotThisRule() => Verify.VerifyAsync(Model + """
        class C
        {
            void M(Range r1, Range r2) { r1.Lock.Lock(); r2.Lock.LockNested(1); r2.Lock.Unlock(); r1.Lock.Unlock(); }
        }
        """);

    [TestMethod]
    public Task NotNested_NoReport() => Verify.VerifyAsync(Model + """
        class C
        {
            void M(Range r, Notifier n) { r.Lock.Lock(); r.Lock.Unlock(); n.Lock.Lock(); n.Lock.Unlock(); }
        }
        """);
    // ---- try-acquisitions cannot block: they are not nestings to order ----

    [TestMethod]
    public Task TryAcquisitionInsideAnOrderedLock_IsNotReported() => Verify.VerifyAsync(Model + """
        class C
        {
            void M(Range r, Notifier n)
            {
                r.Lock.Lock();
                if (n.Lock.TryLock()) { n.Lock.Unlock(); }
                r.Lock.Unlock();
            }

            void N(Range r, Notifier n)
            {
                using (r.Lock.Guard())
                {
                    if (Monitor.TryEnter(n.Lock)) { Monitor.Exit(n.Lock); }
                }
            }
        }
        """);

    [TestMethod]
    public Task BlockingAcquisitionUnderATryAcquiredLock_IsReported() => Verify.VerifyAsync(Model + """
        class C
        {
            void M(Range r, Notifier n)
            {
                if (n.Lock.TryLock())
                {
                    {|#0:r.Lock.Lock()|};
                    r.Lock.Unlock();
                    n.Lock.Unlock();
                }
            }
        }
        """,
        Verify.Diagnostic("XL0014").WithLocation(0).WithArguments("r.Lock", "n.Lock", "Range.Lock", "Notifier.Lock"));
}
