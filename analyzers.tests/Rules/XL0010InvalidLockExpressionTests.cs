using Microsoft.CodeAnalysis.Testing;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using XeLocked.Analyzers.Rules;
using Verify = XeLocked.Analyzers.Tests.Verifiers.AnalyzerVerifier<XeLocked.Analyzers.Rules.ContractAnalyzer>;

namespace XeLocked.Analyzers.Tests.Rules;

[TestClass]
public sealed class XL0010InvalidLockExpressionTests
{
    [TestMethod]
    public Task MisspelledMember_IsReportedAtTheSegment() => Verify.VerifyAsync("""
        class C
        {
            private readonly object Lock = new();
            [GuardedBy("{|XL0010:Lokc|}")] private int _x;
        }
        """);

    [TestMethod]
    public Task MisspelledMember_MessageNamesMemberAndType() => Verify.VerifyAsync("""
        class C
        {
            private readonly object Lock = new();
            [GuardedBy("Lokc")] private int _x;
        }
        """,
        Verify.Diagnostic("XL0010").WithSpan(5, 17, 5, 21).WithArguments("Lokc", "'Lokc' is not a member of 'C'"));

    [TestMethod]
    public Task ParseError_IsReportedAtTheOperatorWithColumn() => Verify.VerifyAsync("""
        class C
        {
            private readonly object Lock = new();
            [GuardedBy("Lock &")] private int _x;
        }
        """,
        Verify.Diagnostic("XL0010").WithSpan(5, 22, 5, 23).WithArguments("Lock &", "column 6: expected a lock path after '&'"));

    [TestMethod]
    public Task ValueType_CannotBeALock() => Verify.VerifyAsync("""
        class C
        {
            private int Count;
            [GuardedBy("Count")] private int _x;
        }
        """,
        Verify.Diagnostic("XL0010").WithSpan(5, 17, 5, 22).WithArguments("Count", "'Count' is of value type 'int' and cannot be a lock"));

    [TestMethod]
    public Task ModeOnExclusiveLock_IsReportedAtTheMode() => Verify.VerifyAsync("""
        class C
        {
            private readonly object Lock = new();
            [Requires("Lock:read")] void M() { }
        }
        """,
        Verify.Diagnostic("XL0010").WithSpan(5, 20, 5, 25).WithArguments("Lock:read", "':read' on exclusive lock 'Lock'"));

    [TestMethod]
    public Task ModeOnThreadingLock_IsReported() => Verify.VerifyAsync("""
        class C
        {
            private readonly Lock Gate = new();
            [Acquires("Gate{|XL0010::write|}")] void M() { }
        }
        """);

    [TestMethod]
    public Task NestedPath_BadInnerSegment() => Verify.VerifyAsync("""
        class Vm { public readonly object Lock = new(); }
        class C
        {
            [Requires("vm.{|XL0010:Lokc|}")] void M(Vm vm) { }
        }
        """);

    [TestMethod]
    public Task UnknownParameter_OnMethod() => Verify.VerifyAsync("""
        class Vm { public readonly object Lock = new(); }
        class C
        {
            [Requires("{|XL0010:vx|}.Lock")] void M(Vm vm) { }
        }
        """);

    [TestMethod]
    public Task ConstArgument_FallsBackToTheWholeArgument() => Verify.VerifyAsync("""
        class C
        {
            private const string Name = "Lokc";
            private readonly object Lock = new();
            [GuardedBy({|XL0010:Name|})] private int _x;
        }
        """);

    [TestMethod]
    public Task EscapedLiteral_FallsBackToTheWholeLiteral() => Verify.VerifyAsync("""
        class C
        {
            private readonly object Lock = new();
            [GuardedBy({|XL0010:"\u004Cokc"|})] private int _x;
        }
        """);

    [TestMethod]
    public Task GuardedByNamedWrite_IsResolvedToo() => Verify.VerifyAsync("""
        class C
        {
            private readonly object Lock = new();
            [GuardedBy("Lock", Write = "Lock & {|XL0010:Other|}")] private int _x;
        }
        """);

    [TestMethod]
    public Task LockOrderClassName_UnknownType() => Verify.VerifyAsync("""
        class C
        {
            [LockOrder(After = new[] { "{|XL0010:Foo|}.Lock" })]
            private readonly object Lock = new();
        }
        """);

    [TestMethod]
    public Task LockOrderClassName_UnknownMember() => Verify.VerifyAsync("""
        class D { public readonly object Lock = new(); }
        class C
        {
            [LockOrder(Before = new[] { "D.{|XL0010:Lokc|}" })]
            private readonly object Lock = new();
        }
        """);

    [TestMethod]
    public Task LockOrderClassName_WithoutDot() => Verify.VerifyAsync("""
        class C
        {
            [LockOrder(Before = new[] { "{|XL0010:Lock|}" })]
            private readonly object Lock = new();
        }
        """);

    [TestMethod]
    public Task AlternativesInAcquires_AreRejected() => Verify.VerifyAsync("""
        class C
        {
            private readonly object A = new(), B = new();
            [Acquires({|XL0010:"A | B"|})] void M() { }
        }
        """);

    [TestMethod]
    public Task ThisInStaticMethod_IsRejected() => Verify.VerifyAsync("""
        class C
        {
            private readonly object Lock = new();
            [Requires("{|XL0010:this|}.Lock")] static void M() { }
        }
        """);

    [TestMethod]
    public Task LocalFunctionContract_IsChecked() => Verify.VerifyAsync("""
        class C
        {
            private readonly object Lock = new();
            void M()
            {
                [Requires("{|XL0010:Lokc|}")] void Local() { }
                Local();
            }
        }
        """);

    [TestMethod]
    public Task LambdaContract_IsChecked() => Verify.VerifyAsync("""
        class C
        {
            private readonly object Lock = new();
            void M() { Action a = [Requires("{|XL0010:Lokc|}")] () => { }; a(); }
        }
        """);

    [TestMethod]
    public Task BrokenCode_DoesNotCrash() => Verify.VerifyBrokenCodeAsync("""
        class C
        {
            private readonly Missing Lock = new();
            [GuardedBy("{|XL0010:Lock|}")] private int _x;
            [Requires("Lock{|XL0010:.|}")] void M( { }
        }
        """);

    // ---- valid expressions: no diagnostics ----

    [TestMethod]
    public Task ValidPaths_FieldPropertyThisStaticParameterNested() => Verify.VerifyAsync("""
        class Svm { public object RangeLock { get; } = new(); }
        class Vm { public readonly ReaderWriterLockSlim Lock = new(); public Svm Svm = new(); }
        static class Globals { public static readonly object Big = new(); }
        class C
        {
            private readonly object Sync = new();
            private object SyncProp { get; } = new();
            private static readonly Lock StaticGate = new();
            [GuardedBy("Sync")] private int _a;
            [GuardedBy("this.SyncProp")] private int _b;
            [GuardedBy("Globals.Big")] private int _c;
            [GuardedBy("StaticGate")] private static int s_d;
            [GuardedBy("C.StaticGate")] private static int s_e;
            [Requires("vm.Svm.RangeLock")] void M1(Vm vm) { }
            [Requires("vm.Lock:write | (vm.Lock:read & Sync)")] void M2(Vm vm) { }
            [Requires("this")] void M3() { }
            [Excludes("Sync")] void M4() { }
            [TryAcquires(true, "Sync")] bool M5() => false;
            [AssertsHeld("vm.Lock:read")] void M6(Vm vm) { }
        }
        """);

    [TestMethod]
    public Task ValidPaths_ReaderWriterGuardWithoutMode() => Verify.VerifyAsync("""
        class C
        {
            public readonly ReaderWriterLockSlim Rw = new();
            [GuardedBy("Rw")] private int _a;
            [GuardedBy("Rw:read", Write = "Rw:write")] private int _b;
        }
        """);

    [TestMethod]
    public Task ValidPaths_LockPrimitiveThis() => Verify.VerifyAsync("""
        [LockPrimitive(LockKind.ReaderWriter)]
        sealed class RwSem
        {
            [Acquires("this:read")] public void LockRead() { }
            [Releases("this:read")] public void UnlockRead() { }
            [TryAcquires(true, "this:write")] public bool TryLockWrite() => true;
        }
        [LockPrimitive(LockKind.Exclusive)]
        sealed class Mutex
        {
            [Acquires("this")] public void Lock() { }
        }
        class Vm
        {
            public readonly RwSem Lock = new();
            [GuardedBy("Lock")] public int Data;
        }
        """);

    [TestMethod]
    public Task ValidPaths_InterfaceLockAcceptsModes() => Verify.VerifyAsync("""
        interface ILockish { }
        class C
        {
            [AssertsHeld("x:read")] static void AssertRead(ILockish x) { }
        }
        """);

    [TestMethod]
    public Task ValidLockOrder_QualifiedAndSimpleNames() => Verify.VerifyAsync("""
        namespace N
        {
            class Vm { [LockOrder(Before = new[] { "N.Range.Lock" })] public readonly object Lock = new(); }
            class Range { [LockOrder(After = new[] { "Vm.Lock" })] public readonly object Lock = new(); }
        }
        """);

    [TestMethod]
    public Task VerbatimLiteral_IsLocatedInside() => Verify.VerifyAsync("""
        class C
        {
            private readonly object Lock = new();
            [GuardedBy(@"{|XL0010:Lokc|}")] private int _x;
        }
        """);

    private const string ValidContext = """
        class Svm { public object RangeLock { get; } = new(); }
        class Vm { public readonly ReaderWriterLockSlim Lock = new(); public Svm Svm = new(); public static readonly object Global = new(); }
        class C
        {
            private readonly object Sync = new();
            private object SyncProp { get; } = new();
            private static readonly Lock StaticGate = new();
            private readonly Vm Owner = new();

        """;

    [TestMethod]
    [DataRow("Sync")]
    [DataRow("this.Sync")]
    [DataRow("SyncProp")]
    [DataRow("this.SyncProp")]
    [DataRow("StaticGate")]
    [DataRow("C.StaticGate")]
    [DataRow("Vm.Global")]
    [DataRow("Owner.Lock")]
    [DataRow("Owner.Lock:read")]
    [DataRow("Owner.Lock:write | (Owner.Lock:read & Sync)")]
    [DataRow("Owner.Svm.RangeLock")]
    [DataRow("this.Owner.Svm.RangeLock & Sync")]
    [DataRow(" Sync  &  ( StaticGate | SyncProp ) ")]
    public Task ValidGuardedBy_NoDiagnostic(string expression) => Verify.VerifyAsync(ValidContext + $$"""
            [GuardedBy("{{expression}}")] private int _x;
        }
        """);

    [TestMethod]
    [DataRow("vm.Lock:read")]
    [DataRow("vm.Svm.RangeLock")]
    [DataRow("vm.Lock:write | (vm.Lock:read & Sync)")]
    [DataRow("this")]
    [DataRow("Owner.Lock:write & vm.Lock:read")]
    public Task ValidRequiresOnMethod_NoDiagnostic(string expression) => Verify.VerifyAsync(ValidContext + $$"""
            [Requires("{{expression}}")] void M(Vm vm) { }
        }
        """);
    [TestMethod]
    public Task AlternativesInAssertsHeld_AreAccepted_OtherContractsRejectThem() => Verify.VerifyAsync("""
        class Vm
        {
            public readonly ReaderWriterLockSlim Lock = new();
            public readonly object FaultLock = new();
            [AssertsHeld("vm.Lock:write | (vm.Lock:read & vm.FaultLock)")] public static void AssertPinned(Vm vm) { }
            [AssertsHeld("vm.Lock:read | vm.FaultLock")] public static void AssertEither(Vm vm) { }
            [TryAcquires(true, {|XL0010:"vm.FaultLock | vm.Lock:read"|})] public static bool TryEither(Vm vm) => false;
            [Excludes({|XL0010:"vm.FaultLock | vm.Lock:read"|})] public static void Outside(Vm vm) { }
            [Releases({|XL0010:"vm.FaultLock | vm.Lock:read"|})] public static void ReleaseEither(Vm vm) { }
        }
        """);
}
