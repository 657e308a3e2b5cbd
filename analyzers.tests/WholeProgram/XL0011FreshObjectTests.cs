using Microsoft.VisualStudio.TestTools.UnitTesting;
using Verify = XeLocked.Analyzers.Tests.WholeProgram.WholeProgramVerifier;

namespace XeLocked.Analyzers.Tests.WholeProgram;

/// <summary>
/// XL0011 and a call on a new object as its construction left it: the losing side of an
/// <c>Interlocked.CompareExchange</c> publication still owns its object, and the callee's locks on
/// that object, and on what its construction built, make no edge; the winning side published it,
/// and so does anything that stores it elsewhere; a member the constructor filled from outside
/// (a parameter) keeps the callee's edges through it.
/// </summary>
[TestClass]
public sealed class XL0011FreshObjectTests
{
    // Line 1 usings, line 2 the generic collections; R7's types from line 3.
    private const string Target = """
        using System.Collections.Generic;
        public sealed class R7_Target
        {
            private readonly object _targetLock = new();
            public void Close() { lock (_targetLock) { } }
            public void Write(string s)
            {
                lock (_targetLock)
                {
                    try { Console.WriteLine(s); }
                    catch (Exception) when (!{|#0:R7_Factory.Instance|}.ThrowExceptions) { }   // Instance.get -> Create -> Dispose
                }
            }
        }

        """;

    private static string Factory(string create) => Target + """
        public sealed class R7_Factory : IDisposable
        {
            private static R7_Factory? s_instance;
            public static R7_Factory? s_other;
            public static R7_Factory Instance => s_instance ?? Create();
            private static R7_Factory Create()
            {
                var f = new R7_Factory();

        """ + create + """

                return s_instance!;
            }
            private readonly object _sync = new();
            private readonly List<R7_Target> _targets = new();
            public bool ThrowExceptions { get; set; }
            public void Add(R7_Target t) { lock (_sync) { _targets.Add(t); } }
            public void Dispose() { lock (_sync) { foreach (var t in _targets) {|#1:t.Close()|}; } }
        }
        """;

    [TestMethod]
    public Task R7_TheLosingSideDisposesItsOwnNewObject_NoCycle() => Verify.VerifyAsync(Target.Replace("{|#0:", "").Replace("|}.", ".") + """
        public sealed class R7_Factory : IDisposable
        {
            private static R7_Factory? s_instance;
            public static R7_Factory Instance => s_instance ?? Create();
            private static R7_Factory Create()
            {
                var f = new R7_Factory();
                if (Interlocked.CompareExchange(ref s_instance, f, null) is not null)
                    f.Dispose();                                    // fresh, lost the race: never shared
                return s_instance!;
            }
            private readonly object _sync = new();
            private readonly List<R7_Target> _targets = new();
            public bool ThrowExceptions { get; set; }
            public void Add(R7_Target t) { lock (_sync) { _targets.Add(t); } }
            public void Dispose() { lock (_sync) { foreach (var t in _targets) t.Close(); } }   // XL0011 (false) reported here
        }
        """);

    [TestMethod]
    [DataRow("if (!(Interlocked.CompareExchange(ref s_instance, f, null) is null)) f.Dispose();")]
    [DataRow("if (Interlocked.CompareExchange(ref s_instance, f, null) != null) f.Dispose();")]
    [DataRow("if (null != Interlocked.CompareExchange(ref s_instance, f, null)) { f.Dispose(); }")]
    [DataRow("var prev = Interlocked.CompareExchange(ref s_instance, f, null); if (prev != null) f.Dispose();")]
    [DataRow("R7_Factory? none = null; if (Interlocked.CompareExchange(ref s_instance, f, none) != none) f.Dispose();")]
    [DataRow("if (Interlocked.CompareExchange(ref s_instance, f, null) is null) return f; f.Dispose();")]
    public Task TheLosingBranch_InEveryTestOfTheResult_NoCycle(string create) =>
        Verify.VerifyAsync(Factory(create).Replace("{|#0:", "").Replace("|}.", ".").Replace("{|#1:", "").Replace("|};", ";"));

    [TestMethod]
    [DataRow("if (Interlocked.CompareExchange(ref s_instance, f, null) is null) f.Dispose();", "Dispose(), which acquires it at Test0.cs:31")]
    [DataRow("if (Interlocked.CompareExchange(ref s_instance, f, null) is not null) { s_other = f; f.Dispose(); }", "Dispose(), which acquires it at Test0.cs:31")]
    [DataRow("Interlocked.CompareExchange(ref s_instance, f, null); f.Dispose();", "Dispose(), which acquires it at Test0.cs:31")]
    [DataRow("if (Interlocked.CompareExchange(ref s_instance, f, null) is not null) { f.Add(new R7_Target()); f.Dispose(); }", "Add(), which acquires it at Test0.cs:30")]
    public Task WonPublishedOrChanged_TheCallStillTakesTheTargetLocks(string create, string acquiredIn) =>
        Verify.VerifyAsync(Factory(create), Verify.UnannotatedCycle().WithLocation(0).WithLocation(1).WithArguments(
            "R7_Factory._sync → R7_Target._targetLock → R7_Factory._sync: R7_Target._targetLock acquired while R7_Factory._sync held at Test0.cs:31 " +
            "(through Close(), which acquires it at Test0.cs:6); R7_Factory._sync acquired while R7_Target._targetLock held at Test0.cs:12 " +
            $"(through Instance.get → Create() → {acquiredIn})"));

    // Line 1 usings; from line 2.
    private static string Holder(string constructor) => """
        public sealed class Sink
        {
            public static readonly Sink Shared = new();
            private readonly object _lock = new();
            public void Flush() { lock (_lock) { } }
            public void Notify(User u) { lock (_lock) { {|#1:u.Touch()|}; } }
        }
        public sealed class Holder : IDisposable
        {
            private static Holder? s_instance;
            public static Holder Instance => s_instance ?? Create();
            private static Holder Create()
            {
                var h = new Holder(Sink.Shared);
                if (Interlocked.CompareExchange(ref s_instance, h, null) is not null) h.Dispose();
                return s_instance!;
            }
            private readonly object _sync = new();
            private readonly Sink _sink;

        """ + constructor + """

            public void Dispose() { lock (_sync) { _sink.Flush(); } }
        }
        public sealed class User
        {
            private readonly object _userLock = new();
            public void Touch() { lock (_userLock) { } }
            public void Get() { lock (_userLock) { _ = {|#0:Holder.Instance|}; } }
        }
        """;

    [TestMethod]
    public Task AMemberTheConstructorFillsWithANewObject_ItsLocksMakeNoEdge() =>
        Verify.VerifyAsync(Holder("    public Holder(Sink ignored) => _sink = new Sink();").Replace("{|#0:", "").Replace("|};", ";").Replace("{|#1:", "").Replace("|}; }", "; }"));

    [TestMethod]
    public Task AMemberTheConstructorFillsFromAParameter_ItsLocksKeepTheirEdges() =>
        Verify.VerifyAsync(Holder("    public Holder(Sink sink) => _sink = sink;"), Verify.UnannotatedCycle().WithLocation(1).WithLocation(0).WithArguments(
            "Sink._lock → User._userLock → Sink._lock: User._userLock acquired while Sink._lock held at Test0.cs:7 (through Touch(), which acquires it at Test0.cs:27); " +
            "Sink._lock acquired while User._userLock held at Test0.cs:28 (through Instance.get → Create() → Dispose() → Flush(), which acquires it at Test0.cs:6)"));

    // Line 1 usings, line 2 the generic collections; from line 3.
    private static string Reset(string body) => """
        using System.Collections.Generic;
        public sealed class Item
        {
            private readonly object _sync = new();
            private readonly List<Registry> _watchers = new();
            public void Watch(Registry r) { _watchers.Add(r); }
            public void Dispose() { lock (_sync) { foreach (var r in _watchers) {|#1:r.Touch()|}; } }
        }
        public sealed class Registry
        {
            private readonly object _regLock = new();
            public void Touch() { lock (_regLock) { } }
            public void Reset()
            {
                lock (_regLock)
                {
                    var item = new Item();

        """ + body + """

                }
            }
        }
        """;

    [TestMethod]
    public Task ALockHeldWhileCallingANewObject_ItsLocksMakeNoEdge() =>
        Verify.VerifyAsync(Reset("            item.Dispose();").Replace("{|#1:", "").Replace("|}; } }", "; } }"));

    [TestMethod]
    public Task ALockHeldWhileCallingANewObjectAfterChangingIt_TheEdgeIsKept() =>
        Verify.VerifyAsync(Reset("            item.Watch(this);\n            {|#0:item.Dispose()|};"), Verify.UnannotatedCycle().WithLocation(1).WithLocation(0).WithArguments(
            "Item._sync → Registry._regLock → Item._sync: Registry._regLock acquired while Item._sync held at Test0.cs:8 (through Touch(), which acquires it at Test0.cs:13); " +
            "Item._sync acquired while Registry._regLock held at Test0.cs:20 (through Dispose(), which acquires it at Test0.cs:8)"));
}
