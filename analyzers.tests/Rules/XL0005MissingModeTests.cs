using Microsoft.VisualStudio.TestTools.UnitTesting;
using Verify = XeLocked.Analyzers.Tests.Verifiers.AnalyzerVerifier<XeLocked.Analyzers.Rules.ContractAnalyzer>;

namespace XeLocked.Analyzers.Tests.Rules;

[TestClass]
public sealed class XL0005MissingModeTests
{
    private const string Types = """
        [LockPrimitive(LockKind.ReaderWriter)]
        sealed class RwSem { }
        class Vm { public readonly RwSem Lock = new(); public readonly ReaderWriterLockSlim Rw = new(); public readonly object Plain = new(); }

        """;

    [TestMethod]
    public Task RequiresWithoutMode() => Verify.VerifyAsync(Types + """
        class C { [Requires("{|XL0005:vm.Lock|}")] void M(Vm vm) { } }
        """);

    [TestMethod]
    public Task AcquiresReleasesTryAcquiresAssertsHeld_WithoutMode() => Verify.VerifyAsync(Types + """
        class C
        {
            [Acquires("{|XL0005:vm.Rw|}")] void A(Vm vm) { }
            [Releases("{|XL0005:vm.Rw|}")] void R(Vm vm) { }
            [TryAcquires(true, "{|XL0005:vm.Lock|}")] bool T(Vm vm) => true;
            [AssertsHeld("{|XL0005:vm.Lock|}")] void H(Vm vm) { }
        }
        """);

    [TestMethod]
    public Task OneFactorOfADisjunction() => Verify.VerifyAsync(Types + """
        class C { [Requires("vm.Lock:write | ({|XL0005:vm.Rw|} & vm.Plain)")] void M(Vm vm) { } }
        """);

    [TestMethod]
    public Task MessageNamesLockAndAttribute() => Verify.VerifyAsync(Types + """
        class C { [Requires("vm.Lock")] void M(Vm vm) { } }
        """,
        Verify.Diagnostic("XL0005").WithSpan(5, 22, 5, 29).WithArguments("vm.Lock", "Requires"));

    [TestMethod]
    public Task WithModes_NoDiagnostic() => Verify.VerifyAsync(Types + """
        class C
        {
            [Requires("vm.Lock:read")] void A(Vm vm) { }
            [Acquires("vm.Rw:write")] void B(Vm vm) { }
            [Requires("vm.Lock:write | (vm.Lock:read & vm.Plain)")] void D(Vm vm) { }
        }
        """);

    [TestMethod]
    public Task Releases_EitherModeDisjunction_IsTheOneAllowedForm() => Verify.VerifyAsync(Types + """
        class C
        {
            [Releases("vm.Lock:read | vm.Lock:write")] void R(Vm vm) { }
            [Releases("vm.Rw:write | vm.Rw:read")] void S(Vm vm) { }
            [Releases({|#0:"vm.Lock:read | vm.Rw:write"|})] void T(Vm vm) { }
            [Releases({|#1:"vm.Lock | vm.Lock:write"|})] void U(Vm vm) { }
            [Releases({|#2:"vm.Lock:read | vm.Lock:write | vm.Plain"|})] void V(Vm vm) { }
        }
        """,
        Verify.Diagnostic("XL0010").WithLocation(0).WithArguments("vm.Lock:read | vm.Rw:write", NotAllowed),
        Verify.Diagnostic("XL0010").WithLocation(1).WithArguments("vm.Lock | vm.Lock:write", NotAllowed),
        Verify.Diagnostic("XL0010").WithLocation(2).WithArguments("vm.Lock:read | vm.Lock:write | vm.Plain", NotAllowed));

    private const string NotAllowed =
        "alternatives ('|') are not allowed in [Releases]: it names the locks it affects (the one exception: 'x:read | x:write', released in whatever mode it is held)";

    [TestMethod]
    public Task GuardedByAndExcludes_DoNotNeedAMode() => Verify.VerifyAsync(Types + """
        class C
        {
            private readonly Vm _vm = new();
            [GuardedBy("_vm.Lock")] private int _x;
            [Excludes("vm.Lock")] void E(Vm vm) { }
        }
        """);

    [TestMethod]
    public Task ExclusiveLockWithoutMode_NoDiagnostic() => Verify.VerifyAsync(Types + """
        class C { [Requires("vm.Plain")] void M(Vm vm) { } }
        """);

    [TestMethod]
    public Task InterfaceTypedLockDoesNotNeedAMode() => Verify.VerifyAsync("""
        interface ILockish { }
        class C { [AssertsHeld("x")] static void Assert(ILockish x) { } [Requires("x")] static void Use(ILockish x) { } }
        """);
}
