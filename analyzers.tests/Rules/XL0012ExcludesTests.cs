using Microsoft.VisualStudio.TestTools.UnitTesting;
using XeLocked.Analyzers.Rules;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using Verify = XeLocked.Analyzers.Tests.Verifiers.FlowVerifier<XeLocked.Analyzers.Rules.CallContractAnalyzer>;
using VerifyAcquire = XeLocked.Analyzers.Tests.Verifiers.FlowVerifier<XeLocked.Analyzers.Rules.AcquireReleaseAnalyzer>;

namespace XeLocked.Analyzers.Tests.Rules;

[TestClass]
public sealed class XL0012ExcludesTests
{
    private const string Model = """
        class Vm
        {
            public readonly RwSem Lock = new();
            [Excludes("Lock")] public void Rebind() { using (Lock.WriteGuard()) { } }
            [Excludes("Lock")][Acquires("Lock:write")] public void Enter() { Lock.LockWrite(); }
        }

        """;

    [TestMethod]
    public Task CalledWhileHeld_NamesLockAndCallee() => Verify.VerifyAsync(Model + """
        class C { void M(Vm vm) { using (vm.Lock.ReadGuard()) { {|#0:vm.Rebind()|}; } } }
        """,
        Verify.Diagnostic("XL0012").WithLocation(0).WithArguments("Rebind", "vm.Lock", "Lock"));

    [TestMethod]
    public Task CalledUnderRequires() => Verify.VerifyAsync(Model + """
        class C { [Requires("vm.Lock:write")] void M(Vm vm) { {|XL0012:vm.Rebind()|}; } }
        """);

    [TestMethod]
    public Task ExcludedAcquire_IsNotAlsoXL0006() => VerifyAcquire.VerifyAsync(Model + """
        class C { void M(Vm vm) { vm.Lock.LockRead(); vm.Enter(); } }
        """);

    [TestMethod]
    public Task ExcludedAcquire_IsXL0012() => Verify.VerifyAsync(Model + """
        class C { void M(Vm vm) { vm.Lock.LockRead(); {|XL0012:vm.Enter()|}; } }
        """);

    // ---- correct code ----

    [TestMethod]
    public Task CalledWithoutTheLock() => Verify.VerifyAsync(Model + """
        class C
        {
            void A(Vm vm) { vm.Rebind(); }
            void B(Vm vm) { using (vm.Lock.ReadGuard()) { } vm.Rebind(); }
            void D(Vm a, Vm b) { using (a.Lock.ReadGuard()) { b.Rebind(); } }
        }
        """);

    [TestMethod]
    public Task UnknownReceiver_NotGuessed() => Verify.VerifyAsync(Model + """
        class C { Vm[] _v = new Vm[1]; void M(Vm vm) { using (vm.Lock.ReadGuard()) { _v[0].Rebind(); } } }
        """);
}
