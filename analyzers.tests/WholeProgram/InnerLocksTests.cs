using Microsoft.VisualStudio.TestTools.UnitTesting;
using Verify = XeLocked.Analyzers.Tests.WholeProgram.WholeProgramVerifier;

namespace XeLocked.Analyzers.Tests.WholeProgram;

/// <summary>
/// <c>[InnerLocks]</c> on the member holding a wrapped object: a nesting whose inner lock is reached
/// through it goes one level down a tree of objects, and a cycle made only of such nestings and
/// same-object ones cannot close between instances (not reported); a cycle with any other nesting
/// (a static lock) still is. Without the attribute the decorators' class-level cycle is reported.
/// Misplaced, the attribute is XL0010.
/// </summary>
[TestClass]
public sealed class InnerLocksTests
{
    // Line 1 usings; the decorators from line 2.
    private static string Decorators(string attribute) => $$"""
        public abstract class R8_Target { public abstract void Write(string s); }
        public sealed class R8_Buffering : R8_Target {
            private readonly object _lock = new(); {{attribute}}private readonly R8_Target _inner;
            public R8_Buffering(R8_Target inner) => _inner = inner;
            public override void Write(string s) { lock (_lock) { {|#0:_inner.Write(s)|}; } }   // XL0011 (false)
        }
        public sealed class R8_Retrying : R8_Target {
            private readonly object _retryLock = new(); {{attribute}}private readonly R8_Target _inner;
            public R8_Retrying(R8_Target inner) => _inner = inner;
            public override void Write(string s) { lock (_retryLock) { {|#1:_inner.Write(s)|}; } }
        }

        """;

    private const string Unmarked = "R8_Buffering._lock → R8_Retrying._retryLock → R8_Buffering._lock: " +
        "R8_Retrying._retryLock acquired while R8_Buffering._lock held at Test0.cs:6 (through R8_Target.Write() → R8_Retrying.Write(), which acquires it at Test0.cs:11); " +
        "R8_Buffering._lock acquired while R8_Retrying._retryLock held at Test0.cs:11 (through R8_Target.Write() → R8_Buffering.Write(), which acquires it at Test0.cs:6)";

    [TestMethod]
    public Task R8_DecoratorsWithoutTheAttribute_TheClassCycleIsReported() =>
        Verify.VerifyAsync(Decorators(""), Verify.UnannotatedCycle().WithLocation(0).WithLocation(1).WithArguments(Unmarked));

    [TestMethod]
    public Task R8_DecoratorsWithInnerLocks_NoCycle() =>
        Verify.VerifyAsync(Decorators("[InnerLocks] ").Replace("{|#0:", "").Replace("{|#1:", "").Replace("|};", ";"));

    [TestMethod]
    public Task OnOneWrapperOnly_TheOtherNestingIsUnknown_Reported() =>
        Verify.VerifyAsync(Decorators("").Replace("private readonly object _lock = new(); private", "private readonly object _lock = new(); [InnerLocks] private"),
            Verify.UnannotatedCycle().WithLocation(0).WithLocation(1).WithArguments(Unmarked));

    [TestMethod]
    public Task ABaseMethodHoldingItsLockCallsTheOverride_SameObjectThenDown_NoCycle() => Verify.VerifyAsync("""
        public abstract class Target
        {
            protected readonly object SyncRoot = new();
            public void WriteAsyncLogEvent(string s) { lock (SyncRoot) { Write(s); } }
            protected abstract void Write(string s);
        }
        public sealed class Buffering : Target
        {
            private readonly object _lockObject = new();
            [InnerLocks] public Target? WrappedTarget { get; set; }
            protected override void Write(string s) { lock (_lockObject) { WrappedTarget?.WriteAsyncLogEvent(s); } }
        }
        public sealed class Plain : Target { protected override void Write(string s) { } }
        """);

    [TestMethod]
    [DataRow("[InnerLocks] ", "")]
    [DataRow("", "Buffering._lock → Group._groupLock → Buffering._lock: Group._groupLock acquired while Buffering._lock held at Test0.cs:5 (through Sink.Write() → Group.Write(), which acquires it at Test0.cs:10); Buffering._lock acquired while Group._groupLock held at Test0.cs:10 (through Sink.Write() → Buffering.Write(), which acquires it at Test0.cs:5)")]
    public Task ACollectionOfWrappedObjects_ItsElementsAreInner(string attribute, string cycle) => Verify.VerifyAsync($$"""
        public abstract class Sink { public abstract void Write(string s); }
        public sealed class Buffering : Sink {
            private readonly object _lock = new(); [InnerLocks] public Sink? Inner { get; set; }
            public override void Write(string s) { lock (_lock) { Inner?{|#0:.Write(s)|}; } }
        }
        public sealed class Group : Sink {
            private readonly object _groupLock = new();
            {{attribute}}public System.Collections.Generic.IList<Sink> Targets { get; } = new System.Collections.Generic.List<Sink>();
            public override void Write(string s) { lock (_groupLock) { {|#1:Targets[0].Write(s)|}; foreach (var t in Targets) t.Write(s); } }
        }
        """, cycle.Length == 0 ? [] : [Verify.UnannotatedCycle().WithLocation(0).WithLocation(1).WithArguments(cycle)]);

    [TestMethod]
    public Task DownTheTreeThenAStaticLockBack_Reported() => Verify.VerifyAsync(Decorators("[InnerLocks] ").Replace("{|#0:", "{|#2:")
        .Replace("lock (_retryLock) { {|#1:_inner.Write(s)|}; }", "lock (_retryLock) { {|#1:Registry.Touch()|}; _inner.Write(s); }") + """
        public static class Registry
        {
            private static readonly object Sync = new();
            public static void Touch() { lock (Sync) { } }
            public static void Flush(R8_Target t) { lock (Sync) { {|#0:t.Write("")|}; } }
        }
        """,
        Verify.UnannotatedCycle().WithLocation(2).WithLocation(0).WithArguments(
            "R8_Buffering._lock → Registry.Sync → R8_Buffering._lock: Registry.Sync acquired while R8_Buffering._lock held at Test0.cs:6 " +
            "(through R8_Target.Write() → R8_Retrying.Write() → Touch(), which acquires it at Test0.cs:16); R8_Buffering._lock acquired while Registry.Sync held at Test0.cs:17 " +
            "(through R8_Target.Write() → R8_Buffering.Write(), which acquires it at Test0.cs:6)"),
        Verify.UnannotatedCycle().WithLocation(1).WithLocation(0).WithArguments(
            "R8_Retrying._retryLock → Registry.Sync → R8_Retrying._retryLock: Registry.Sync acquired while R8_Retrying._retryLock held at Test0.cs:11 " +
            "(through Touch(), which acquires it at Test0.cs:16); R8_Retrying._retryLock acquired while Registry.Sync held at Test0.cs:17 " +
            "(through R8_Target.Write() → R8_Retrying.Write(), which acquires it at Test0.cs:11)"));

    [TestMethod]
    public Task OnAStaticOrAValueMember_XL0010() => Verify.VerifyAsync("""
        public sealed class W
        {
            [{|#0:InnerLocks|}] private static W? s_inner;
            [{|#1:InnerLocks|}] private int _count;
            [InnerLocks] private IDisposable? _ok;
        }
        """,
        Verify.Diagnostic("XL0010").WithLocation(0).WithArguments("[InnerLocks]", "'s_inner' is static: [InnerLocks] declares the object an instance holds inner to that instance"),
        Verify.Diagnostic("XL0010").WithLocation(1).WithArguments("[InnerLocks]", "'_count' is of type 'int', not a class or interface: it holds no object whose locks could be inner"));
}
