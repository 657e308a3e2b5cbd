using Microsoft.VisualStudio.TestTools.UnitTesting;
using Verify = XeLocked.Analyzers.Tests.Verifiers.AllRulesVerifier;

namespace XeLocked.Analyzers.Tests.Rules;

/// <summary>
/// Contract-less lock wrapper methods get a contract inferred from their body (an enter/exit pair,
/// a try-enter, a method that lets its caller's lock go and takes it back), applied at their calls
/// like a declared one; a wrapper that is inconsistent, or has no partner, is still reported.
/// Checked by every rule at once.
/// </summary>
[TestClass]
public sealed class InferredWrapperContractsTests
{
    /// <summary>LiteDB's LockService shape: ensure-held enter methods, a try-enter, release methods, and their callers.</summary>
    private const string LockService = """
        using System.Threading.Tasks;
        class LiteException : Exception { public static LiteException LockTimeout(string s) => new(); }
        class Pragmas { public TimeSpan Timeout => TimeSpan.FromSeconds(1); }
        class LockService
        {
            private readonly ReaderWriterLockSlim _transaction = new(LockRecursionPolicy.SupportsRecursion);
            private readonly Pragmas _pragmas = new();

            public void EnterTransaction()
            {
                if (_transaction.IsWriteLockHeld) return;
                if (_transaction.TryEnterReadLock(_pragmas.Timeout) == false) throw LiteException.LockTimeout("transaction");
            }

            public void ExitTransaction()
            {
                if (_transaction.IsWriteLockHeld) return;
                if (_transaction.IsReadLockHeld)
                {
                    try { _transaction.ExitReadLock(); }
                    catch { }
                }
            }

            public bool EnterExclusive()
            {
                if (_transaction.IsWriteLockHeld) return false;
                if (_transaction.TryEnterWriteLock(_pragmas.Timeout) == false) throw LiteException.LockTimeout("exclusive");
                return true;
            }

            public bool TryEnterExclusive(out bool mustExit)
            {
                if (_transaction.IsWriteLockHeld) { mustExit = false; return true; }
                if (_transaction.IsReadLockHeld || _transaction.CurrentReadCount > 0) { mustExit = false; return false; }
                if (_transaction.TryEnterWriteLock(10) == false) { mustExit = false; return false; }
                mustExit = true;
                return true;
            }

            public void ExitExclusive() { _transaction.ExitWriteLock(); }
        }

        """;

    [TestMethod]
    public Task LiteDbLockService_AndItsCallers_NotReported() => Verify.VerifyAsync(LockService + """
        class Engine
        {
            private readonly LockService _locker = new();
            private int _n;

            public void Transaction()
            {
                _locker.EnterTransaction();
                try { _n++; }
                finally { _locker.ExitTransaction(); }
            }

            public int Checkpoint()
            {
                var mustExit = _locker.EnterExclusive();
                try { return _n; }
                finally { if (mustExit) _locker.ExitExclusive(); }
            }

            public int TryCheckpoint()
            {
                if (_locker.TryEnterExclusive(out var mustExit) == false) return 0;
                try { return _n; }
                finally { if (mustExit) _locker.ExitExclusive(); }
            }
        }
        """);

    [TestMethod]
    public Task InferredAcquires_GuardedFieldsOfTheCallerAreChecked() => Verify.VerifyAsync("""
        class Service
        {
            private readonly object _sync = new();
            [GuardedBy("_sync")] private int _n;

            private void Enter() => Monitor.Enter(_sync);
            private void Exit() => Monitor.Exit(_sync);

            public void Good()
            {
                Enter();
                try { _n++; }
                finally { Exit(); }
            }

            public void Bad()
            {
                {|#0:_n|}++;
            }
        }
        """,
        Verify.Diagnostic("XL0002").WithLocation(0).WithArguments("Writing", "_n", "_sync", "'this._sync' is not held"));

    [TestMethod]
    public Task CallerOfAnInferredAcquires_LeakingIt_ReportedAtTheCall() => Verify.VerifyAsync(LockService + """
        class Engine
        {
            private readonly LockService _locker = new();

            public void Leak(bool b)
            {
                {|#0:_locker.EnterTransaction()|};
                if (b) return;
                _locker.ExitTransaction();
            }

            public void ReleaseWithoutEnter()
            {
                {|#1:_locker.ExitExclusive()|};
            }
        }
        """,
        Verify.Diagnostic("XL0008").WithLocation(0).WithArguments("'this._locker._transaction' is still held when 'Leak' returns (line 51); release it on every path or declare [Acquires]"),
        Verify.Diagnostic("XL0007").WithLocation(1).WithArguments("'this._locker._transaction' is released but is not held"));

    /// <summary>RabbitMQ.Client's shape: a private method called with the semaphore held, which lets it go around a callback.</summary>
    [TestMethod]
    public Task ReleasedAndTakenBack_InferredRequires_NotReported() => Verify.VerifyAsync("""
        using System.Threading.Tasks;
        class Connection
        {
            private readonly SemaphoreSlim _gate = new(1, 1);
            private readonly Func<Task> _handler = () => Task.CompletedTask;

            private async Task RecoverAsync(bool gateHeld, CancellationToken ct)
            {
                if (!gateHeld) throw new InvalidOperationException("gate must be held");
                foreach (var i in new[] { 1, 2 })
                {
                    try { await Task.Yield(); }
                    catch (Exception)
                    {
                        try { _gate.Release(); await _handler(); }
                        finally { await _gate.WaitAsync(ct); }
                    }
                }
            }

            public async Task RunAsync(CancellationToken ct)
            {
                await _gate.WaitAsync(ct);
                try { await RecoverAsync(true, ct); } finally { _gate.Release(); }
            }
        }
        """);

    [TestMethod]
    public Task CallerOfAnInferredRequires_NotHoldingIt_Reported() => Verify.VerifyAsync("""
        using System.Threading.Tasks;
        class Connection
        {
            private readonly SemaphoreSlim _gate = new(1, 1);

            private async Task RecoverAsync(CancellationToken ct)
            {
                try { _gate.Release(); await Task.Yield(); }
                finally { await _gate.WaitAsync(ct); }
            }

            public async Task RunAsync(CancellationToken ct)
            {
                await {|#0:RecoverAsync(ct)|};
            }
        }
        """,
        Verify.Diagnostic("XL0004").WithLocation(0).WithArguments("RecoverAsync", "_gate",
            "'this._gate' is not held ([Requires(\"_gate\")] inferred from the body of 'RecoverAsync': it lets the lock go and takes it back)"));

    [TestMethod]
    public Task InconsistentWrapper_StillReported() => Verify.VerifyAsync("""
        class Service
        {
            private readonly object _sync = new();

            public void Enter(bool b)
            {
                if (b) {|#0:Monitor.Enter(_sync)|};
                Console.WriteLine();
            }

            public bool TryEnter(bool b)
            {
                if (b) { {|#1:Monitor.Enter(_sync)|}; return true; }
                return true;
            }

            public void Exit() => {|#2:Monitor.Exit(_sync)|};
        }
        """,
        // No enter method is consistent, so the exit method has no partner: nothing is inferred.
        Verify.Diagnostic("XL0008").WithLocation(0).WithArguments("'this._sync' is held on some paths into line 9 and not on others"),
        Verify.Diagnostic("XL0008").WithLocation(1).WithArguments("'this._sync' is still held when 'TryEnter' returns (line 14); release it on every path or declare [Acquires]"),
        Verify.Diagnostic("XL0007").WithLocation(2).WithArguments("'this._sync' is released but is not held"));

    [TestMethod]
    public Task LoneEnter_LoneRelease_WithoutPartner_StillReported() => Verify.VerifyAsync("""
        class Service
        {
            private readonly object _a = new();
            private readonly object _b = new();
            private int _x;

            public void M()
            {
                {|#0:Monitor.Enter(_a)|};
                _x++;
            }

            public void Exit()
            {
                {|#1:Monitor.Exit(_b)|};
            }
        }
        """,
        Verify.Diagnostic("XL0008").WithLocation(0).WithArguments("'this._a' is still held when 'M' returns (line 11); release it on every path or declare [Acquires]"),
        Verify.Diagnostic("XL0007").WithLocation(1).WithArguments("'this._b' is released but is not held"));

    [TestMethod]
    public Task TryEnterWrapper_ReturnsTrueWhenHeld_Inferred() => Verify.VerifyAsync("""
        class Service
        {
            private readonly object _sync = new();
            [GuardedBy("_sync")] private int _n;

            private bool TryEnter()
            {
                if (Monitor.TryEnter(_sync, 10)) return true;
                return false;
            }

            private void Exit() => Monitor.Exit(_sync);

            public void Use()
            {
                if (!TryEnter()) return;
                try { _n++; }
                finally { Exit(); }
            }
        }
        """);

    /// <summary>RabbitMQ.Client's shape: both wrappers conditional on one field that only the constructor assigns.</summary>
    [TestMethod]
    public Task PairConditionalOnAField_AssignedOnlyInTheConstructor_NotReported() => Verify.VerifyAsync("""
        using System.Threading.Tasks;
        class Channel
        {
            private readonly SemaphoreSlim _confirmSemaphore = new(1, 1);
            private bool _publisherConfirmationsEnabled;
            [GuardedBy("_confirmSemaphore")] private ulong _nextPublishSeqNo;

            public Channel(bool confirms) { _publisherConfirmationsEnabled = confirms; }

            private async ValueTask MaybeAcquirePublisherConfirmationLockAsync(CancellationToken ct)
            {
                if (_publisherConfirmationsEnabled)
                {
                    await _confirmSemaphore.WaitAsync(ct);
                }
            }

            private void MaybeReleasePublisherConfirmationLock()
            {
                if (_publisherConfirmationsEnabled)
                {
                    _confirmSemaphore.Release();
                }
            }

            public async Task BasicPublishAsync(CancellationToken ct)
            {
                await MaybeAcquirePublisherConfirmationLockAsync(ct);
                try { _nextPublishSeqNo++; await Task.Yield(); }
                finally { MaybeReleasePublisherConfirmationLock(); }
            }
        }
        """);

    [TestMethod]
    public Task PairConditionalOnAFieldOthersAssign_StillReported() => Verify.VerifyAsync("""
        using System.Threading.Tasks;
        class Channel
        {
            private readonly SemaphoreSlim _confirmSemaphore = new(1, 1);
            private bool _enabled;

            public void Configure(bool on) { _enabled = on; }

            private async ValueTask MaybeAcquireLockAsync(CancellationToken ct)
            {
                if (_enabled)
                {
                    await {|#0:_confirmSemaphore.WaitAsync(ct)|};
                }
            }

            private void MaybeReleaseLock()
            {
                if (_enabled)
                {
                    {|#1:_confirmSemaphore.Release()|};
                }
            }
        }
        """,
        Verify.Diagnostic("XL0008").WithLocation(0).WithArguments("'this._confirmSemaphore' is still held when 'MaybeAcquireLockAsync' returns (line 14); release it on every path or declare [Acquires]"),
        Verify.Diagnostic("XL0007").WithLocation(1).WithArguments("'this._confirmSemaphore' is released but is not held"));

    [TestMethod]
    public Task DeclaredReleases_HeldQueriesThatContradictTheHold_AreNotFollowed() => Verify.VerifyAsync("""
        class LockService
        {
            private readonly ReaderWriterLockSlim _t = new();
            private readonly object _o = new();

            [Releases("_t:read")]
            public void ExitTransaction()
            {
                if (_t.IsWriteLockHeld) return;
                if (_t.IsReadLockHeld) _t.ExitReadLock();
            }

            [Releases("_o")]
            public void ExitMonitor()
            {
                if (!Monitor.IsEntered(_o)) return;
                Monitor.Exit(_o);
            }

            [Releases("_t:write")]
            public void {|#0:ExitWrite|}()
            {
                if (_t.IsReadLockHeld) {|#1:_t.ExitReadLock()|};
            }
        }
        """,
        // Under a write hold IsReadLockHeld may be true (a recursive lock): both sides are followed.
        Verify.Diagnostic("XL0007").WithLocation(1).WithArguments("'this._t' is released in read mode but is held in write mode"),
        Verify.Diagnostic("XL0008").WithLocation(0).WithArguments("'ExitWrite' is declared [Releases(\"this._t\")] but still holds it when it returns"));

    [TestMethod]
    public Task DeclaredPartner_PairsWhateverTheName_WrapperOfAWrapper_NotInferred() => Verify.VerifyAsync("""
        class Service
        {
            private readonly object _sync = new();

            public void Start() => Monitor.Enter(_sync);

            [Releases("_sync")]
            public void Stop() => Monitor.Exit(_sync);

            public void Run()
            {
                Start();
                try { Console.WriteLine(); }
                finally { Stop(); }
            }

            public void StartTwice()
            {
                {|#0:Start()|};
            }
        }
        """,
        // Inference is one level deep: a method that only calls an inferred wrapper gets no contract of its own.
        Verify.Diagnostic("XL0008").WithLocation(0).WithArguments("'this._sync' is still held when 'StartTwice' returns (line 20); release it on every path or declare [Acquires]"));
}
