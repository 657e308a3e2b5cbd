using Microsoft.VisualStudio.TestTools.UnitTesting;
using Verify = XeLocked.Analyzers.Tests.Verifiers.FlowVerifier<XeLocked.Analyzers.Rules.GuardedAccessAnalyzer>;

namespace XeLocked.Analyzers.Tests.Ownership;

/// <summary>
/// XL0002 and objects not yet shared: accesses through a local that holds a fresh object (created
/// here or by a factory) need no lock until the object is published; a private method called only
/// on such objects is checked as a constructor is.
/// </summary>
[TestClass]
public sealed class OwnedGuardedAccessTests
{
    private const string Item = """
        class Item
        {
            public readonly object Lock = new();
            [GuardedBy("Lock")] public int Size;
            [GuardedBy("Lock")] public int Count { get; set; }
        }

        """;

    [TestMethod]
    public Task ObjectInitializer_OfMembersGuardedByTheNewObjectsLock_NotReported() => Verify.VerifyAsync(Item + """
        class C
        {
            Item Make() => new Item { Size = 1, Count = 2 };
            object MakeAnonymous() => new { X = new Item { Size = 3 } };
        }
        """);

    [TestMethod]
    public Task FreshLocal_AccessedWithoutLock_UntilPublished() => Verify.VerifyAsync(Item + """
        class C
        {
            private readonly System.Collections.Generic.List<Item> _list = new();

            void Add()
            {
                var item = new Item();
                item.Size = 1;
                item.Count++;
                _list.Add(item);
                {|#0:item.Size|} = 2;
            }
        }
        """,
        Verify.Diagnostic("XL0002").WithLocation(0).WithArguments("Writing", "Size", "Lock", "'item.Lock' is not held"));

    [TestMethod]
    public Task StoredInAField_OrArray_OrReturned_Publishes() => Verify.VerifyAsync(Item + """
        class C
        {
            private Item? _last;
            private readonly Item[] _slots = new Item[4];

            void Field() { var a = new Item(); _last = a; {|XL0002:a.Size|} = 1; }
            void Array() { var a = new Item(); _slots[0] = a; {|XL0002:a.Size|} = 1; }
            void Argument() { var a = new Item(); Console.WriteLine(a); {|XL0002:a.Size|} = 1; }
            void OtherLocal(bool b) { var a = new Item(); Item x; x = a; if (b) x = new Item(); {|XL0002:a.Size|} = 1; }
            void Alias() { var a = new Item(); var same = a; same.Size = 1; a.Size = 2; }
        }
        """);

    [TestMethod]
    public Task CapturedByALambda_NeverOwned() => Verify.VerifyAsync(Item + """
        class C
        {
            void M()
            {
                var a = new Item();
                {|XL0002:a.Size|} = 1;
                Action later = () => Console.WriteLine(a);
                later();
            }
        }
        """);

    [TestMethod]
    public Task FlowSensitive_BranchPublishing_AndLoopReallocating() => Verify.VerifyAsync(Item + """
        class C
        {
            private readonly System.Collections.Generic.List<Item> _list = new();

            void Branch(bool b)
            {
                var a = new Item();
                if (b) { _list.Add(a); }
                {|XL0002:a.Size|} = 1;
            }

            void Loop(int n)
            {
                for (var i = 0; i < n; i++)
                {
                    var a = new Item();
                    a.Size = i;
                    _list.Add(a);
                }
            }

            void Reassigned(Item shared)
            {
                var a = new Item();
                a.Size = 1;
                a = shared;
                {|XL0002:a.Size|} = 2;
            }
        }
        """);

    [TestMethod]
    public Task Factory_ReturningNew_IsFresh_ButNotOneReturningAStoredObject() => Verify.VerifyAsync(Item + """
        class C
        {
            private Item? _cached;

            static Item Create() => new Item();
            static Item CreateVia() { var i = Create(); i.Size = 4; return i; }
            Item Cached() { var i = new Item(); _cached = i; return i; }
            Item Either(bool b) => b ? new Item() : _cached!;

            void M()
            {
                var a = Create();
                a.Size = 1;
                var b = CreateVia();
                b.Size = 2;
                var c = Cached();
                {|XL0002:c.Size|} = 3;
                var d = Either(true);
                {|XL0002:d.Size|} = 4;
            }
        }
        """);

    [TestMethod]
    public Task ConstructorThatPublishesThis_TheNewObjectIsNotOwned() => Verify.VerifyAsync("""
        static class Registry { public static readonly System.Collections.Generic.List<object> All = new(); }
        class Leaky
        {
            public readonly object Lock = new();
            [GuardedBy("Lock")] public int Size;
            public Leaky() { Registry.All.Add(this); }
        }
        class Chained : Leaky { public Chained() : base() { } }
        class Quiet
        {
            public readonly object Lock = new();
            [GuardedBy("Lock")] public int Size;
            public Quiet() { Size = 0; }
            public Quiet(int n) : this() { Size = n; }
        }
        class C
        {
            void M()
            {
                var a = new Leaky();
                {|XL0002:a.Size|} = 1;
                var b = new Chained();
                {|XL0002:b.Size|} = 1;
                var q = new Quiet(3);
                q.Size = 1;
            }
        }
        """);

    [TestMethod]
    public Task CallsOnTheOwnedObject_KeepItOwnedUnlessTheMethodLetsThisEscape() => Verify.VerifyAsync("""
        static class Registry { public static readonly System.Collections.Generic.List<object> All = new(); }
        class Conn
        {
            public readonly object Lock = new();
            [GuardedBy("Lock")] public int State;
            public void Configure(int n) { Console.WriteLine(n); }
            public void Publish() { Registry.All.Add(this); }
            public virtual void Hook() { }
        }
        class C
        {
            void Kept() { var c = new Conn(); c.Configure(1); c.State = 1; }
            void Escaped() { var c = new Conn(); c.Publish(); {|XL0002:c.State|} = 1; }
            void Virtual() { var c = new Conn(); c.Hook(); {|XL0002:c.State|} = 1; }
        }
        """);

    [TestMethod]
    public Task InitMethod_CalledOnlyOnFreshObjects_IsCheckedAsAConstructor() => Verify.VerifyAsync("""
        class Conn
        {
            private readonly object _lock = new();
            [GuardedBy("_lock")] private int _state;
            [GuardedBy("_lock")] private int _retries;

            public Conn() { Reset(); }
            private void Reset() { _retries = 0; }
            internal void Open(int s) { _state = s; Start(); }
            private void Start() { _retries = 1; }

            public static Conn Create() { var c = new Conn(); c.Open(1); return c; }
        }
        class Factory
        {
            Conn Make() { var c = new Conn(); c.Open(2); return c; }
        }
        """);

    [TestMethod]
    public Task InitMethod_AlsoCalledOnASharedObject_IsReported() => Verify.VerifyAsync("""
        class Conn
        {
            private readonly object _lock = new();
            [GuardedBy("_lock")] private int _state;

            internal void Open(int s) { {|XL0002:_state|} = s; }

            public static Conn Create() { var c = new Conn(); c.Open(1); return c; }
        }
        class User
        {
            private readonly Conn _shared = Conn.Create();
            void Reopen() { _shared.Open(3); }
        }
        """);

    [TestMethod]
    public Task InitMethod_AccessesAfterItPublishesThis_AreReported() => Verify.VerifyAsync("""
        static class Registry { public static readonly System.Collections.Generic.List<object> All = new(); }
        class Conn
        {
            private readonly object _lock = new();
            [GuardedBy("_lock")] private int _state;

            private void Start() { _state = 1; Registry.All.Add(this); {|XL0002:_state|} = 2; }

            public static Conn Create() { var c = new Conn(); c.Start(); return c; }
        }
        """);

    [TestMethod]
    public Task InitMethod_CalledFromAConstructorAfterPublishingThis_IsReported() => Verify.VerifyAsync("""
        static class Registry { public static readonly System.Collections.Generic.List<object> All = new(); }
        class Conn
        {
            private readonly object _lock = new();
            [GuardedBy("_lock")] private int _state;

            public Conn() { Registry.All.Add(this); Start(); }
            private void Start() { {|XL0002:_state|} = 1; }
        }
        """);

    [TestMethod]
    public Task PublicMethod_OrMethodGroup_IsNotAnInitMethod() => Verify.VerifyAsync("""
        public class Conn
        {
            private readonly object _lock = new();
            [GuardedBy("_lock")] private int _state;

            public void Open() { {|XL0002:_state|} = 1; }
            private void Start() { {|XL0002:_state|} = 2; }

            public static Conn Create() { var c = new Conn(); c.Open(); c.Start(); Action a = c.Start; return c; }
        }
        """);
}
