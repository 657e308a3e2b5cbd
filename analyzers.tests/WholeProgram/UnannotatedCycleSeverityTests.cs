using Microsoft.VisualStudio.TestTools.UnitTesting;
using Verify = XeLocked.Analyzers.Tests.WholeProgram.WholeProgramVerifier;

namespace XeLocked.Analyzers.Tests.WholeProgram;

/// <summary>
/// First contact: a cycle among lock classes the project declared nothing about (plain <c>lock</c>
/// objects, <c>Monitor</c>, <c>ReaderWriterLockSlim</c> that no attribute names) is XL0011 with
/// severity Info, so it never fails a build with warnings as errors; as soon as one class of the
/// cycle is declared (a <c>[LockOrder]</c> on or naming it, a contract naming it, a
/// <c>[LockPrimitive]</c> type) the cycle is a warning.
/// </summary>
[TestClass]
public sealed class UnannotatedCycleSeverityTests
{
    // Lines: 1 usings, the test's classes from line 2.
    private const string Plain = """
        class P { public readonly object Sync = new(); }
        class Q { public readonly object Sync = new(); }
        class C
        {
            void M1(P p, Q q) { lock (p.Sync) { lock ({|#0:q.Sync|}) { } } }
            void M2(P p, Q q) { Monitor.Enter(q.Sync); {|#1:Monitor.Enter(p.Sync)|}; Monitor.Exit(p.Sync); Monitor.Exit(q.Sync); }
        }

        """;

    private const string PlainCycle =
        "P.Sync → Q.Sync → P.Sync: Q.Sync acquired while P.Sync held at Test0.cs:6; P.Sync acquired while Q.Sync held at Test0.cs:7";

    [TestMethod]
    public Task PlainLocksNothingNames_Info() => Verify.VerifyAsync(Plain,
        Verify.UnannotatedCycle().WithLocation(0).WithLocation(1).WithArguments(PlainCycle));

    [TestMethod]
    public Task ReaderWriterLockSlimNothingNames_Info() => Verify.VerifyAsync("""
        class R { public readonly ReaderWriterLockSlim Rw = new(); public readonly object Sync = new(); }
        class C
        {
            void M1(R r) { r.Rw.EnterReadLock(); lock ({|#0:r.Sync|}) { } r.Rw.ExitReadLock(); }
            void M2(R r) { lock (r.Sync) { {|#1:r.Rw.EnterWriteLock()|}; r.Rw.ExitWriteLock(); } }
        }
        """,
        Verify.UnannotatedCycle().WithLocation(0).WithLocation(1).WithArguments(
            "R.Rw → R.Sync → R.Rw: R.Sync acquired while R.Rw held at Test0.cs:5; R.Rw acquired while R.Sync held at Test0.cs:6"));

    [TestMethod]
    public Task OneClassNamedByGuardedBy_Warning() => Verify.VerifyAsync(Plain + """
        class G { [GuardedBy("q.Sync")] public int X; public Q q = new(); }
        """,
        Verify.Diagnostic("XL0011").WithLocation(0).WithLocation(1).WithArguments(PlainCycle));

    [TestMethod]
    public Task OneClassNamedByRequires_Warning() => Verify.VerifyAsync(Plain + """
        class G { [Requires("p.Sync")] public void Touch(P p) { } }
        """,
        Verify.Diagnostic("XL0011").WithLocation(0).WithLocation(1).WithArguments(PlainCycle));

    [TestMethod]
    public Task OneClassNamedByAnotherClassesLockOrder_Warning() => Verify.VerifyAsync(Plain + """
        class G { [LockOrder(Before = new[] { "Q.Sync" })] public readonly object Sync = new(); }
        """,
        Verify.Diagnostic("XL0011").WithLocation(0).WithLocation(1).WithArguments(PlainCycle));

    [TestMethod]
    public Task OneClassOfALockPrimitiveType_Warning() => Verify.VerifyAsync("""
        class P { public readonly object Sync = new(); }
        class Q { public readonly Mutex Sync = new(); }
        class C
        {
            void M1(P p, Q q) { lock (p.Sync) { {|#0:q.Sync.Lock()|}; q.Sync.Unlock(); } }
            void M2(P p, Q q) { q.Sync.Lock(); lock ({|#1:p.Sync|}) { } q.Sync.Unlock(); }
        }
        """,
        Verify.Diagnostic("XL0011").WithLocation(0).WithLocation(1).WithArguments(
            "P.Sync → Q.Sync → P.Sync: Q.Sync acquired while P.Sync held at Test0.cs:6; P.Sync acquired while Q.Sync held at Test0.cs:7"));
}
