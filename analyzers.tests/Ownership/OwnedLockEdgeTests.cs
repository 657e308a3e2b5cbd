using Microsoft.VisualStudio.TestTools.UnitTesting;
using Verify = XeLocked.Analyzers.Tests.WholeProgram.WholeProgramVerifier;

namespace XeLocked.Analyzers.Tests.Ownership;

/// <summary>
/// XL0011/XL0014 and objects not yet shared: a lock of an object the method created and has not
/// published (and that the object keeps to itself) is owned by the thread: acquiring it, or holding
/// it while acquiring another lock, makes no edge of the acquisition graph. XL0001 still applies.
/// </summary>
[TestClass]
public sealed class OwnedLockEdgeTests
{
    // Lines: 1 usings, 2-13 the model, the test's classes from line 14.
    private const string Model = """
        class Owner
        {
            public readonly object Sync = new();
            public void Touch() { lock (Sync) { } }
        }
        class Connector
        {
            public readonly object Sync = new();
            private readonly Owner _owner;
            public Connector(Owner owner) { _owner = owner; }
            public void Run() { lock (Sync) { {|#1:_owner.Touch()|}; } }
        }

        """;

    [TestMethod]
    public Task FreshObjectLockedUnderASharedLock_NoEdge_SoNoCycle() => Verify.VerifyAsync(Model + """
        class C
        {
            private readonly Owner _o = new();
            void Connect() { lock (_o.Sync) { var c = new Connector(_o); lock (c.Sync) { } } }
        }
        """);

    [TestMethod]
    public Task FreshObjectsLockHeld_WhileTakingASharedOne_NoEdge() => Verify.VerifyAsync("""
        class Owner { public readonly object Sync = new(); }
        class Part
        {
            public readonly object Sync = new();
            public void Use(Owner o) { lock (o.Sync) { } }
        }
        class C
        {
            private readonly Owner _o = new();
            void Start() { var p = new Part(); lock (p.Sync) { lock (_o.Sync) { } p.Use(_o); } }
            void Nest(Part shared) { lock (_o.Sync) { lock (shared.Sync) { } } }
        }
        """);

    [TestMethod]
    public Task PublishedIntoAField_ThenLocked_TheEdgeCounts() => Verify.VerifyAsync(Model + """
        class C
        {
            private readonly Owner _o = new();
            private Connector? _current;
            void Connect() { lock (_o.Sync) { var c = new Connector(_o); _current = c; lock ({|#0:c.Sync|}) { } } }
        }
        """,
        Verify.Diagnostic("XL0011").WithLocation(1).WithLocation(0).WithArguments(
            "Connector.Sync → Owner.Sync → Connector.Sync: Owner.Sync acquired while Connector.Sync held at Test0.cs:12 (through Touch(), which acquires it at Test0.cs:5); Connector.Sync acquired while Owner.Sync held at Test0.cs:18"));

    [TestMethod]
    public Task PassedToAMethod_Publishes() => Verify.VerifyAsync(Model + """
        class C
        {
            private readonly Owner _o = new();
            void Passed() { lock (_o.Sync) { var c = new Connector(_o); Keep(c); lock ({|#0:c.Sync|}) { } } }
            static void Keep(Connector c) { }
        }
        """,
        Verify.Diagnostic("XL0011").WithLocation(1).WithLocation(0).WithArguments(
            "Connector.Sync → Owner.Sync → Connector.Sync: Owner.Sync acquired while Connector.Sync held at Test0.cs:12 (through Touch(), which acquires it at Test0.cs:5); Connector.Sync acquired while Owner.Sync held at Test0.cs:17"));

    [TestMethod]
    public Task CapturedByALambda_IsNeverOwned() => Verify.VerifyAsync(Model + """
        class C
        {
            private readonly Owner _o = new();
            void Captured() { lock (_o.Sync) { var c = new Connector(_o); Action a = () => Console.WriteLine(c); lock ({|#0:c.Sync|}) { } a(); } }
        }
        """,
        Verify.Diagnostic("XL0011").WithLocation(1).WithLocation(0).WithArguments(
            "Connector.Sync → Owner.Sync → Connector.Sync: Owner.Sync acquired while Connector.Sync held at Test0.cs:12 (through Touch(), which acquires it at Test0.cs:5); Connector.Sync acquired while Owner.Sync held at Test0.cs:17"));

    [TestMethod]
    public Task Factory_ReturningNew_IsFresh() => Verify.VerifyAsync(Model + """
        class C
        {
            private readonly Owner _o = new();
            static Connector Make(Owner o) { var c = new Connector(o); return c; }
            void Connect() { lock (_o.Sync) { var c = Make(_o); lock (c.Sync) { } } }
        }
        """);

    [TestMethod]
    public Task ASharedLockBehindAFreshObject_IsNotOwned() => Verify.VerifyAsync(Model + """
        class Child
        {
            public readonly object Sync;
            public Child(Owner o) { Sync = o.Sync; }
            public void Run(Owner o) { lock (Sync) { {|#2:o.Touch()|}; } }
        }
        class C
        {
            private readonly Owner _o = new();
            void Connect() { lock (_o.Sync) { var c = new Child(_o); lock ({|#0:c.Sync|}) { } } }
        }
        """,
        Verify.Diagnostic("XL0011").WithLocation(2).WithLocation(0).WithArguments(
            "Child.Sync → Owner.Sync → Child.Sync: Owner.Sync acquired while Child.Sync held at Test0.cs:18 (through Touch(), which acquires it at Test0.cs:5); Child.Sync acquired while Owner.Sync held at Test0.cs:23"));

    [TestMethod]
    public Task ALockTheObjectHandsOut_IsNotOwned() => Verify.VerifyAsync(Model + """
        class Leaky
        {
            public readonly object Sync = new();
            public object Expose() => Sync;
            public void Run(Owner o) { lock (Sync) { {|#2:o.Touch()|}; } }
        }
        class C
        {
            private readonly Owner _o = new();
            void Connect() { lock (_o.Sync) { var c = new Leaky(); lock ({|#0:c.Sync|}) { } } }
        }
        """,
        Verify.Diagnostic("XL0011").WithLocation(2).WithLocation(0).WithArguments(
            "Leaky.Sync → Owner.Sync → Leaky.Sync: Owner.Sync acquired while Leaky.Sync held at Test0.cs:18 (through Touch(), which acquires it at Test0.cs:5); Leaky.Sync acquired while Owner.Sync held at Test0.cs:23"));

    [TestMethod]
    public Task ANonReadonlyLockMember_NeverReassigned_IsPrivate_ButOneReassignedIsNot() => Verify.VerifyAsync(Model + """
        class Plain
        {
            internal object Sync = new object();
            public object Gate { get; set; } = new();
            public void Run(Owner o) { lock (Sync) { o.Touch(); } lock (Gate) { {|#2:o.Touch()|}; } }
        }
        class C
        {
            private readonly Owner _o = new();
            void Connect(Plain shared) { lock (_o.Sync) { var p = new Plain(); lock (p.Sync) { } lock ({|#0:p.Gate|}) { } } shared.Gate = _o.Sync; }
        }
        """,
        Verify.Diagnostic("XL0011").WithLocation(2).WithLocation(0).WithArguments(
            "Owner.Sync → Plain.Gate → Owner.Sync: Plain.Gate acquired while Owner.Sync held at Test0.cs:23; Owner.Sync acquired while Plain.Gate held at Test0.cs:18 (through Touch(), which acquires it at Test0.cs:5)"));

    [TestMethod]
    public Task MethodLockingAFreshObject_AddsNothingToItsCallersSummary() => Verify.VerifyAsync(Model + """
        class C
        {
            private readonly Owner _o = new();
            void Caller() { lock (_o.Sync) { Build(); } }
            void Build() { var c = new Connector(_o); lock (c.Sync) { } }
        }
        """);

    [TestMethod]
    public Task Constructor_LockingItsOwnLock_BeforePublishingThis_NoEdge() => Verify.VerifyAsync("""
        class Owner
        {
            public readonly object Sync = new();
            public void Touch() { lock (Sync) { } }
        }
        class Node
        {
            public readonly object Sync = new();
            public Node(Owner o) { lock (Sync) { o.Touch(); } }
            public void Attach(Owner o) { lock (o.Sync) { lock (Sync) { } } }
        }
        """);

    [TestMethod]
    public Task Constructor_LockingAfterPublishingThis_TheEdgeCounts() => Verify.VerifyAsync("""
        static class Registry { public static readonly System.Collections.Generic.List<object> All = new(); }
        class Owner
        {
            public readonly object Sync = new();
            public void Touch() { lock (Sync) { } }
        }
        class Node
        {
            public readonly object Sync = new();
            public Node(Owner o) { Registry.All.Add(this); lock (Sync) { {|#0:o.Touch()|}; } }
            public void Attach(Owner o) { lock (o.Sync) { lock ({|#1:Sync|}) { } } }
        }
        """,
        Verify.Diagnostic("XL0011").WithLocation(0).WithLocation(1).WithArguments(
            "Node.Sync → Owner.Sync → Node.Sync: Owner.Sync acquired while Node.Sync held at Test0.cs:11 (through Touch(), which acquires it at Test0.cs:6); Node.Sync acquired while Owner.Sync held at Test0.cs:12"));

    [TestMethod]
    public Task UnorderedNesting_WithAnOwnedLock_IsNotXL0014_ButADeclaredOrderViolationIsStillXL0001() => Verify.VerifyAsync("""
        class Outer { [LockOrder(Before = new[] { "Inner.Lock" })] public readonly Mutex Lock = new(); }
        class Inner { [LockOrder] public readonly Mutex Lock = new(); }
        class Side { [LockOrder] public readonly Mutex Lock = new(); }
        class C
        {
            void Unordered(Side s) { var i = new Inner(); using (i.Lock.Guard()) { using (s.Lock.Guard()) { } } }
            void Reversed(Outer o) { var i = new Inner(); using (i.Lock.Guard()) { using ({|#0:o.Lock.Guard()|}) { } } }
        }
        """,
        Verify.Diagnostic("XL0001").WithLocation(0).WithArguments("o.Lock", "i.Lock", "Outer.Lock", "Inner.Lock"));

    [TestMethod]
    public Task InitMethod_CalledOnlyOnFreshObjects_ItsOwnLockMakesNoEdge() => Verify.VerifyAsync("""
        class Owner
        {
            public readonly object Sync = new();
            public void Touch() { lock (Sync) { } }
            void Connect() { var c = new Connector(this); c.Open(); lock (Sync) { c.Attach(); } }
        }
        class Connector
        {
            public readonly object Sync = new();
            private readonly Owner _owner;
            public Connector(Owner owner) { _owner = owner; }
            internal void Open() { lock (Sync) { _owner.Touch(); } }
            internal void Attach() { lock (Sync) { } }
        }
        """);

    [TestMethod]
    public Task InitMethod_AlsoCalledOnASharedObject_ItsEdgeCounts() => Verify.VerifyAsync("""
        class Owner
        {
            public readonly object Sync = new();
            public void Touch() { lock (Sync) { } }
            void Connect(Connector shared) { var c = new Connector(this); c.Open(); shared.Open(); lock (Sync) { {|#1:shared.Attach()|}; } }
        }
        class Connector
        {
            public readonly object Sync = new();
            private readonly Owner _owner;
            public Connector(Owner owner) { _owner = owner; }
            internal void Open() { lock (Sync) { {|#0:_owner.Touch()|}; } }
            internal void Attach() { lock (Sync) { } }
        }
        """,
        Verify.Diagnostic("XL0011").WithLocation(1).WithLocation(0).WithArguments(
            "Connector.Sync → Owner.Sync → Connector.Sync: Owner.Sync acquired while Connector.Sync held at Test0.cs:13 (through Touch(), which acquires it at Test0.cs:5); Connector.Sync acquired while Owner.Sync held at Test0.cs:6 (through Attach(), which acquires it at Test0.cs:14)"));
}
