using Microsoft.VisualStudio.TestTools.UnitTesting;
using Verify = XeLocked.Analyzers.Tests.Verifiers.FlowVerifier<XeLocked.Analyzers.Rules.CallContractAnalyzer>;

namespace XeLocked.Analyzers.Tests.Rules;

[TestClass]
public sealed class XL0004RequiresTests
{
    private const string Model = """
        class Vma { public readonly Mutex FaultLock = new(); }
        class Svm { public readonly Mutex RangeLock = new(); }
        class Vm
        {
            public readonly RwSem Lock = new();
            public Svm Svm = new();
            [Requires("Lock:write")] public void Insert() { }
            [Requires("Lock:read")] public void Lookup() { }
        }
        static class Userptr
        {
            [Requires("vm.Lock:write | (vm.Lock:read & vma.FaultLock)")]
            public static void Pin(Vm vm, Vma vma) { }
            [Requires("vm.Svm.RangeLock")] public static void Touch(Vm vm) { }
        }

        """;

    [TestMethod]
    public Task NotHeld() => Verify.VerifyAsync(Model + """
        class C { void M(Vm vm) { {|#0:vm.Lookup()|}; } }
        """,
        Verify.Diagnostic("XL0004").WithLocation(0).WithArguments("Lookup", "Lock:read", "'vm.Lock' is not held"));

    [TestMethod]
    public Task HeldInTooWeakAMode() => Verify.VerifyAsync(Model + """
        class C { void M(Vm vm) { using (vm.Lock.ReadGuard()) { {|#0:vm.Insert()|}; } } }
        """,
        Verify.Diagnostic("XL0004").WithLocation(0).WithArguments("Insert", "Lock:write", "'vm.Lock' is held in read mode, write mode is needed"));

    [TestMethod]
    public Task Disjunction_EachAlternativeExplained() => Verify.VerifyAsync(Model + """
        class C { void M(Vm vm, Vma vma) { vm.Lock.LockRead(); {|#0:Userptr.Pin(vm, vma)|}; vm.Lock.UnlockRead(); } }
        """,
        Verify.Diagnostic("XL0004").WithLocation(0).WithArguments("Pin", "vm.Lock:write | (vm.Lock:read & vma.FaultLock)",
            "alternative 'vm.Lock:write': 'vm.Lock' is held in read mode, write mode is needed; alternative 'vm.Lock:read & vma.FaultLock': 'vma.FaultLock' is not held"));

    [TestMethod]
    public Task WrongInstance() => Verify.VerifyAsync(Model + """
        class C { void M(Vm a, Vm b) { using (a.Lock.WriteGuard()) { {|XL0004:b.Insert()|}; } } }
        """);

    [TestMethod]
    public Task ImplicitThisCallAndNestedPath() => Verify.VerifyAsync(Model + """
        class D : Vm { void M() { {|XL0004:Lookup()|}; {|XL0004:Userptr.Touch(this)|}; } }
        """);

    [TestMethod]
    public Task AfterRelease() => Verify.VerifyAsync(Model + """
        class C { void M(Vm vm) { vm.Lock.LockWrite(); vm.Insert(); vm.Lock.UnlockWrite(); {|XL0004:vm.Insert()|}; } }
        """);

    [TestMethod]
    public Task PropertyAccessorRequires() => Verify.VerifyAsync("""
        class C
        {
            public readonly Mutex M = new();
            [Requires("M")] public int P { get => 1; set { } }
            void Use() { var x = {|XL0004:P|}; }
        }
        """);

    [TestMethod]
    public Task FromLocalLambda_CheckedWhereItIsInvoked() => Verify.VerifyAsync(Model + """
        class C
        {
            void Outside(Vm vm) { Action a = () => {|XL0004:vm.Insert()|}; a(); using (vm.Lock.WriteGuard()) { } }
            void Inside(Vm vm) { Action a = () => vm.Insert(); using (vm.Lock.WriteGuard()) { a(); } }
            void Stored(Vm vm) { using (vm.Lock.WriteGuard()) { _later = () => {|XL0004:vm.Insert()|}; } }
            Action? _later;
        }
        """);

    [TestMethod]
    public Task ParameterIsNotAssumedToAliasAHeldLock() => Verify.VerifyAsync(Model + """
        class C { void M(Vm mine, Vm other) { using (mine.Lock.ReadGuard()) { {|XL0004:other.Lookup()|}; } } }
        """);

    // ---- correct code ----

    [TestMethod]
    public Task EveryAlternativeOfTheDisjunctionWorks() => Verify.VerifyAsync(Model + """
        class C
        {
            void A(Vm vm, Vma vma) { using (vm.Lock.WriteGuard()) { Userptr.Pin(vm, vma); } }
            void B(Vm vm, Vma vma) { using (vm.Lock.ReadGuard()) { using (vma.FaultLock.Guard()) { Userptr.Pin(vm, vma); } } }
            [Requires("vm.Lock:write | (vm.Lock:read & vma.FaultLock)")] void D(Vm vm, Vma vma) { Userptr.Pin(vm, vma); }
        }
        """);

    [TestMethod]
    public Task WriteSatisfiesRead_AndCallerContractsPropagate() => Verify.VerifyAsync(Model + """
        class C
        {
            void A(Vm vm) { using (vm.Lock.WriteGuard()) { vm.Lookup(); vm.Insert(); } }
            [Requires("vm.Lock:write")] void B(Vm vm) { vm.Lookup(); vm.Insert(); }
            void D(Vm vm) { using var g = vm.Svm.RangeLock.Guard(); Userptr.Touch(vm); }
        }
        class E : Vm { [Requires("Lock:read")] void M() { Lookup(); } }
        """);

    [TestMethod]
    public Task LocalAliasesAndTryAcquire() => Verify.VerifyAsync(Model + """
        class Fault { public Vm Vm = new(); }
        class C
        {
            void A(Fault fault) { var vm = fault.Vm; using (fault.Vm.Lock.ReadGuard()) { vm.Lookup(); } }
            void B(Vm vm) { if (vm.Lock.TryLockWrite()) { vm.Insert(); vm.Lock.UnlockWrite(); } }
            void D(Vm vm) { bool ok = vm.Lock.TryLockRead(); if (!ok) return; vm.Lookup(); vm.Lock.UnlockRead(); }
        }
        """);

    [TestMethod]
    public Task UnknownArgumentIsNotGuessed() => Verify.VerifyAsync(Model + """
        class C { Vm[] _vms = new Vm[2]; void M() { _vms[0].Lookup(); Create().Insert(); } Vm Create() => new Vm(); }
        """);

    [TestMethod]
    public Task LambdaUnderTheLock() => Verify.VerifyAsync(Model + """
        class C { void M(Vm vm) { using (vm.Lock.WriteGuard()) { Action a = () => vm.Insert(); a(); } } }
        """);

    [TestMethod]
    public Task LambdaWithItsOwnRequires() => Verify.VerifyAsync(Model + """
        class C { void M(Vm vm) { Action a = [Requires("vm.Lock:write")] () => vm.Insert(); } }
        """);

    [TestMethod]
    public Task LocalFunctionRequiringAnOuterParameter() => Verify.VerifyAsync(Model + """
        class C
        {
            void M(Vm vm, Vm other)
            {
                using (vm.Lock.WriteGuard()) { Go(other); }
                {|XL0004:Go(other)|};
                [Requires("vm.Lock:write")] void Go(Vm x) => vm.Insert();
            }
        }
        """);

    [TestMethod]
    public Task RequiresSatisfiedThroughCalleeAcquires() => Verify.VerifyAsync(Model + """
        class C
        {
            [Acquires("vm.Lock:write")] void Take(Vm vm) { vm.Lock.LockWrite(); }
            void M(Vm vm) { Take(vm); vm.Insert(); vm.Lock.UnlockWrite(); }
        }
        """);

    [TestMethod]
    public Task RequiresSatisfiedAfterAssertion() => Verify.VerifyAsync(Model + """
        class C { void M(Vm vm) { Lockdep.AssertHeldRead(vm.Lock); vm.Lookup(); } }
        """);

    [TestMethod]
    public Task RequiresSatisfiedInLoopAndAfterTryLock() => Verify.VerifyAsync(Model + """
        class C
        {
            void M(Vm vm, int n)
            {
                using (vm.Lock.ReadGuard()) { for (var i = 0; i < n; i++) { vm.Lookup(); } }
                while (!vm.Lock.TryLockWrite()) { }
                vm.Insert();
                vm.Lock.UnlockWrite();
            }
        }
        """);

    [TestMethod]
    public Task StaticLockRequirement() => Verify.VerifyAsync("""
        static class Device
        {
            public static readonly Mutex UsmLock = new();
            [Requires("Device.UsmLock")] public static void Lookup() { }
        }
        class C { void M() { using (Device.UsmLock.Guard()) { Device.Lookup(); } } }
        """);

    [TestMethod]
    public Task OverrideInheritsTheContractOfTheMethodItOverrides() => Verify.VerifyAsync(Model + """
        abstract class Policy { [Requires("vm.Lock:write")] public abstract void Apply(Vm vm); }
        sealed class Fine : Policy { public override void Apply(Vm vm) { vm.Insert(); } }
        class C
        {
            void M(Policy p, Fine f, Vm vm)
            {
                {|XL0004:p.Apply(vm)|};
                {|XL0004:f.Apply(vm)|};
                using (vm.Lock.WriteGuard()) { p.Apply(vm); f.Apply(vm); }
            }
        }
        """);
}
