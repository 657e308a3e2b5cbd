using Microsoft.VisualStudio.TestTools.UnitTesting;
using Verify = XeLocked.Analyzers.Tests.Verifiers.FlowVerifier<XeLocked.Analyzers.Rules.GuardedAccessAnalyzer>;

namespace XeLocked.Analyzers.Tests.Rules;

[TestClass]
public sealed class XL0002GuardedAccessTests
{
    private const string Counter = """
        class Counter
        {
            private readonly object _sync = new();
            [GuardedBy("_sync")] private int _count;

        """;

    [TestMethod]
    public Task ReadWithoutLock_MessageSaysWhy() => Verify.VerifyAsync(Counter + """
            int Get() => {|#0:_count|};
        }
        """,
        Verify.Diagnostic("XL0002").WithLocation(0).WithArguments("Reading", "_count", "_sync", "'this._sync' is not held"));

    [TestMethod]
    public Task WriteIncrementCompoundAndRefWithoutLock() => Verify.VerifyAsync(Counter + """
            void A() { {|XL0002:_count|} = 1; }
            void B() { {|XL0002:_count|}++; }
            void C() { {|XL0002:_count|} += 2; }
            void D() { Interlocked.Increment(ref {|XL0002:_count|}); }
        }
        """);

    [TestMethod]
    public Task AccessAfterLockStatementEnds() => Verify.VerifyAsync(Counter + """
            void M() { lock (_sync) { _count++; } {|XL0002:_count|}++; }
        }
        """);

    [TestMethod]
    public Task AccessOnOnlyOneBranchLocked() => Verify.VerifyAsync(Counter + """
            void M(bool b)
            {
                if (b) { Monitor.Enter(_sync); }
                {|XL0002:_count|}++;
                if (b) { Monitor.Exit(_sync); }
            }
        }
        """);

    [TestMethod]
    public Task OtherInstancesLockDoesNotCount() => Verify.VerifyAsync(Counter + """
            void M(Counter other) { lock (_sync) { {|XL0002:other._count|}++; } }
        }
        """);

    [TestMethod]
    public Task LocalLambdaRunsWhereItIsInvoked() => Verify.VerifyAsync(Counter + """
            void InvokedOutside() { Action a = () => {|XL0002:_count|}++; lock (_sync) { } a(); }
            void CreatedOutsideInvokedInside() { Action a = () => _count++; lock (_sync) { a(); } }
        }
        """);

    [TestMethod]
    public Task ForeachVariable_MayAliasOnlyALockOfTheSameClass() => Verify.VerifyAsync("""
        class Queue { public readonly Mutex Lock = new(); public readonly Mutex Other = new(); public Entry[] Slots = new Entry[4]; }
        class Entry { public Queue Queue = null!; [GuardedBy("Queue.Lock")] public int State; }
        class C
        {
            void M(Queue q) { using (q.Other.Guard()) { foreach (var e in q.Slots) { {|XL0002:e.State|} = 0; } } }
        }
        """);

    [TestMethod]
    public Task ObjectInitializerOfStaticGuard_TheNewObjectIsNotShared() => Verify.VerifyAsync("""
        class G { public static readonly object Big = new(); }
        class P { [GuardedBy("G.Big")] public int X; }
        class C { P Make() => new P { X = 1 }; void Set(P shared) { {|XL0002:shared.X|} = 2; } }
        """);

    [TestMethod]
    public Task PropertyGuard_AndStaticGuard() => Verify.VerifyAsync("""
        class C
        {
            private static readonly Lock s_gate = new();
            [GuardedBy("s_gate")] private static int s_total;
            private readonly Mutex _m = new();
            [GuardedBy("_m")] public int Value { get; set; }
            void M() { {|XL0002:s_total|}++; {|XL0002:Value|} = 3; }
        }
        """);

    [TestMethod]
    public Task AfterExplicitUnlock() => Verify.VerifyAsync("""
        class C
        {
            private readonly Mutex _m = new();
            [GuardedBy("_m")] private int _x;
            void M() { _m.Lock(); _x = 1; _m.Unlock(); {|XL0002:_x|} = 2; }
        }
        """);

    [TestMethod]
    public Task TryLockFailureBranch() => Verify.VerifyAsync("""
        class C
        {
            private readonly Mutex _m = new();
            [GuardedBy("_m")] private int _x;
            void M() { if (!_m.TryLock()) { {|XL0002:_x|} = 2; return; } _x = 1; _m.Unlock(); }
        }
        """);

    [TestMethod]
    public Task DisjunctionNotSatisfied_ExplainsEachAlternative() => Verify.VerifyAsync("""
        class Vm
        {
            public readonly RwSem Lock = new();
            public readonly Mutex FaultLock = new();
            [GuardedBy("Lock:write | (Lock:read & FaultLock)")] public int Pages;
            int M() { using (Lock.ReadGuard()) { return {|#0:Pages|}; } }
        }
        """,
        Verify.Diagnostic("XL0002").WithLocation(0).WithArguments("Reading", "Pages", "Lock:write | (Lock:read & FaultLock)",
            "alternative 'Lock:write': 'this.Lock' is held in read mode, write mode is needed; alternative 'Lock:read & FaultLock': 'this.FaultLock' is not held"));

    // ---- explicit lockless reads: Volatile.Read(ref field) is READ_ONCE ----

    [TestMethod]
    public Task VolatileReadOfGuardedField_IsALocklessRead_NoDiagnostic() => Verify.VerifyAsync("""
        class Node { }
        class Vm
        {
            public readonly RwSem Lock = new();
            public readonly Mutex FaultLock = new();
            private static readonly object s_sync = new();
            [GuardedBy("Lock")] public bool Closed;
            [GuardedBy("Lock:write | (Lock:read & FaultLock)")] public long Seq;
            [GuardedBy("Lock", Read = "FaultLock", Write = "Lock:write")] public byte Tiles;
            [GuardedBy("Lock")] public Node? Head;
            [GuardedBy("s_sync")] private static int s_count;
            bool IsClosedOnce() => Volatile.Read(ref Closed);
            bool Valid(byte mask) => (Volatile.Read(ref Tiles) & mask) != 0 && !Volatile.Read(ref Closed) && Volatile.Read(ref Seq) > 0;
            (byte, bool) Snapshot() => (Volatile.Read(ref Tiles), Volatile.Read(ref Closed));
            Node? HeadOnce() => Volatile.Read(ref Head);
            static int CountOnce() => Volatile.Read(ref s_count);
            static bool OtherClosed(Vm other) => Volatile.Read(ref other.Closed);
            Func<long> SeqReader() => () => Volatile.Read(ref Seq);
            bool UnderTheLockToo() { using (Lock.ReadGuard()) { return Volatile.Read(ref Closed); } }
        }
        """);

    [TestMethod]
    public Task VolatileWriteOfGuardedField_StillNeedsTheWriteLock() => Verify.VerifyAsync(Counter + """
            void Set() { Volatile.Write(ref {|#0:_count|}, 1); }
            void Bump() { Volatile.Write(ref {|#1:_count|}, Volatile.Read(ref _count) + 1); }
        }
        """,
        Verify.Diagnostic("XL0002").WithLocation(0).WithArguments("Writing", "_count", "_sync", "'this._sync' is not held"),
        Verify.Diagnostic("XL0002").WithLocation(1).WithArguments("Writing", "_count", "_sync", "'this._sync' is not held"));

    [TestMethod]
    public Task PlainReadAndInterlockedOfGuardedField_StillReported() => Verify.VerifyAsync("""
        class C
        {
            private readonly object _sync = new();
            [GuardedBy("_sync")] private int _count;
            [GuardedBy("_sync")] private long _total;
            int Plain() => {|#0:_count|};
            int Cas() => Interlocked.CompareExchange(ref {|#1:_count|}, 1, 0);
            long Read64() => Interlocked.Read(ref {|#2:_total|});
            int Exchange() => Interlocked.Exchange(ref {|#3:_count|}, 0);
        }
        """,
        Verify.Diagnostic("XL0002").WithLocation(0).WithArguments("Reading", "_count", "_sync", "'this._sync' is not held"),
        Verify.Diagnostic("XL0002").WithLocation(1).WithArguments("Writing", "_count", "_sync", "'this._sync' is not held"),
        Verify.Diagnostic("XL0002").WithLocation(2).WithArguments("Reading", "_total", "_sync", "'this._sync' is not held"),
        Verify.Diagnostic("XL0002").WithLocation(3).WithArguments("Writing", "_count", "_sync", "'this._sync' is not held"));

    [TestMethod]
    public Task RefToAnyOtherMethod_StillReported() => Verify.VerifyAsync(Counter + """
            static int Peek(ref int x) => x;
            static int PeekIn(in int x) => x;
            static int PeekRo(ref readonly int x) => x;
            int A() => Peek(ref {|#0:_count|});
            int B() => PeekIn(in {|#1:_count|});
            int D() => PeekRo(ref {|#2:_count|});
            int E() { ref int alias = ref {|#3:_count|}; return Volatile.Read(ref alias); }
        }
        """,
        Verify.Diagnostic("XL0002").WithLocation(0).WithArguments("Writing", "_count", "_sync", "'this._sync' is not held"),
        Verify.Diagnostic("XL0002").WithLocation(1).WithArguments("Reading", "_count", "_sync", "'this._sync' is not held"),
        Verify.Diagnostic("XL0002").WithLocation(2).WithArguments("Reading", "_count", "_sync", "'this._sync' is not held"),
        Verify.Diagnostic("XL0002").WithLocation(3).WithArguments("Writing", "_count", "_sync", "'this._sync' is not held"));

    [TestMethod]
    public Task VolatileReadOfAMemberOfAGuardedStruct_OrOfAGuardedProperty_StillReported() => Verify.VerifyAsync("""
        struct Pair { public int A; public int B; }
        class C
        {
            private readonly object _sync = new();
            private readonly int[] _slots = new int[4];
            [GuardedBy("_sync")] private Pair _pair;
            [GuardedBy("_sync")] public int Count { get; set; }
            [GuardedBy("_sync")] public ref int Slot => ref _slots[0];
            int A() => Volatile.Read(ref {|#0:_pair|}.A);
            int B() => {|#1:Count|};
            int D() => Volatile.Read(ref {|#2:Slot|});
        }
        """,
        Verify.Diagnostic("XL0002").WithLocation(0).WithArguments("Reading", "_pair", "_sync", "'this._sync' is not held"),
        Verify.Diagnostic("XL0002").WithLocation(1).WithArguments("Reading", "Count", "_sync", "'this._sync' is not held"),
        Verify.Diagnostic("XL0002").WithLocation(2).WithArguments("Reading", "Slot", "_sync", "'this._sync' is not held"));

    [TestMethod]
    public Task AUserTypeNamedVolatile_IsNotSystemThreadingVolatile() => Verify.VerifyAsync("""
        namespace Other
        {
            static class Volatile { public static int Read(ref int location) => location; }
            class C
            {
                private readonly object _sync = new();
                [GuardedBy("_sync")] private int _count;
                int Get() => Volatile.Read(ref {|#0:_count|});
            }
        }
        """,
        Verify.Diagnostic("XL0002").WithLocation(0).WithArguments("Writing", "_count", "_sync", "'this._sync' is not held"));

    [TestMethod]
    public Task BrokenCode_NoCrash() => Verify.VerifyBrokenCodeAsync(Counter + """
            void M() { lock (_sync { _count++; } {|XL0002:_count|} = Missing(; }
        }
        """);

    // ---- correct code: no diagnostics ----

    [TestMethod]
    public Task LockStatement_MonitorAndThreadingLock() => Verify.VerifyAsync("""
        class C
        {
            private readonly object _sync = new();
            private readonly Lock _gate = new();
            [GuardedBy("_sync")] private int _a;
            [GuardedBy("_gate")] private int _b;
            void M() { lock (_sync) { _a++; } lock (_gate) { _b++; } }
            void N() { Monitor.Enter(_sync); try { _a++; } finally { Monitor.Exit(_sync); } }
            void O() { using (_gate.EnterScope()) { _b = 1; } _gate.Enter(); try { _b++; } finally { _gate.Exit(); } }
        }
        """);

    [TestMethod]
    public Task GuardsAndExplicitUnlockInFinally() => Verify.VerifyAsync("""
        class C
        {
            private readonly Mutex _m = new();
            [GuardedBy("_m")] private int _x;
            void A() { using var g = _m.Guard(); _x++; }
            void B() { using (_m.Guard()) { _x++; } }
            void D() { _m.Lock(); try { _x++; } finally { _m.Unlock(); } }
        }
        """);

    [TestMethod]
    public Task EarlyReturnsBranchesAndLoops() => Verify.VerifyAsync("""
        class C
        {
            private readonly Mutex _m = new();
            [GuardedBy("_m")] private int _x;
            int A(bool b)
            {
                _m.Lock();
                if (b) { _x = 1; _m.Unlock(); return 1; }
                for (var i = 0; i < 10; i++) { _x += i; if (_x > 5) break; }
                while (_x < 100) { _x *= 2; }
                _m.Unlock();
                return 0;
            }
        }
        """);

    [TestMethod]
    public Task GotoRetryLoop() => Verify.VerifyAsync("""
        class Vm
        {
            public readonly RwSem Lock = new();
            [GuardedBy("Lock")] public int Data;
            public bool Contended;
            void Fault()
            {
            retry:
                Lock.LockRead();
                var d = Data;
                if (Contended)
                {
                    Lock.UnlockRead();
                    goto retry;
                }
                Lock.UnlockRead();
            }
        }
        """);

    [TestMethod]
    public Task TryLockPatterns() => Verify.VerifyAsync("""
        class C
        {
            private readonly Mutex _m = new();
            [GuardedBy("_m")] private int _x;
            void A() { if (_m.TryLock()) { _x++; _m.Unlock(); } }
            void B() { if (!_m.TryLock()) return; _x++; _m.Unlock(); }
            void D() { bool ok = _m.TryLock(); if (ok) { _x++; _m.Unlock(); } }
            void E() { while (!_m.TryLock()) { } _x++; _m.Unlock(); }
        }
        """);

    [TestMethod]
    public Task ReadUnderReadModeAndRequires() => Verify.VerifyAsync("""
        class Vm
        {
            public readonly RwSem Lock = new();
            public readonly Mutex FaultLock = new();
            [GuardedBy("Lock")] public int Data;
            [GuardedBy("Lock:write | (Lock:read & FaultLock)")] public int Pages;
            int A() { using (Lock.ReadGuard()) { return Data; } }
            [Requires("Lock:read")] int B() => Data;
            [Requires("Lock:write | (Lock:read & FaultLock)")] void D() { Pages = Pages + 1; }
            int E() { using (Lock.ReadGuard()) { FaultLock.Lock(); var p = Pages; FaultLock.Unlock(); return p; } }
        }
        """);

    [TestMethod]
    public Task NestedPathsLocalsAndParameters() => Verify.VerifyAsync("""
        class Range { public readonly Mutex Lock = new(); [GuardedBy("Lock")] public int Pages; }
        class Svm { public readonly Mutex RangeLock = new(); [GuardedBy("RangeLock")] public int Count; }
        class Vm { public Svm Svm = new(); }
        class Fault { public Vm Vm = new(); }
        class C
        {
            void A(Range range) { using var g = range.Lock.Guard(); range.Pages++; }
            void B(Fault fault) { var vm = fault.Vm; using (fault.Vm.Svm.RangeLock.Guard()) { vm.Svm.Count++; } }
            [Requires("vm.Svm.RangeLock")] void D(Vm vm) { vm.Svm.Count = 0; }
        }
        """);

    [TestMethod]
    public Task ConstructorsAndFinalizersOwnTheirObject() => Verify.VerifyAsync("""
        class C
        {
            private readonly Mutex _m = new();
            private static readonly object s_sync = new();
            [GuardedBy("_m")] private int _x;
            [GuardedBy("s_sync")] private static int s_y;
            public C() { _x = 1; }
            static C() { s_y = 2; }
            ~C() { _x = 0; }
        }
        """);

    [TestMethod]
    public Task AssertsHeldAndNoLockAnalysis() => Verify.VerifyAsync("""
        class C
        {
            private readonly Mutex _m = new();
            [GuardedBy("_m")] private int _x;
            void A() { Lockdep.AssertHeld(_m); _x++; }
            [NoLockAnalysis] void B() { _x++; }
        }
        """);

    [TestMethod]
    public Task LocalFunctionWithRequiresAndReaderWriterLockSlim() => Verify.VerifyAsync("""
        class C
        {
            private readonly ReaderWriterLockSlim _rw = new();
            [GuardedBy("_rw")] private int _x;
            void A()
            {
                _rw.EnterWriteLock();
                try { Bump(); } finally { _rw.ExitWriteLock(); }
                [Requires("_rw:write")] void Bump() => _x++;
            }
            int B() { _rw.EnterReadLock(); try { return _x; } finally { _rw.ExitReadLock(); } }
            void D() { if (_rw.TryEnterWriteLock(10)) { try { _x = 1; } finally { _rw.ExitWriteLock(); } } }
        }
        """);

    [TestMethod]
    public Task LambdaInheritsLocksHeldWhereItIsCreated() => Verify.VerifyAsync(Counter + """
            int M() { lock (_sync) { Func<int> f = () => _count + 1; return f(); } }
        }
        """);

    [TestMethod]
    public Task ValueOfUnknownProvenance_MayAliasAHeldLockOfItsClass() => Verify.VerifyAsync("""
        class Queue
        {
            public readonly Mutex Lock = new();
            public Entry[] Slots = new Entry[4];
            [Requires("Lock")] void Scan()
            {
                foreach (var e in Slots) { e.State = 0; }
                var first = Slots[0];
                first.State = 1;
                var n = System.Linq.Enumerable.Count(Slots, s => s.State == 0);
            }
        }
        class Entry { public Queue Queue = null!; [GuardedBy("Queue.Lock")] public int State; }
        """);

    [TestMethod]
    public Task AssertedDisjunctionSatisfiesTheSameRequirement() => Verify.VerifyAsync("""
        class Vm
        {
            public readonly RwSem Lock = new();
            public readonly Mutex FaultLock = new();
            [GuardedBy("Lock:write | (Lock:read & FaultLock)")] public int Pages;
            [AssertsHeld("vm.Lock:write | (vm.Lock:read & vm.FaultLock)")] public static void AssertPin(Vm vm) { }
            void M() { AssertPin(this); Pages++; }
        }
        """);

    [TestMethod]
    public Task PatternVariableAliasesTheTestedValue() => Verify.VerifyAsync("""
        class Vma { public readonly Mutex FaultLock = new(); }
        class UserptrVma : Vma { [GuardedBy("FaultLock")] public int Seq; }
        class C
        {
            void M(Vma vma) { using (vma.FaultLock.Guard()) { if (vma is UserptrVma u) { u.Seq++; } } }
            void N(Vma vma, Vma other) { using (other.FaultLock.Guard()) { if (vma is UserptrVma u) { {|XL0002:u.Seq|}++; } } }
        }
        """);

    [TestMethod]
    public Task BackPointerPath_MayAliasTheContainersHeldLock() => Verify.VerifyAsync("""
        class Queue
        {
            public readonly Mutex Lock = new();
            [Requires("Lock")] void Take(Entry pf) { pf.State = 1; }
        }
        class Entry { public Queue Queue = null!; [GuardedBy("Queue.Lock")] public int State; }
        """);

    [TestMethod]
    public Task BackPointerPath_WithNoLockOfThatClassHeld() => Verify.VerifyAsync("""
        class Queue { public readonly Mutex Lock = new(); public readonly Mutex Other = new(); }
        class Entry { public Queue Queue = null!; [GuardedBy("Queue.Lock")] public int State; }
        class C { void M(Queue q, Entry pf) { using (q.Other.Guard()) { {|XL0002:pf.State|} = 1; } } }
        """);

    [TestMethod]
    public Task UnknownInstances_AreNotGuessed() => Verify.VerifyAsync("""
        class Range { public readonly Mutex Lock = new(); [GuardedBy("Lock")] public int Pages; }
        class C
        {
            Range[] _ranges = new Range[4];
            Range Get(int i) => _ranges[i];
            void A() { _ranges[0].Lock.Lock(); _ranges[0].Pages++; _ranges[0].Lock.Unlock(); }
            void B() { Get(1).Pages = 3; }
        }
        """);
    // ---- a collection used as its own lock ----

    private const string Queue = """
        using System.Collections.Generic;
        class Queue
        {
            [GuardedBy("_pending")] private readonly List<int> _pending = new();

        """;

    [TestMethod]
    public Task CollectionLockedOnItself_TheLockExpressionIsNotAGuardedRead() => Verify.VerifyAsync(Queue + """
            void Add(int x) { lock (_pending) { _pending.Add(x); } }
            int Count() { Monitor.Enter(_pending); try { return _pending.Count; } finally { Monitor.Exit(_pending); } }
            bool TryAdd(int x)
            {
                var taken = false;
                Monitor.TryEnter(_pending, ref taken);
                if (!taken) return false;
                try { _pending.Add(x); return true; } finally { Monitor.Exit(_pending); }
            }
        }
        """);

    [TestMethod]
    public Task CollectionLockedOnItself_OtherReadsStillNeedIt() => Verify.VerifyAsync(Queue + """
            int Count() => {|#0:_pending|}.Count;
            object Gate() => {|#1:_pending|};
        }
        """,
        Verify.Diagnostic("XL0002").WithLocation(0).WithArguments("Reading", "_pending", "_pending", "'this._pending' is not held"),
        Verify.Diagnostic("XL0002").WithLocation(1).WithArguments("Reading", "_pending", "_pending", "'this._pending' is not held"));

    [TestMethod]
    public Task LockingAFieldGuardedByAnotherLock_IsStillARead() => Verify.VerifyAsync("""
        class Holder
        {
            private readonly object _sync = new();
            [GuardedBy("_sync")] private object _current = new();
            void M() { lock ({|#0:_current|}) { } }
            void Swap() { lock (_sync) { _current = new object(); } }
        }
        """,
        Verify.Diagnostic("XL0002").WithLocation(0).WithArguments("Reading", "_current", "_sync", "'this._sync' is not held"));
}
