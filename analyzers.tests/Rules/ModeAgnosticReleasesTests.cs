using Microsoft.VisualStudio.TestTools.UnitTesting;
using Calls = XeLocked.Analyzers.Tests.Verifiers.FlowVerifier<XeLocked.Analyzers.Rules.CallContractAnalyzer>;
using ContractRules = XeLocked.Analyzers.Tests.Verifiers.AnalyzerVerifier<XeLocked.Analyzers.Rules.ContractAnalyzer>;
using Guarded = XeLocked.Analyzers.Tests.Verifiers.FlowVerifier<XeLocked.Analyzers.Rules.GuardedAccessAnalyzer>;
using Held = XeLocked.Analyzers.Tests.Verifiers.FlowVerifier<XeLocked.Analyzers.Rules.HeldLocksAnalyzer>;
using Releases = XeLocked.Analyzers.Tests.Verifiers.FlowVerifier<XeLocked.Analyzers.Rules.AcquireReleaseAnalyzer>;

namespace XeLocked.Analyzers.Tests.Rules;

/// <summary>
/// <c>[Releases("rw:read | rw:write")]</c> on a reader-writer lock: "releases it in whatever mode it
/// is held". The body may release either mode and may assume read mode only; callers may hold it in
/// either mode. <c>[Releases("rw:read")]</c>/<c>[Releases("rw:write")]</c> stay exact.
/// </summary>
[TestClass]
public sealed class ModeAgnosticReleasesTests
{
    private const string Model = """
        class Vm
        {
            public readonly RwSem Lock = new();
            public readonly ReaderWriterLockSlim Rw = new();
            [GuardedBy("Lock")] public int Data;
            [Requires("Lock:read")] public void Lookup() { }
            [Requires("Lock:write")] public void Insert() { }
        }

        """;

    /// <summary>The shape of the Xe model's locking policy: one contract, each implementation releases the mode it took.</summary>
    private const string Policy = """
        abstract class Policy
        {
            [Acquires("vm.Lock:read")] public abstract void LockShared(Vm vm);
            [Releases("vm.Lock:read | vm.Lock:write")] public abstract void UnlockShared(Vm vm);
        }
        sealed class Fine : Policy
        {
            [Acquires("vm.Lock:read")] public override void LockShared(Vm vm) => vm.Lock.LockRead();
            [Releases("vm.Lock:read | vm.Lock:write")] public override void UnlockShared(Vm vm) => vm.Lock.UnlockRead();
        }
        sealed class Coarse : Policy
        {
            [Acquires("vm.Lock:read")] public override void LockShared(Vm vm) => vm.Lock.LockWrite();
            [Releases("vm.Lock:read | vm.Lock:write")] public override void UnlockShared(Vm vm) => vm.Lock.UnlockWrite();
        }
        sealed class Inherits : Policy
        {
            public override void LockShared(Vm vm) => vm.Lock.LockWrite();
            public override void UnlockShared(Vm vm) => vm.Lock.UnlockWrite();
        }

        """;

    // ---- accepted: no diagnostic ----

    [TestMethod]
    public Task ContractWithoutMode_IsNotXL0005() => ContractRules.VerifyAsync("""
        [LockPrimitive(LockKind.ReaderWriter)]
        sealed class RwSem { }
        class Vm { public readonly RwSem Lock = new(); public readonly ReaderWriterLockSlim Rw = new(); }
        class C
        {
            [Releases("vm.Lock:read | vm.Lock:write")] void A(Vm vm) { }
            [Releases("vm.Rw:write | vm.Rw:read")] void B(Vm vm) { }
            [Releases("vm.Lock:read")] void D(Vm vm) { }
        }
        """);

    [TestMethod]
    public Task Body_MayReleaseInEitherMode() => Releases.VerifyAsync(Model + Policy + """
        class C
        {
            [Releases("vm.Lock:read | vm.Lock:write")] void Either(Vm vm, bool write) { if (write) vm.Lock.UnlockWrite(); else vm.Lock.UnlockRead(); }
            [Releases("vm.Rw:write | vm.Rw:read")] void Slim(Vm vm) { vm.Rw.ExitWriteLock(); }
            [Releases("vm.Rw:write | vm.Rw:read")] void SlimRead(Vm vm) { vm.Rw.ExitReadLock(); }
        }
        """);

    [TestMethod]
    public Task Body_ReleasesOnEveryPath_NoXL0008() => Held.VerifyAsync(Model + Policy + """
        class C
        {
            [Releases("vm.Lock:read | vm.Lock:write")] void Either(Vm vm, bool write) { if (write) vm.Lock.UnlockWrite(); else vm.Lock.UnlockRead(); }
        }
        """);

    [TestMethod]
    public Task Body_MayReadAndCallReadRequirements() => Guarded.VerifyAsync(Model + """
        class C
        {
            [Releases("vm.Lock:read | vm.Lock:write")] int Drop(Vm vm) { var d = vm.Data; vm.Lock.UnlockRead(); return d; }
        }
        """);

    [TestMethod]
    public Task Body_MayCallReadRequirements() => Calls.VerifyAsync(Model + """
        class C
        {
            [Releases("vm.Lock:read | vm.Lock:write")] void Drop(Vm vm) { vm.Lookup(); vm.Lock.UnlockRead(); }
        }
        """);

    [TestMethod]
    public Task Callers_MayHoldEitherMode() => Releases.VerifyAsync(Model + Policy + """
        class C
        {
            void Read(Policy p, Vm vm) { vm.Lock.LockRead(); p.UnlockShared(vm); }
            void Write(Policy p, Vm vm) { vm.Lock.LockWrite(); p.UnlockShared(vm); }
            void Through(Policy p, Vm vm) { p.LockShared(vm); p.UnlockShared(vm); }
            void Coarse(Coarse p, Vm vm) { p.LockShared(vm); p.UnlockShared(vm); }
            void Slim(Vm vm) { vm.Rw.EnterWriteLock(); DropRw(vm); vm.Rw.EnterReadLock(); DropRw(vm); }
            void Upgraded(Vm vm) { vm.Rw.EnterUpgradeableReadLock(); vm.Rw.EnterWriteLock(); DropRw(vm); vm.Rw.ExitUpgradeableReadLock(); }
            [Releases("vm.Rw:write | vm.Rw:read")] void DropRw(Vm vm) { }
        }
        """);

    [TestMethod]
    public Task Callers_NothingLeftHeldAfterTheRelease() => Held.VerifyAsync(Model + Policy + """
        class C
        {
            void Read(Policy p, Vm vm) { vm.Lock.LockRead(); p.UnlockShared(vm); }
            void Write(Policy p, Vm vm) { vm.Lock.LockWrite(); p.UnlockShared(vm); }
            void Through(Policy p, Vm vm) { p.LockShared(vm); p.UnlockShared(vm); }
        }
        """);

    // ---- still reported ----

    [TestMethod]
    public Task ExactModeStaysExact_InTheBody() => Releases.VerifyAsync(Model + """
        class C
        {
            [Releases("vm.Lock:read")] void DropRead(Vm vm) { {|#0:vm.Lock.UnlockWrite()|}; }
            [Releases("vm.Lock:write")] void DropWrite(Vm vm) { {|#1:vm.Lock.UnlockRead()|}; }
        }
        """,
        Releases.Diagnostic("XL0007").WithLocation(0).WithArguments("'vm.Lock' is released in write mode but is held in read mode"),
        Releases.Diagnostic("XL0007").WithLocation(1).WithArguments("'vm.Lock' is released in read mode but is held in write mode"));

    [TestMethod]
    public Task ExactModeStaysExact_AtTheCaller() => Releases.VerifyAsync(Model + """
        class C
        {
            [Releases("vm.Lock:read")] void DropRead(Vm vm) { vm.Lock.UnlockRead(); }
            void M(Vm vm) { vm.Lock.LockWrite(); {|#0:DropRead(vm)|}; }
        }
        """,
        Releases.Diagnostic("XL0007").WithLocation(0).WithArguments("'vm.Lock' is released in read mode but is held in write mode"));

    [TestMethod]
    public Task ModeAgnosticRelease_OfALockNotHeld() => Releases.VerifyAsync(Model + Policy + """
        class C
        {
            void Never(Policy p, Vm vm) { {|#0:p.UnlockShared(vm)|}; }
            void Twice(Policy p, Vm vm) { p.LockShared(vm); p.UnlockShared(vm); {|#1:p.UnlockShared(vm)|}; }
        }
        """,
        Releases.Diagnostic("XL0007").WithLocation(0).WithArguments("'vm.Lock' is released but is not held"),
        Releases.Diagnostic("XL0007").WithLocation(1).WithArguments("'vm.Lock' is released but is not held"));

    [TestMethod]
    public Task Body_ReleasesTwice() => Releases.VerifyAsync(Model + """
        class C
        {
            [Releases("vm.Lock:read | vm.Lock:write")] void Drop(Vm vm) { vm.Lock.UnlockWrite(); {|#0:vm.Lock.UnlockRead()|}; }
        }
        """,
        Releases.Diagnostic("XL0007").WithLocation(0).WithArguments("'vm.Lock' is released but is not held"));

    [TestMethod]
    public Task Body_DoesNotRelease() => Held.VerifyAsync(Model + """
        class C
        {
            [Releases("vm.Lock:read | vm.Lock:write")] void {|#0:Keep|}(Vm vm) { }
        }
        """,
        Held.Diagnostic("XL0008").WithLocation(0).WithArguments("'Keep' is declared [Releases(\"vm.Lock\")] but still holds it when it returns"));

    [TestMethod]
    public Task Body_MayNotAssumeWriteMode_GuardedWrite() => Guarded.VerifyAsync(Model + """
        class C
        {
            [Releases("vm.Lock:read | vm.Lock:write")] void Drop(Vm vm) { {|#0:vm.Data|} = 1; vm.Lock.UnlockWrite(); }
        }
        """,
        Guarded.Diagnostic("XL0002").WithLocation(0).WithArguments("Writing", "Data", "Lock", "'vm.Lock' is held in read-or-write mode, write mode is needed"));

    [TestMethod]
    public Task Body_MayNotAssumeWriteMode_WriteRequirement() => Calls.VerifyAsync(Model + """
        class C
        {
            [Releases("vm.Lock:read | vm.Lock:write")] void Drop(Vm vm) { {|#0:vm.Insert()|}; vm.Lock.UnlockWrite(); }
        }
        """,
        Calls.Diagnostic("XL0004").WithLocation(0).WithArguments("Insert", "Lock:write", "'vm.Lock' is held in read-or-write mode, write mode is needed"));

    [TestMethod]
    public Task Callers_ReadAfterTheReleaseIsReported() => Guarded.VerifyAsync(Model + Policy + """
        class C
        {
            int M(Policy p, Vm vm) { p.LockShared(vm); var a = vm.Data; p.UnlockShared(vm); return a + {|#0:vm.Data|}; }
        }
        """,
        Guarded.Diagnostic("XL0002").WithLocation(0).WithArguments("Reading", "Data", "Lock", "'vm.Lock' is not held"));
}
