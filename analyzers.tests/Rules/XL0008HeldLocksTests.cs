using Microsoft.VisualStudio.TestTools.UnitTesting;
using Verify = XeLocked.Analyzers.Tests.Verifiers.FlowVerifier<XeLocked.Analyzers.Rules.HeldLocksAnalyzer>;

namespace XeLocked.Analyzers.Tests.Rules;

[TestClass]
public sealed class XL0008HeldLocksTests
{
    private const string Model = """
        class Range { public readonly Mutex Lock = new(); }
        class Vm { public readonly RwSem Lock = new(); }

        """;

    [TestMethod]
    public Task HeldAtExit_ReportedAtTheAcquisition() => Verify.VerifyAsync(Model + """
        class C
        {
            void Leak(Range r)
            {
                {|#0:r.Lock.Lock()|};
            }
        }
        """,
        Verify.Diagnostic("XL0008").WithLocation(0).WithArguments("'r.Lock' is still held when 'Leak' returns (line 8); release it on every path or declare [Acquires]"));

    [TestMethod]
    public Task EarlyReturnForgetsToUnlock() => Verify.VerifyAsync(Model + """
        class C
        {
            int M(Range r, bool b)
            {
                {|XL0008:r.Lock.Lock()|};
                if (b) return 1;
                r.Lock.Unlock();
                return 0;
            }
        }
        """);

    [TestMethod]
    public Task HeldOnOneBranchIntoAJoin() => Verify.VerifyAsync(Model + """
        class C
        {
            void M(Range r, bool b)
            {
                if (b) { {|#0:r.Lock.Lock()|}; }
                System.Console.WriteLine();
            }
        }
        """,
        Verify.Diagnostic("XL0008").WithLocation(0).WithArguments("'r.Lock' is held on some paths into line 9 and not on others"));

    [TestMethod]
    public Task AcquiredInLoopBody_NotReleased() => Verify.VerifyAsync(Model + """
        class C
        {
            void M(Range[] ranges, Range r)
            {
                for (var i = 0; i < 4; i++) { {|XL0008:r.Lock.Lock()|}; }
            }
        }
        """);

    [TestMethod]
    public Task AcquiresContractNotHonoured() => Verify.VerifyAsync(Model + """
        class C
        {
            [Acquires("r.Lock")] void {|#0:Take|}(Range r) { }
        }
        """,
        Verify.Diagnostic("XL0008").WithLocation(0).WithArguments("'Take' must hold 'r.Lock' when it returns ([Requires] or [Acquires]), but it is not held at line 6"));

    [TestMethod]
    public Task RequiredLockReleasedInTheBody() => Verify.VerifyAsync(Model + """
        class C
        {
            [Requires("r.Lock")] void {|XL0008:Work|}(Range r) { r.Lock.Unlock(); }
        }
        """);

    [TestMethod]
    public Task ReleasesContractNotHonoured() => Verify.VerifyAsync(Model + """
        class C
        {
            [Releases("r.Lock")] void {|XL0008:Drop|}(Range r) { }
        }
        """);

    [TestMethod]
    public Task AcquiresWriteButTakesRead_ReportedAtTheMethod() => Verify.VerifyAsync(Model + """
        class C
        {
            [Acquires("vm.Lock:write")] void {|#0:Take|}(Vm vm) { vm.Lock.LockRead(); }
            [Requires("vm.Lock:write")] void {|#1:Downgrade|}(Vm vm) { vm.Lock.DowngradeWrite(); }
            [Acquires("vm.Lock:write")] ReadGuard {|#2:TakeGuard|}(Vm vm) => vm.Lock.ReadGuard();
        }
        """,
        Verify.Diagnostic("XL0008").WithLocation(0).WithArguments("'Take' must hold 'vm.Lock' in write mode when it returns ([Requires] or [Acquires]), but it is held in read mode at line 6"),
        Verify.Diagnostic("XL0008").WithLocation(1).WithArguments("'Downgrade' must hold 'vm.Lock' in write mode when it returns ([Requires] or [Acquires]), but it is held in read mode at line 7"),
        Verify.Diagnostic("XL0008").WithLocation(2).WithArguments("'TakeGuard' must hold 'vm.Lock' in write mode when it returns ([Requires] or [Acquires]), but it is held in read mode at line 8"));

    [TestMethod]
    public Task GuardLeftUndisposed() => Verify.VerifyAsync(Model + """
        class C
        {
            void M(Range r) { var g = {|XL0008:r.Lock.Guard()|}; }
        }
        """);

    [TestMethod]
    public Task LambdaLeavesLockHeld() => Verify.VerifyAsync(Model + """
        class C
        {
            void M(Range r) { Action a = () => {|XL0008:r.Lock.Lock()|}; a(); }
        }
        """);

    // ---- correct code ----

    [TestMethod]
    public Task BalancedOnEveryPath() => Verify.VerifyAsync(Model + """
        class C
        {
            int A(Range r, bool b)
            {
                r.Lock.Lock();
                if (b) { r.Lock.Unlock(); return 1; }
                r.Lock.Unlock();
                return 0;
            }
            void B(Range r, int n)
            {
                for (var i = 0; i < n; i++) { r.Lock.Lock(); if (i == 2) { r.Lock.Unlock(); continue; } r.Lock.Unlock(); }
            }
            void D(Range r) { r.Lock.Lock(); try { throw new InvalidOperationException(); } finally { r.Lock.Unlock(); } }
            void E(Range r, bool b) { using var g = r.Lock.Guard(); if (b) return; }
            void F(Vm vm) { vm.Lock.LockRead(); try { if (vm == null) return; } catch (Exception) { } finally { vm.Lock.UnlockRead(); } }
        }
        """);

    [TestMethod]
    public Task ContractsAtExit() => Verify.VerifyAsync(Model + """
        class C
        {
            [Acquires("r.Lock")] void Take(Range r) { r.Lock.Lock(); }
            [Acquires("vm.Lock:read")] ReadGuard TakeRead(Vm vm) => vm.Lock.ReadGuard();
            [Releases("r.Lock")] void Drop(Range r) { r.Lock.Unlock(); }
            [Requires("r.Lock")] void Work(Range r) { r.Lock.Unlock(); r.Lock.Lock(); }
            [Requires("vm.Lock:read")] void Assert(Vm vm) { Lockdep.AssertHeldRead(vm.Lock); }
            void Use(Range r) { Take(r); Drop(r); }
            [Acquires("vm.Lock:read")] void TakeForWriting(Vm vm) { vm.Lock.LockWrite(); }
            [Acquires("vm.Lock:write")] void TakeWrite(Vm vm) { vm.Lock.LockWrite(); }
            [Requires("vm.Lock:read")] void DowngradeOwn(Vm vm, bool b) { if (b) { vm.Lock.UnlockRead(); vm.Lock.LockWrite(); vm.Lock.DowngradeWrite(); } }
        }
        """);

    [TestMethod]
    public Task TryLockAndFlagPatterns() => Verify.VerifyAsync(Model + """
        class C
        {
            private readonly object _o = new();
            void A(Range r) { if (r.Lock.TryLock()) { r.Lock.Unlock(); } }
            void B(Range r) { bool ok = r.Lock.TryLock(); System.Console.WriteLine(); if (ok) { r.Lock.Unlock(); } }
            void D() { bool taken = false; try { Monitor.TryEnter(_o, ref taken); if (taken) { System.Console.WriteLine(); } } finally { if (taken) Monitor.Exit(_o); } }
            void E() { lock (_o) { if (_o == null) return; } }
        }
        """);

    [TestMethod]
    public Task GotoRetryWithContention() => Verify.VerifyAsync(Model + """
        class C
        {
            int _tries;
            void Fault(Vm vm, Range range)
            {
            retry:
                vm.Lock.LockRead();
                if (!range.Lock.TryLock())
                {
                    vm.Lock.UnlockRead();
                    if (++_tries < 3) goto retry;
                    return;
                }
                range.Lock.Unlock();
                vm.Lock.UnlockRead();
            }
        }
        """);

    [TestMethod]
    public Task SwitchAndNestedTryFinally() => Verify.VerifyAsync(Model + """
        class C
        {
            int M(Range r, Vm vm, int k)
            {
                using (vm.Lock.ReadGuard())
                {
                    r.Lock.Lock();
                    try
                    {
                        switch (k)
                        {
                            case 0: return 0;
                            case 1: break;
                            default: throw new ArgumentException();
                        }
                    }
                    finally { r.Lock.Unlock(); }
                }
                return 1;
            }
        }
        """);

    [TestMethod]
    public Task OwnTryAcquiresMayHoldAtExit_AssertionsInLoopsAreNotHolds() => Verify.VerifyAsync(Model + """
        class C
        {
            [TryAcquires(true, "vm.Lock:read")]
            bool TryTake(Vm vm) { if (vm.Lock.TryLockRead()) { return true; } return false; }
            void Each(Range[] ranges) { foreach (var r in ranges) { Lockdep.AssertHeld(r.Lock); } }
        }
        """);

    [TestMethod]
    public Task GuardReturnedThroughOutParameter_AndUsingOnAnExistingGuard() => Verify.VerifyAsync(Model + """
        [ScopedLock]
        readonly struct Hold : IDisposable
        {
            private readonly Vm? _vm;
            public Hold(Vm vm) => _vm = vm;
            public void Dispose() => _vm?.Lock.UnlockRead();
        }
        class Policy
        {
            [TryAcquires(true, "vm.Lock:read")]
            public bool TryLock(Vm vm, out Hold hold) { if (vm.Lock.TryLockRead()) { hold = new Hold(vm); return true; } hold = default; return false; }
            [Acquires("vm.Lock:read")]
            public Hold Lock(Vm vm) { vm.Lock.LockRead(); return new Hold(vm); }
        }
        class C
        {
            int Service(Policy p, Vm vm, bool trylock)
            {
                Hold hold;
                if (trylock)
                {
                    if (!p.TryLock(vm, out hold)) return -1;
                }
                else
                {
                    hold = p.Lock(vm);
                }

                using (hold) { return 0; }
            }
        }
        """);

    [TestMethod]
    public Task PrimitiveImplementationsAreNotChecked() => Verify.VerifyAsync("""
        [LockPrimitive(LockKind.Exclusive)]
        public sealed class SpinLockish
        {
            private int _state;
            [Acquires("this")] public void Lock() { while (Interlocked.CompareExchange(ref _state, 1, 0) != 0) { } }
            [Releases("this")] public void Unlock() { Volatile.Write(ref _state, 0); }
        }
        """);

    [TestMethod]
    public Task LockInOneBranchReleasedInTheSameBranch() => Verify.VerifyAsync(Model + """
        class C
        {
            void M(Range r, bool b) { if (b) { r.Lock.Lock(); System.Console.WriteLine(); r.Lock.Unlock(); } System.Console.WriteLine(); }
        }
        """);

    [TestMethod]
    public Task ReferenceTypeGuardInUsing_NullCheckOfTheGuardIsNotAPath() => Verify.VerifyAsync(Model + """
        [ScopedLock]
        sealed class ClassGuard : IDisposable
        {
            private readonly Mutex _m;
            public ClassGuard(Mutex m) => _m = m;
            public void Dispose() => _m.Unlock();
        }
        static class Ext { [Acquires("m")] public static ClassGuard Hold(Mutex m) { m.Lock(); return new ClassGuard(m); } }
        class C
        {
            void M(Range r) { using (Ext.Hold(r.Lock)) { System.Console.WriteLine(); } }
            void N(Range r) { using var g = Ext.Hold(r.Lock); System.Console.WriteLine(); }
        }
        """);
}
