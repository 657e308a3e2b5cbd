using Microsoft.VisualStudio.TestTools.UnitTesting;
using Verify = XeLocked.Analyzers.Tests.Verifiers.FlowVerifier<XeLocked.Analyzers.Rules.GuardedAccessAnalyzer>;
using VerifyAll = XeLocked.Analyzers.Tests.Verifiers.AllRulesVerifier;

namespace XeLocked.Analyzers.Tests.Rules;

/// <summary>
/// <c>[GuardedBy(…, Lockless = LocklessAccess.Reads | LocklessAccess.Atomics)]</c>: marked lockless
/// reads (a plain read of a volatile field, <c>Volatile.Read</c>, <c>Interlocked.Read</c>) and
/// <c>Interlocked.*</c> atomics declared on the field; writes stay checked.
/// </summary>
[TestClass]
public sealed class LocklessAccessTests
{
    private const string NotHeld = "'this._lock' is not held";
    private const string Unmarked = "; '{0}' allows lockless reads only as marked reads: declare it volatile or read it with Volatile.Read";

    // ---- double-checked locking ----

    private const string Registry = """
        sealed class Table { }
        sealed class Registry
        {
            private readonly object _lock = new();
            [GuardedBy("_lock", Lockless = LocklessAccess.Reads)] private volatile Table? _table;

        """;

    [TestMethod]
    public Task DoubleCheckedLocking_NoDiagnosticOfAnyRule() => VerifyAll.VerifyAsync(Registry + """
            public Table Get()
            {
                if (_table == null)
                {
                    lock (_lock)
                    {
                        if (_table == null)
                        {
                            _table = new Table();
                        }
                    }
                }
                return _table;
            }

            public Table GetOrCreate()
            {
                var t = _table;
                if (t != null) return t;
                lock (_lock) { return _table ??= new Table(); }
            }
        }
        """);

    [TestMethod]
    public Task DoubleCheckedLocking_WithoutTheOptIn_TheLocklessReadsAreReported() => Verify.VerifyAsync("""
        sealed class Table { }
        sealed class Registry
        {
            private readonly object _lock = new();
            [GuardedBy("_lock")] private volatile Table? _table;
            public Table Get()
            {
                if ({|#0:_table|} == null) { lock (_lock) { if (_table == null) _table = new Table(); } }
                return {|#1:_table|};
            }
        }
        """,
        Verify.Diagnostic("XL0002").WithLocation(0).WithArguments("Reading", "_table", "_lock", NotHeld),
        Verify.Diagnostic("XL0002").WithLocation(1).WithArguments("Reading", "_table", "_lock", NotHeld));

    [TestMethod]
    public Task LocklessReads_WritesStillNeedTheLock() => Verify.VerifyAsync(Registry + """
            private readonly object _other = new();
            [GuardedBy("_lock", Lockless = LocklessAccess.Reads)] private volatile int _generation;
            void Publish(Table t) { {|#0:_table|} = t; }
            void Bump() { {|#1:_generation|}++; }
            void Add() { {|#2:_generation|} += 2; }
            void Swap() { lock (_other) { {|#3:_table|} = null; } }
            void VolatileWrite(Table t) { Volatile.Write(ref {|#4:_table|}, t); }
            void Exchange() { Interlocked.Exchange(ref {|#5:_generation|}, 0); }
            int Read() => _generation + (_table == null ? 0 : 1);
        }
        """,
        Verify.Diagnostic("XL0002").WithLocation(0).WithArguments("Writing", "_table", "_lock", NotHeld),
        Verify.Diagnostic("XL0002").WithLocation(1).WithArguments("Writing", "_generation", "_lock", NotHeld),
        Verify.Diagnostic("XL0002").WithLocation(2).WithArguments("Writing", "_generation", "_lock", NotHeld),
        Verify.Diagnostic("XL0002").WithLocation(3).WithArguments("Writing", "_table", "_lock", NotHeld),
        Verify.Diagnostic("XL0002").WithLocation(4).WithArguments("Writing", "_table", "_lock", NotHeld),
        Verify.Diagnostic("XL0002").WithLocation(5).WithArguments("Writing", "_generation", "_lock", NotHeld));

    // ---- marked reads of a non-volatile field ----

    private const string Stats = """
        sealed class Stats
        {
            private readonly object _lock = new();
            [GuardedBy("_lock", Lockless = LocklessAccess.Reads)] private long _total;
            [GuardedBy("_lock", Lockless = LocklessAccess.Reads)] private int _count;

        """;

    [TestMethod]
    public Task LocklessReads_NonVolatile_PlainReadIsReportedWithHowToMarkIt() => Verify.VerifyAsync(Stats + """
            long Total() => {|#0:_total|};
            bool Any() => {|#1:_count|} > 0;
        }
        """,
        Verify.Diagnostic("XL0002").WithLocation(0).WithArguments("Reading", "_total", "_lock", NotHeld + string.Format(Unmarked, "_total")),
        Verify.Diagnostic("XL0002").WithLocation(1).WithArguments("Reading", "_count", "_lock", NotHeld + string.Format(Unmarked, "_count")));

    [TestMethod]
    public Task LocklessReads_NonVolatile_VolatileReadAndInterlockedReadAreMarked() => Verify.VerifyAsync(Stats + """
            long Total() => Interlocked.Read(ref _total);
            long Total2() => Volatile.Read(ref _total);
            int Count() => Volatile.Read(ref _count);
            long Locked() { lock (_lock) { return _total + _count; } }
        }
        """);

    [TestMethod]
    public Task LocklessReads_ReferencesAreNotMarkedReads() => Verify.VerifyAsync("""
        sealed class Flags
        {
            private readonly object _lock = new();
            [GuardedBy("_lock", Lockless = LocklessAccess.Reads)] private volatile int _state;
            static int Peek(in int x) => x;
            int ByIn() => Peek(in {|#0:_state|});
            int ByRefReadonly() { ref readonly int r = ref {|#1:_state|}; return r; }
            int Plain() => _state;
        }
        """,
        Verify.Diagnostic("XL0002").WithLocation(0).WithArguments("Reading", "_state", "_lock", NotHeld),
        Verify.Diagnostic("XL0002").WithLocation(1).WithArguments("Reading", "_state", "_lock", NotHeld));

    // ---- atomics ----

    private const string Counter = """
        sealed class Counter
        {
            private readonly object _lock = new();
            [GuardedBy("_lock", Lockless = LocklessAccess.Atomics)] private long _hits;
            [GuardedBy("_lock", Lockless = LocklessAccess.Reads | LocklessAccess.Atomics)] private int _live;
            [GuardedBy("_lock", Lockless = LocklessAccess.Reads)] private int _readsOnly;

        """;

    [TestMethod]
    public Task Atomics_InterlockedNeedsNoLock() => Verify.VerifyAsync(Counter + """
            void Hit() { Interlocked.Increment(ref _hits); Interlocked.Add(ref _hits, 2); }
            long Swap() => Interlocked.Exchange(ref _hits, 0);
            bool Claim() => Interlocked.CompareExchange(ref _live, 1, 0) == 0;
            long Read() => Interlocked.Read(ref _hits);
            int Live() => Volatile.Read(ref _live);
            void Reset() { lock (_lock) { _hits = 0; _live = 0; } }
        }
        """);

    [TestMethod]
    public Task Atomics_PlainAccessesStillNeedTheLock() => Verify.VerifyAsync(Counter + """
            void Reset() { {|#0:_hits|} = 0; }
            void Bump() { {|#1:_hits|}++; }
            long Get() => {|#2:_hits|};
            void Publish() { Volatile.Write(ref {|#3:_live|}, 1); }
            bool Live() => {|#4:_live|} > 0;
        }
        """,
        Verify.Diagnostic("XL0002").WithLocation(0).WithArguments("Writing", "_hits", "_lock", NotHeld),
        Verify.Diagnostic("XL0002").WithLocation(1).WithArguments("Writing", "_hits", "_lock", NotHeld),
        Verify.Diagnostic("XL0002").WithLocation(2).WithArguments("Reading", "_hits", "_lock", NotHeld),
        Verify.Diagnostic("XL0002").WithLocation(3).WithArguments("Writing", "_live", "_lock", NotHeld),
        Verify.Diagnostic("XL0002").WithLocation(4).WithArguments("Reading", "_live", "_lock", NotHeld + string.Format(Unmarked, "_live")));

    [TestMethod]
    public Task WithoutAtomics_InterlockedStaysAnAccessThatNeedsTheLock() => Verify.VerifyAsync(Counter + """
            void Bump() { Interlocked.Increment(ref {|#0:_readsOnly|}); }
            int Read() => Interlocked.CompareExchange(ref {|#1:_readsOnly|}, 0, 0);
            void Locked() { lock (_lock) { Interlocked.Increment(ref _readsOnly); } }
        }
        """,
        Verify.Diagnostic("XL0002").WithLocation(0).WithArguments("Writing", "_readsOnly", "_lock", NotHeld),
        Verify.Diagnostic("XL0002").WithLocation(1).WithArguments("Writing", "_readsOnly", "_lock", NotHeld));

    // ---- reader-writer guards and properties ----

    [TestMethod]
    public Task LocklessReads_ReaderWriterGuard_WriteUnderReadLockIsStillXL0003() => Verify.VerifyAsync("""
        sealed class Vm
        {
            public readonly RwSem Lock = new();
            [GuardedBy("Lock", Lockless = LocklessAccess.Reads)] public volatile bool Closed;
            bool IsClosed() => Closed;
            void Close() { using (Lock.WriteGuard()) { Closed = true; } }
            void Bad() { using (Lock.ReadGuard()) { {|#0:Closed|} = true; } }
        }
        """,
        Verify.Diagnostic("XL0003").WithLocation(0).WithArguments("Closed", "this.Lock"));

    [TestMethod]
    public Task LocklessReads_OnAProperty_ReadsNeedNoLockWritesDo() => Verify.VerifyAsync("""
        sealed class Job
        {
            private readonly object _lock = new();
            private volatile int _state;
            [GuardedBy("_lock", Lockless = LocklessAccess.Reads)]
            public int State { get => _state; set => _state = value; }
            bool Done() => State == 2;
            void Finish() { {|#0:State|} = 2; }
            void FinishLocked() { lock (_lock) { State = 2; } }
        }
        """,
        Verify.Diagnostic("XL0002").WithLocation(0).WithArguments("Writing", "State", "_lock", NotHeld));

    [TestMethod]
    public Task LocklessReads_AnotherInstance_LockedOnlyForWrites() => Verify.VerifyAsync(Registry + """
            static bool Loaded(Registry r) => r._table != null;
            static void Clear(Registry r) { {|#0:r._table|} = null; }
            static void ClearLocked(Registry r) { lock (r._lock) { r._table = null; } }
        }
        """,
        Verify.Diagnostic("XL0002").WithLocation(0).WithArguments("Writing", "_table", "_lock", "'r._lock' is not held"));
}
