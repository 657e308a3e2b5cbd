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
    public Task AcquiresTryAcquiresAssertsHeld_WithoutMode() => Verify.VerifyAsync(Types + """
        class C
        {
            [Acquires("{|XL0005:vm.Rw|}")] void A(Vm vm) { }
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
    public Task Releases_DoesNotNeedAMode_ItReleasesWhateverModeIsHeld() => Verify.VerifyAsync(Types + """
        class C
        {
            [Releases("vm.Rw")] void R(Vm vm) { }
            [Releases("vm.Lock & vm.Plain")] void S(Vm vm) { }
            [Acquires("{|#0:vm.Lock|}")][Releases("vm.Rw")] void T(Vm vm) { }
        }
        """,
        Verify.Diagnostic("XL0005").WithLocation(0).WithArguments("vm.Lock", "Acquires"));

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
