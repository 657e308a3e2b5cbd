using Microsoft.VisualStudio.TestTools.UnitTesting;
using Verify = XeLocked.Analyzers.Tests.Verifiers.FlowVerifier<XeLocked.Analyzers.Rules.LockOrderAnalyzer>;

namespace XeLocked.Analyzers.Tests.Rules;

[TestClass]
public sealed class XL0001LockOrderTests
{
    private const string Model = """
        class Vm
        {
            [LockOrder(Before = new[] { "Range.Lock" })] public readonly RwSem Lock = new();
        }
        class Range
        {
            [LockOrder(Before = new[] { "Notifier.Lock" })] public readonly Mutex Lock = new();
            [Acquires("Lock")] public void Take() { Lock.Lock(); }
        }
        class Notifier
        {
            public readonly object Lock = new();
        }

        """;

    [TestMethod]
    public Task InnerBeforeOuter_NamesBothLocksAndClasses() => Verify.VerifyAsync(Model + """
        class C
        {
            void M(Vm vm, Range r)
            {
                using (r.Lock.Guard()) { using ({|#0:vm.Lock.ReadGuard()|}) { } }
            }
        }
        """,
        Verify.Diagnostic("XL0001").WithLocation(0).WithArguments("vm.Lock", "r.Lock", "Vm.Lock", "Range.Lock"));

    [TestMethod]
    public Task TwoInstantiationsOfOneGenericLockClass_AreOneClass_EvenUnderACyclicOrder() => Verify.VerifyAsync("""
        class Box<T> { [LockOrder(Before = new[] { "Box.Lock" })] public readonly object Lock = new(); }
        class C
        {
            void M(Box<int> a, Box<string> b) { lock (a.Lock) { lock (b.Lock) { } } }
        }
        """);

    [TestMethod]
    public Task GenericLockClassesAgainstTheDeclaredOrder_Reported() => Verify.VerifyAsync("""
        class Box<T> { [LockOrder(Before = new[] { "Bag.Lock" })] public readonly object Lock = new(); }
        class Bag<T> { public readonly object Lock = new(); }
        class C
        {
            void M(Box<int> a, Bag<string> b) { lock (b.Lock) { lock ({|#0:a.Lock|}) { } } }
        }
        """,
        Verify.Diagnostic("XL0001").WithLocation(0).WithArguments("a.Lock", "b.Lock", "Box.Lock", "Bag.Lock"));

    [TestMethod]
    public Task Transitive_ThroughTheMiddleClass() => Verify.VerifyAsync(Model + """
        class C
        {
            void M(Vm vm, Notifier n) { lock (n.Lock) { {|XL0001:vm.Lock.LockWrite()|}; vm.Lock.UnlockWrite(); } }
        }
        """);

    [TestMethod]
    public Task ThroughCalleeAcquires() => Verify.VerifyAsync(Model + """
        class C
        {
            void M(Range r, Notifier n) { lock (n.Lock) { {|XL0001:r.Take()|}; r.Lock.Unlock(); } }
        }
        """);

    [TestMethod]
    public Task HeldThroughRequires() => Verify.VerifyAsync(Model + """
        class C
        {
            [Requires("r.Lock")] void M(Vm vm, Range r) { {|XL0001:vm.Lock.LockRead()|}; vm.Lock.UnlockRead(); }
        }
        """);

    [TestMethod]
    public Task MonitorOnAnOrderedObjectLock() => Verify.VerifyAsync(Model + """
        class C
        {
            void M(Range r, Notifier n) { Monitor.Enter(n.Lock); {|XL0001:r.Lock.Lock()|}; r.Lock.Unlock(); Monitor.Exit(n.Lock); }
        }
        """);

    // ---- correct code ----

    [TestMethod]
    public Task DeclaredOrder_Respected() => Verify.VerifyAsync(Model + """
        class C
        {
            void A(Vm vm, Range r, Notifier n)
            {
                using (vm.Lock.ReadGuard()) { using (r.Lock.Guard()) { lock (n.Lock) { } } }
            }
            void B(Vm vm, Notifier n) { vm.Lock.LockWrite(); lock (n.Lock) { } vm.Lock.UnlockWrite(); }
        }
        """);

    [TestMethod]
    public Task SequentialNotNested() => Verify.VerifyAsync(Model + """
        class C
        {
            void M(Vm vm, Range r) { r.Lock.Lock(); r.Lock.Unlock(); vm.Lock.LockRead(); vm.Lock.UnlockRead(); }
        }
        """);

    [TestMethod]
    public Task UnorderedClasses_AreNotXL0001() => Verify.VerifyAsync(Model + """
        class Other { public readonly Mutex Lock = new(); }
        class C
        {
            void M(Vm vm, Other o) { using (o.Lock.Guard()) { vm.Lock.LockRead(); vm.Lock.UnlockRead(); } }
        }
        """);

    [TestMethod]
    public Task TryLockOutOfOrder_CannotDeadlock() => Verify.VerifyAsync(Model + """
        class C
        {
            void M(Vm vm, Range r) { using (r.Lock.Guard()) { if (vm.Lock.TryLockRead()) { vm.Lock.UnlockRead(); } } }
        }
        """);

    [TestMethod]
    public Task ReleasedOuterBeforeTakingInnerAgain_GotoRetry() => Verify.VerifyAsync(Model + """
        class C
        {
            void M(Vm vm, Range r, bool again)
            {
            retry:
                r.Lock.Lock();
                if (again) { r.Lock.Unlock(); again = false; vm.Lock.LockRead(); vm.Lock.UnlockRead(); goto retry; }
                r.Lock.Unlock();
            }
        }
        """);
}
