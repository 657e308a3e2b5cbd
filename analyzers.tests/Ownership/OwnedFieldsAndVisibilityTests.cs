using Microsoft.VisualStudio.TestTools.UnitTesting;
using Verify = XeLocked.Analyzers.Tests.Verifiers.FlowVerifier<XeLocked.Analyzers.Rules.GuardedAccessAnalyzer>;

namespace XeLocked.Analyzers.Tests.Ownership;

/// <summary>
/// Objects not yet shared, two refinements: a fresh object stored in a field of the object under
/// construction is still unshared (until it, or the owner, is published, or code runs on the owner);
/// and "called only on owned objects" uses the effective accessibility of a method (a public method
/// of an internal class is internal).
/// </summary>
[TestClass]
public sealed class OwnedFieldsAndVisibilityTests
{
    private const string Index = """
        internal sealed class R12_Index
        {
            private readonly object _lock = new();
            [GuardedBy("_lock")] private int _last;
            [GuardedBy("_lock")] internal int Count;
            public void Restore(int v) { _last = v; }
            public void Set(int v) { lock (_lock) { _last = v; } }
        }

        """;

    private const string IndexReported = """
        internal sealed class R12_Index
        {
            private readonly object _lock = new();
            [GuardedBy("_lock")] private int _last;
            [GuardedBy("_lock")] internal int Count;
            public void Restore(int v) { {|XL0002:_last|} = v; }
            public void Set(int v) { lock (_lock) { _last = v; } }
        }

        """;

    [TestMethod]
    public Task FreshObjectInAFieldOfTheObjectUnderConstruction_IsStillOwned() => Verify.VerifyAsync(Index + """
        internal sealed class R12_Engine
        {
            private readonly R12_Index _index;
            private readonly R12_Index _index2;
            public R12_Engine()
            {
                _index = new R12_Index();
                _index.Restore(5);
                _index.Count = 1;
                var local = new R12_Index();
                local.Restore(6);
                _index2 = local;
            }
        }
        """);

    [TestMethod]
    public Task AlsoInAPrivateMethodCalledOnlyFromTheConstructor() => Verify.VerifyAsync(Index + """
        internal sealed class R12_Engine
        {
            private R12_Index _index = null!;
            public R12_Engine() { Open(); }
            private void Open() { _index = new R12_Index(); _index.Restore(5); }
        }
        """);

    [TestMethod]
    public Task AlsoCalledOnTheFieldOfAPublishedObject_IsXL0002() => Verify.VerifyAsync(IndexReported + """
        internal sealed class R12_Engine
        {
            private readonly R12_Index _index;
            public R12_Engine() { _index = new R12_Index(); _index.Restore(5); }
            public void Reset() { _index.Restore(1); }
        }
        """);

    [TestMethod]
    public Task ThisEscapesBeforeTheCall_IsXL0002() => Verify.VerifyAsync(IndexReported + """
        internal sealed class R12_Engine
        {
            internal static R12_Engine? Last;
            private readonly R12_Index _index;
            public R12_Engine() { _index = new R12_Index(); Last = this; _index.Restore(5); }
        }
        """);

    [TestMethod]
    public Task ThisPassedToUnknownCode_IsXL0002() => Verify.VerifyAsync(IndexReported + """
        internal sealed class R12_Engine
        {
            private readonly R12_Index _index;
            public R12_Engine() { _index = new R12_Index(); Console.WriteLine(this); _index.Restore(5); }
        }
        """);

    [TestMethod]
    public Task FieldObjectPublished_OrCodeRunOnThis_BeforeTheCall_IsXL0002() => Verify.VerifyAsync("""
        internal sealed class Index
        {
            private readonly object _lock = new();
            [GuardedBy("_lock")] internal int Count;
        }

        internal sealed class Engine
        {
            private Index _index;
            private Index? _alias;
            public Engine()
            {
                _index = new Index();
                _index.Count = 1;
                Console.WriteLine(_index);
                {|XL0002:_index.Count|} = 2;
                _index = new Index();
                Init();
                {|XL0002:_index.Count|} = 3;
                _index = new Index();
                var same = _index;
                _alias = same;
                {|XL0002:_index.Count|} = 4;
                _index = _alias!;
                {|XL0002:_index.Count|} = 5;
            }
            private void Init() { }
            public void Later() { {|XL0002:_index.Count|} = 6; }
        }
        """);

    [TestMethod]
    public Task PublicMethodOfAnInternalOrPrivateClass_CalledOnlyOnOwned_IsCheckedLikeAConstructor() => Verify.VerifyAsync("""
        internal class Internal
        {
            private readonly object _lock = new();
            [GuardedBy("_lock")] private int _v;
            public void Open(int v) { _v = v; }
            public static Internal Make() { var i = new Internal(); i.Open(1); return i; }
        }

        public class Outer
        {
            private sealed class Nested
            {
                private readonly object _lock = new();
                [GuardedBy("_lock")] private int _v;
                public void Open(int v) { _v = v; }
            }

            public void M() { var n = new Nested(); n.Open(2); }
        }
        """);

    [TestMethod]
    public Task PublicMethodOfAPublicClass_OrAnInterfaceImplementation_IsChecked() => Verify.VerifyAsync("""
        public class Public
        {
            private readonly object _lock = new();
            [GuardedBy("_lock")] private int _v;
            public void Open(int v) { {|XL0002:_v|} = v; }
            public static Public Make() { var p = new Public(); p.Open(1); return p; }
        }

        internal interface IOpen { void Open(int v); }

        internal class Implementation : IOpen
        {
            private readonly object _lock = new();
            [GuardedBy("_lock")] private int _v;
            public void Open(int v) { {|XL0002:_v|} = v; }
            public static Implementation Make() { var i = new Implementation(); i.Open(1); return i; }
        }

        internal class Base
        {
            private readonly object _lock = new();
            [GuardedBy("_lock")] private int _v;
            public void Open(int v) { {|XL0002:_v|} = v; }
            public static Base Make() { var b = new Base(); b.Open(1); return b; }
        }

        internal sealed class Derived : Base, IOpen { }
        """);
}
