using Microsoft.CodeAnalysis.Testing;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Verify = XeLocked.Analyzers.Tests.WholeProgram.WholeProgramVerifier;

namespace XeLocked.Analyzers.Tests.WholeProgram;

/// <summary>
/// XL0011 through object construction: a constructor runs the instance field and property
/// initializers (unless it chains to <c>this(...)</c>), its <c>this(...)</c>/<c>base(...)</c>
/// initializer (written or implicit), and an implicit constructor runs the initializers and the
/// base class's parameterless constructor; <c>new()</c> and <c>with</c> (a record's copy
/// constructor) are constructions too.
/// </summary>
[TestClass]
public sealed class XL0011ConstructionTests
{
    // Lines: 1 usings, 2-4 the model (G.TakeB acquires B.Lock at line 4), the test's types from line 5.
    private const string Model = """
        class A { public readonly Mutex Lock = new(); }
        class B { public readonly Mutex Lock = new(); }
        static class G { public static readonly A A = new(); public static readonly B B = new(); public static int TakeB() { using (B.Lock.Guard()) { return 1; } } }

        """;

    /// <summary>Holding B, taking A: the other half of every cycle (on the line after the test's last one).</summary>
    private const string Reverse = "\n    void Reverse() { using (G.B.Lock.Guard()) { using ({|#1:G.A.Lock.Guard()|}) { } } }\n}\n";

    private static DiagnosticResult Cycle(int callLine, string chain, int reverseLine) =>
        Verify.Diagnostic("XL0011").WithLocation(0).WithLocation(1).WithArguments(
            $"A.Lock → B.Lock → A.Lock: B.Lock acquired while A.Lock held at Test0.cs:{callLine} (through {chain}, which acquires it at Test0.cs:4); " +
            $"A.Lock acquired while B.Lock held at Test0.cs:{reverseLine}");

    [TestMethod]
    public Task FieldInitializer_OfAClassWithoutAConstructor() => Verify.VerifyAsync(Model + """
        sealed class Widget { private readonly int _id = G.TakeB(); }
        class C
        {
            void M() { using (G.A.Lock.Guard()) { _ = {|#0:new Widget()|}; } }
        """ + Reverse,
        Cycle(8, "new Widget() → _id initializer → TakeB()", 9));

    [TestMethod]
    public Task PropertyInitializer_ThroughAThisChain() => Verify.VerifyAsync(Model + """
        sealed class Widget
        {
            public int Id { get; } = G.TakeB();
            public Widget(int size) { }
            public Widget() : this(0) { }
        }
        class C
        {
            void M() { using (G.A.Lock.Guard()) { _ = {|#0:new Widget()|}; } }
        """ + Reverse,
        Cycle(13, "new Widget() → this(…) → Id initializer → TakeB()", 14));

    [TestMethod]
    public Task BaseClassInitializer_ThroughAnImplicitBaseCall() => Verify.VerifyAsync(Model + """
        class WidgetBase { private readonly int _id = G.TakeB(); }
        sealed class Widget : WidgetBase { public Widget() { } }
        class C
        {
            void M() { using (G.A.Lock.Guard()) { _ = {|#0:new Widget()|}; } }
        """ + Reverse,
        Cycle(9, "new Widget() → base(…) → _id initializer → TakeB()", 10));

    [TestMethod]
    public Task BaseConstructor_ThroughAnImplicitConstructor() => Verify.VerifyAsync(Model + """
        class WidgetBase { protected WidgetBase() { G.TakeB(); } }
        sealed class Widget : WidgetBase { }
        class C
        {
            void M() { using (G.A.Lock.Guard()) { _ = {|#0:new Widget()|}; } }
        """ + Reverse,
        Cycle(9, "new Widget() → base(…) → TakeB()", 10));

    [TestMethod]
    public Task WrittenBaseInitializer() => Verify.VerifyAsync(Model + """
        class WidgetBase { protected WidgetBase(int size) { G.TakeB(); } }
        sealed class Widget : WidgetBase { public Widget() : base(4) { } }
        class C
        {
            void M() { using (G.A.Lock.Guard()) { _ = {|#0:new Widget()|}; } }
        """ + Reverse,
        Cycle(9, "new Widget() → base(…) → TakeB()", 10));

    [TestMethod]
    public Task PrimaryConstructor_RunsTheInitializers() => Verify.VerifyAsync(Model + """
        sealed class Widget(int size) { private readonly int _id = G.TakeB() + size; }
        class C
        {
            void M() { using (G.A.Lock.Guard()) { _ = {|#0:new Widget(1)|}; } }
        """ + Reverse,
        Cycle(8, "new Widget() → _id initializer → TakeB()", 9));

    [TestMethod]
    public Task PrimaryConstructor_WrittenBaseArguments() => Verify.VerifyAsync(Model + """
        class WidgetBase { protected WidgetBase(int size) { G.TakeB(); } }
        sealed class Widget(int size) : WidgetBase(size) { }
        class C
        {
            void M() { using (G.A.Lock.Guard()) { _ = {|#0:new Widget(1)|}; } }
        """ + Reverse,
        Cycle(9, "new Widget() → base(…) → TakeB()", 10));

    [TestMethod]
    public Task PrimaryConstructor_ImplicitBaseCall() => Verify.VerifyAsync(Model + """
        class WidgetBase { protected WidgetBase() { G.TakeB(); } }
        sealed class Widget(int size) : WidgetBase { public int Size => size; }
        class C
        {
            void M() { using (G.A.Lock.Guard()) { _ = {|#0:new Widget(1)|}; } }
        """ + Reverse,
        Cycle(9, "new Widget() → base(…) → TakeB()", 10));

    [TestMethod]
    public Task TargetTypedNew() => Verify.VerifyAsync(Model + """
        sealed class Widget { public Widget() { G.TakeB(); } }
        class C
        {
            void M() { using (G.A.Lock.Guard()) { Widget w = {|#0:new()|}; } }
        """ + Reverse,
        Cycle(8, "new Widget() → TakeB()", 9));

    [TestMethod]
    public Task InitializerSeenThroughACallee_TwoCallsDeep() => Verify.VerifyAsync(Model + """
        sealed class Widget { private readonly int _id = G.TakeB(); }
        static class Factory { public static Widget Make() => new Widget(); }
        class C
        {
            void M() { using (G.A.Lock.Guard()) { {|#0:Factory.Make()|}; } }
        """ + Reverse,
        Cycle(9, "Make() → new Widget() → _id initializer → TakeB()", 10));

    [TestMethod]
    public Task WithExpression_RunsTheRecordsCopyConstructor() => Verify.VerifyAsync(Model + """
        record Settings(int Size)
        {
            protected Settings(Settings other) { Size = other.Size; G.TakeB(); }
        }
        class C
        {
            Settings M(Settings s) { using (G.A.Lock.Guard()) { return {|#0:s with { Size = 2 }|}; } }
        """ + Reverse,
        Cycle(11, "new Settings() → TakeB()", 12));

    [TestMethod]
    public Task WithExpressionInACallee() => Verify.VerifyAsync(Model + """
        record Settings(int Size)
        {
            protected Settings(Settings other) { Size = other.Size; G.TakeB(); }
        }
        class C
        {
            static Settings Grow(Settings s) => s with { Size = s.Size + 1 };
            Settings M(Settings s) { using (G.A.Lock.Guard()) { return {|#0:Grow(s)|}; } }
        """ + Reverse,
        Cycle(12, "Grow() → new Settings() → TakeB()", 13));

    // ---- not reported ----

    [TestMethod]
    public Task StaticFieldInitializer_NotRunByNew() => Verify.VerifyAsync(Model + """
        sealed class Widget { private static readonly int s_id = G.TakeB(); }
        class C
        {
            void M() { using (G.A.Lock.Guard()) { _ = new Widget(); } }
        """ + Reverse);

    [TestMethod]
    public Task InitializersOfAnotherConstructorsType_OrAStructsDefault_NotRun() => Verify.VerifyAsync(Model + """
        struct Slot { private int _id = G.TakeB(); public Slot(int size) { } }
        sealed class Widget { private readonly int _id = G.TakeB(); }
        sealed class Gadget { public Gadget() { } }
        class C
        {
            void M() { using (G.A.Lock.Guard()) { _ = new Slot(); _ = new Gadget(); } }
        """ + Reverse);

    [TestMethod]
    public Task LambdaInAnInitializer_NotRunByTheConstructor() => Verify.VerifyAsync(Model + """
        sealed class Widget { private readonly Func<int> _later = () => G.TakeB(); }
        class C
        {
            void M() { using (G.A.Lock.Guard()) { _ = new Widget(); } }
        """ + Reverse);

    [TestMethod]
    public Task InitializerWithoutALock_NoEdge() => Verify.VerifyAsync(Model + """
        sealed class Widget { private readonly int _id = 3; private readonly System.Collections.Generic.List<int> _items = new(); }
        record Settings(int Size);
        class C
        {
            void M(Settings s) { using (G.A.Lock.Guard()) { _ = new Widget(); _ = s with { Size = 1 }; } }
        """ + Reverse);
}
