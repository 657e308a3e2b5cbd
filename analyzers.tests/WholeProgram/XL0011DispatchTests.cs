using Microsoft.CodeAnalysis.Testing;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Verify = XeLocked.Analyzers.Tests.WholeProgram.WholeProgramVerifier;

namespace XeLocked.Analyzers.Tests.WholeProgram;

/// <summary>
/// XL0011 through virtual and interface calls: which bodies a call may run. Every implementation
/// of an interface member in the compilation (declared, explicit, inherited from a base class,
/// abstract then overridden, of a generic interface), every override of a virtual method, and
/// for <c>base.M()</c> exactly the one body it names.
/// </summary>
[TestClass]
public sealed class XL0011DispatchTests
{
    // Lines: 1 usings, 2-4 the model (G.TakeB acquires B.Lock at line 4), the test's types from line 5.
    private const string Model = """
        class A { public readonly Mutex Lock = new(); }
        class B { public readonly Mutex Lock = new(); }
        static class G { public static readonly A A = new(); public static readonly B B = new(); public static void TakeB() { using (B.Lock.Guard()) { } } }

        """;

    /// <summary>Holding B, taking A: the other half of every cycle (on the line after the test's last one).</summary>
    private const string Reverse = "\n    void Reverse() { using (G.B.Lock.Guard()) { using ({|#1:G.A.Lock.Guard()|}) { } } }\n";

    private static DiagnosticResult Cycle(int callLine, string chain, int reverseLine) =>
        Verify.Diagnostic("XL0011").WithLocation(0).WithLocation(1).WithArguments(
            $"A.Lock → B.Lock → A.Lock: B.Lock acquired while A.Lock held at Test0.cs:{callLine} (through {chain}, which acquires it at Test0.cs:4); " +
            $"A.Lock acquired while B.Lock held at Test0.cs:{reverseLine}");

    [TestMethod]
    public Task InterfaceImplementedByAMethodInheritedFromTheBaseClass() => Verify.VerifyAsync(Model + """
        interface IStore { void Put(); }
        class StoreBase { public void Put() { G.TakeB(); } }
        sealed class Store : StoreBase, IStore { }
        class C
        {
            void M(IStore s) { using (G.A.Lock.Guard()) { {|#0:s.Put()|}; } }
        """ + Reverse + "}\n",
        Cycle(10, "IStore.Put() → StoreBase.Put() → TakeB()", 11));

    [TestMethod]
    public Task InterfaceImplementedByAnAbstractMethodThenOverridden() => Verify.VerifyAsync(Model + """
        interface IHandler { void Run(); }
        abstract class HandlerBase : IHandler { public abstract void Run(); }
        abstract class Middle : HandlerBase { }
        sealed class Special : Middle { public override void Run() { G.TakeB(); } }
        class C
        {
            void M(IHandler h) { using (G.A.Lock.Guard()) { {|#0:h.Run()|}; } }
        """ + Reverse + "}\n",
        Cycle(11, "IHandler.Run() → HandlerBase.Run() → Special.Run() → TakeB()", 12));

    [TestMethod]
    public Task ExplicitInterfaceImplementation() => Verify.VerifyAsync(Model + """
        interface IStore { void Put(); int Size { get; } }
        sealed class Store : IStore
        {
            void IStore.Put() { G.TakeB(); }
            int IStore.Size => 0;
        }
        class C
        {
            void M(IStore s) { using (G.A.Lock.Guard()) { {|#0:s.Put()|}; _ = s.Size; } }
        """ + Reverse + "}\n",
        Cycle(13, "IStore.Put() → Store.Put() → TakeB()", 14));

    [TestMethod]
    public Task ExplicitImplementationOfAnInterfaceProperty() => Verify.VerifyAsync(Model + """
        interface IStore { int Size { get; } }
        sealed class Store : IStore { int IStore.Size { get { G.TakeB(); return 0; } } }
        class C
        {
            int M(IStore s) { using (G.A.Lock.Guard()) { return {|#0:s.Size|}; } }
        """ + Reverse + "}\n",
        Cycle(9, "IStore.Size.get → Store.Size.get → TakeB()", 10));

    [TestMethod]
    public Task GenericInterfaceAndGenericMethod() => Verify.VerifyAsync(Model + """
        interface IStore<T> { void Put<U>(T item, U tag); }
        sealed class Store : IStore<string> { public void Put<U>(string item, U tag) { G.TakeB(); } }
        sealed class Box<T> : IStore<T> { public void Put<U>(T item, U tag) { } }
        class C
        {
            void M(IStore<string> s) { using (G.A.Lock.Guard()) { {|#0:s.Put("x", 1)|}; } }
        """ + Reverse + "}\n",
        Cycle(10, "IStore.Put() → Store.Put() → TakeB()", 11));

    [TestMethod]
    public Task InterfaceCallOnAKnownClassRunsThatClassesImplementation() => Verify.VerifyAsync(Model + """
        interface IStore { void Put(); }
        class Store : IStore { public virtual void Put() { G.TakeB(); } }
        sealed class Quiet : IStore { public void Put() { } }
        class C
        {
            void M(Quiet q, Store s) { using (G.A.Lock.Guard()) { ((IStore)q).Put(); {|#0:((IStore)s).Put()|}; } }
        """ + Reverse + "}\n",
        Cycle(10, "Put() → TakeB()", 11));

    [TestMethod]
    public Task BaseCall_RunsTheBaseBody() => Verify.VerifyAsync(Model + """
        class Handler { public virtual void Run() { G.TakeB(); } }
        sealed class Logged : Handler { public override void Run() { base.Run(); } }
        class C
        {
            void M(Logged l) { using (G.A.Lock.Guard()) { {|#0:l.Run()|}; } }
        """ + Reverse + "}\n",
        Cycle(9, "Logged.Run() → Handler.Run() → TakeB()", 10));

    [TestMethod]
    public Task ThroughAStaticAbstractInterfaceMember() => Verify.VerifyAsync(Model + """
        interface IFactory { static abstract int Make(); }
        sealed class Locking : IFactory { public static int Make() { G.TakeB(); return 1; } }
        class C
        {
            int Build<T>() where T : IFactory => T.Make();
            int M() { using (G.A.Lock.Guard()) { return {|#0:Build<Locking>()|}; } }
        """ + Reverse + "}\n",
        Cycle(10, "Build() → IFactory.Make() → Locking.Make() → TakeB()", 11));

    // ---- not reported ----

    [TestMethod]
    public Task BaseCall_DoesNotRunTheOtherOverrides() => Verify.VerifyAsync(Model + """
        class Handler { public virtual void Run() { } }
        sealed class Locking : Handler { public override void Run() { G.TakeB(); } }
        sealed class Quiet : Handler { public override void Run() { base.Run(); } }
        class C
        {
            void M(Quiet q) { using (G.A.Lock.Guard()) { q.Run(); } }
        """ + Reverse + "}\n");

    [TestMethod]
    public Task BaseCallOfAnInterfaceImplementation_DoesNotRunTheOtherImplementations() => Verify.VerifyAsync(Model + """
        interface IHandler { void Run(); }
        abstract class Handler : IHandler { public virtual void Run() { } }
        sealed class Locking : Handler { public override void Run() { G.TakeB(); } }
        sealed class Quiet : Handler { public override void Run() { base.Run(); } }
        class C
        {
            void M(Quiet q) { using (G.A.Lock.Guard()) { q.Run(); } }
        """ + Reverse + "}\n");

    [TestMethod]
    public Task SameSignatureInAClassThatDoesNotImplementTheInterface_NotARunnableBody() => Verify.VerifyAsync(Model + """
        interface IStore { void Put(); }
        sealed class Store : IStore { public void Put() { } }
        sealed class Unrelated { public void Put() { G.TakeB(); } }
        class StoreBase { public void Put() { G.TakeB(); } }
        sealed class Derived : StoreBase { }
        class C
        {
            void M(IStore s) { using (G.A.Lock.Guard()) { s.Put(); } }
        """ + Reverse + "}\n");

    [TestMethod]
    public Task CallOnAnInterfaceFromOutsideTheCompilation_NotFollowed() => Verify.VerifyAsync(Model + """
        sealed class Store : IDisposable { public void Dispose() { G.TakeB(); } }
        class C
        {
            void M(IDisposable d) { using (G.A.Lock.Guard()) { d.Dispose(); } }
        """ + Reverse + "}\n");
}
