using Microsoft.VisualStudio.TestTools.UnitTesting;
using Verify = XeLocked.Analyzers.Tests.Verifiers.FlowVerifier<XeLocked.Analyzers.Rules.AcquireReleaseAnalyzer>;

namespace XeLocked.Analyzers.Tests.Rules;

[TestClass]
public sealed class XL0006DoubleAcquireTests
{
    private const string Model = """
        class Range { public readonly Mutex Lock = new(); }
        class Vm { public readonly RwSem Lock = new(); public readonly ReaderWriterLockSlim Rw = new(); }

        """;

    [TestMethod]
    public Task SameInstanceTwice_SaysWhereFirstAcquired() => Verify.VerifyAsync(Model + """
        class C
        {
            void M(Range r)
            {
                r.Lock.Lock();
                {|#0:r.Lock.Lock()|};
                r.Lock.Unlock();
            }
        }
        """,
        Verify.Diagnostic("XL0006").WithLocation(0).WithArguments("'r.Lock' is acquired while already held (acquired at line 8)"));

    [TestMethod]
    public Task ReacquireRequiredLock() => Verify.VerifyAsync(Model + """
        class C
        {
            [Requires("vm.Lock:read")] void M(Vm vm) { using ({|#0:vm.Lock.ReadGuard()|}) { } }
        }
        """,
        Verify.Diagnostic("XL0006").WithLocation(0).WithArguments("'vm.Lock' is acquired while already held (held on entry by the method's contract)"));

    [TestMethod]
    public Task NestedLockStatementOnSameObject() => Verify.VerifyAsync(Model + """
        class C
        {
            private readonly object _sync = new();
            void M() { lock (_sync) { lock ({|XL0006:_sync|}) { } } }
        }
        """);

    [TestMethod]
    public Task TwoInstancesOfOneClass() => Verify.VerifyAsync(Model + """
        class C
        {
            void M(Range a, Range b) { using (a.Lock.Guard()) { using ({|#0:b.Lock.Guard()|}) { } } }
        }
        """,
        Verify.Diagnostic("XL0006").WithLocation(0).WithArguments(
            "'b.Lock' is acquired while 'a.Lock', another instance of lock class 'Range.Lock', is held; nest them with a nesting annotation (a '*Nested' acquisition such as LockNested), " +
            "or, when the method takes the instances in a fixed order, declare it with [NoLockEdge(\"Range.Lock\", \"Range.Lock\", Justification = …)]"));

    [TestMethod]
    public Task RecursiveReadLock() => Verify.VerifyAsync(Model + """
        class C
        {
            void M(Vm vm) { vm.Rw.EnterReadLock(); {|XL0006:vm.Rw.EnterReadLock()|}; vm.Rw.ExitReadLock(); }
        }
        """);

    [TestMethod]
    public Task AcquireInLoopWithoutRelease() => Verify.VerifyAsync(Model + """
        class C
        {
            void M(Range r) { r.Lock.Lock(); for (var i = 0; i < 3; i++) { {|XL0006:r.Lock.Lock()|}; } }
        }
        """);

    // ---- correct code ----

    [TestMethod]
    public Task NestingAnnotated_SecondInstance() => Verify.VerifyAsync(Model + """
        class C
        {
            void M(Range a, Range b) { a.Lock.Lock(); b.Lock.LockNested(1); b.Lock.Unlock(); a.Lock.Unlock(); }
        }
        """);

    [TestMethod]
    public Task SequentialReacquire_LoopsAndRetry() => Verify.VerifyAsync(Model + """
        class C
        {
            void A(Range r) { r.Lock.Lock(); r.Lock.Unlock(); r.Lock.Lock(); r.Lock.Unlock(); }
            void B(Range r) { for (var i = 0; i < 3; i++) { using (r.Lock.Guard()) { } } }
            void D(Vm vm, bool again)
            {
            retry:
                vm.Lock.LockRead();
                if (again) { vm.Lock.UnlockRead(); again = false; goto retry; }
                vm.Lock.UnlockRead();
            }
        }
        """);

    [TestMethod]
    public Task UpgradeableToWrite_IsNotAReacquire() => Verify.VerifyAsync(Model + """
        class C
        {
            void M(Vm vm) { vm.Rw.EnterUpgradeableReadLock(); vm.Rw.EnterWriteLock(); vm.Rw.ExitWriteLock(); vm.Rw.ExitUpgradeableReadLock(); }
        }
        """);

    [TestMethod]
    public Task DifferentClasses() => Verify.VerifyAsync(Model + """
        class C
        {
            void M(Vm vm, Range r) { using (vm.Lock.ReadGuard()) { using (r.Lock.Guard()) { } } }
        }
        """);

    [TestMethod]
    public Task AssertedThenNotReacquired() => Verify.VerifyAsync(Model + """
        class C
        {
            void M(Range r) { r.Lock.Lock(); Lockdep.AssertHeld(r.Lock); r.Lock.Unlock(); }
        }
        """);

    [TestMethod]
    public Task AcquireInBothBranches_ReleasedAfter() => Verify.VerifyAsync(Model + """
        class C
        {
            void M(Range r, bool b) { if (b) { r.Lock.Lock(); } else { r.Lock.Lock(); } r.Lock.Unlock(); }
        }
        """);

    [TestMethod]
    public Task TwoMonitorsOfOneClass_TakenInAFixedOrder_DeclaredWithNoLockEdge() => Verify.VerifyAsync(Model + """
        class Account { public readonly object Sync = new(); public int Id; public int Balance; }
        static class Bank
        {
            [NoLockEdge("Account.Sync", "Account.Sync", Justification = "always the lower Id first")]
            public static void Transfer(Account from, Account to, int amount)
            {
                var first = from.Id < to.Id ? from : to;
                var second = from.Id < to.Id ? to : from;
                lock (first.Sync) { lock (second.Sync) { from.Balance -= amount; to.Balance += amount; } }
            }

            public static void Unordered(Account from, Account to)
            {
                lock (from.Sync) { lock ({|#0:to.Sync|}) { } }
            }
        }
        """,
        Verify.Diagnostic("XL0006").WithLocation(0).WithArguments(
            "'to.Sync' is acquired while 'from.Sync', another instance of lock class 'Account.Sync', is held; nest them with a nesting annotation (a '*Nested' acquisition such as LockNested), " +
            "or, when the method takes the instances in a fixed order, declare it with [NoLockEdge(\"Account.Sync\", \"Account.Sync\", Justification = …)]"));

    [TestMethod]
    public Task InstanceOrderDeclaration_DoesNotCoverTheSameInstanceTwice_NorAnotherClass() => Verify.VerifyAsync(Model + """
        class Account { public readonly object Sync = new(); }
        static class Bank
        {
            [NoLockEdge("Account.Sync", "Account.Sync", Justification = "ordered by Id")]
            public static void M(Account a, Range r1, Range r2)
            {
                lock (a.Sync) { lock ({|#0:a.Sync|}) { } }
                using (r1.Lock.Guard()) { using ({|#1:r2.Lock.Guard()|}) { } }
            }
        }
        """,
        Verify.Diagnostic("XL0006").WithLocation(0).WithArguments("'a.Sync' is acquired while already held (acquired at line 10)"),
        Verify.Diagnostic("XL0006").WithLocation(1).WithArguments(
            "'r2.Lock' is acquired while 'r1.Lock', another instance of lock class 'Range.Lock', is held; nest them with a nesting annotation (a '*Nested' acquisition such as LockNested), " +
            "or, when the method takes the instances in a fixed order, declare it with [NoLockEdge(\"Range.Lock\", \"Range.Lock\", Justification = …)]"));
}
