using Microsoft.VisualStudio.TestTools.UnitTesting;
using Verify = XeLocked.Analyzers.Tests.Verifiers.FlowVerifier<XeLocked.Analyzers.Rules.AcquireReleaseAnalyzer>;

namespace XeLocked.Analyzers.Tests.Rules;

[TestClass]
public sealed class XL0007ReleaseNotHeldTests
{
    private const string Model = """
        class Range { public readonly Mutex Lock = new(); }
        class Vm { public readonly RwSem Lock = new(); public readonly ReaderWriterLockSlim Rw = new(); }

        """;

    [TestMethod]
    public Task ReleaseNeverAcquired() => Verify.VerifyAsync(Model + """
        class C { void M(Range r) { {|#0:r.Lock.Unlock()|}; } }
        """,
        Verify.Diagnostic("XL0007").WithLocation(0).WithArguments("'r.Lock' is released but is not held"));

    [TestMethod]
    public Task DoubleRelease() => Verify.VerifyAsync(Model + """
        class C { void M(Range r) { r.Lock.Lock(); r.Lock.Unlock(); {|XL0007:r.Lock.Unlock()|}; } }
        """);

    [TestMethod]
    public Task ReleaseInWrongMode() => Verify.VerifyAsync(Model + """
        class C { void M(Vm vm) { vm.Lock.LockWrite(); {|#0:vm.Lock.UnlockRead()|}; } }
        """,
        Verify.Diagnostic("XL0007").WithLocation(0).WithArguments("'vm.Lock' is released in read mode but is held in write mode"));

    [TestMethod]
    public Task ReleaseOtherInstance() => Verify.VerifyAsync(Model + """
        class C { void M(Range a, Range b) { a.Lock.Lock(); {|XL0007:b.Lock.Unlock()|}; } }
        """);

    [TestMethod]
    public Task MonitorExitWithoutEnter_AndLockExit() => Verify.VerifyAsync(Model + """
        class C
        {
            private readonly object _o = new();
            private readonly Lock _l = new();
            void M() { {|XL0007:Monitor.Exit(_o)|}; {|XL0007:_l.Exit()|}; }
        }
        """);

    [TestMethod]
    public Task TryLockFailedThenUnlock() => Verify.VerifyAsync(Model + """
        class C { void M(Range r) { if (!r.Lock.TryLock()) { {|XL0007:r.Lock.Unlock()|}; } } }
        """);

    [TestMethod]
    public Task ReaderWriterLockSlim_ExitWriteUnderRead() => Verify.VerifyAsync(Model + """
        class C { void M(Vm vm) { vm.Rw.EnterReadLock(); {|XL0007:vm.Rw.ExitWriteLock()|}; } }
        """);

    // ---- correct code ----

    [TestMethod]
    public Task BalancedPairs() => Verify.VerifyAsync(Model + """
        class C
        {
            private readonly object _o = new();
            void A(Range r) { r.Lock.Lock(); try { } finally { r.Lock.Unlock(); } }
            void B(Vm vm) { vm.Lock.LockWrite(); vm.Lock.DowngradeWrite(); vm.Lock.UnlockRead(); }
            void D() { bool taken = false; try { Monitor.Enter(_o, ref taken); } finally { if (taken) Monitor.Exit(_o); } }
            void E() { bool taken = false; try { Monitor.TryEnter(_o, 10, ref taken); if (taken) { } } finally { if (taken) Monitor.Exit(_o); } }
            void F(Range r) { if (r.Lock.TryLock()) { r.Lock.Unlock(); } }
        }
        """);

    [TestMethod]
    public Task ReleasesContract() => Verify.VerifyAsync(Model + """
        class C
        {
            [Releases("r.Lock")] void Drop(Range r) { r.Lock.Unlock(); }
            [Releases("vm.Lock:read")] void DropRead(Vm vm) { vm.Lock.UnlockRead(); }
            void M(Range r) { r.Lock.Lock(); Drop(r); }
        }
        """);

    [TestMethod]
    public Task UpgradedWriteReleaseReturnsToUpgradeable() => Verify.VerifyAsync(Model + """
        class C
        {
            void M(Vm vm) { vm.Rw.EnterUpgradeableReadLock(); vm.Rw.EnterWriteLock(); vm.Rw.ExitWriteLock(); vm.Rw.ExitUpgradeableReadLock(); }
        }
        """);

    [TestMethod]
    public Task GuardDisposalInPrimitiveImplementations_IsNotChecked() => Verify.VerifyAsync("""
        [ScopedLock]
        public readonly struct OwnGuard : IDisposable
        {
            private readonly Mutex _m;
            public OwnGuard(Mutex m) => _m = m;
            public void Dispose() => _m.Unlock();
        }
        """);

    [TestMethod]
    public Task ReleaseOfLockRequiredOnEntry() => Verify.VerifyAsync(Model + """
        class C { [Requires("r.Lock")] void M(Range r) { r.Lock.Unlock(); r.Lock.Lock(); } }
        """);

    [TestMethod]
    public Task ReleaseInFinallyAfterConditionalEarlyReturn() => Verify.VerifyAsync(Model + """
        class C
        {
            int M(Range r, int k)
            {
                r.Lock.Lock();
                try { if (k == 0) return 0; if (k == 1) throw new InvalidOperationException(); return k; }
                finally { r.Lock.Unlock(); }
            }
        }
        """);

    [TestMethod]
    public Task ReaderWriterLockSlimBalanced() => Verify.VerifyAsync(Model + """
        class C
        {
            void M(Vm vm)
            {
                vm.Rw.EnterReadLock(); vm.Rw.ExitReadLock();
                vm.Rw.EnterWriteLock(); vm.Rw.ExitWriteLock();
                if (vm.Rw.TryEnterReadLock(5)) { vm.Rw.ExitReadLock(); }
            }
        }
        """);
}
