using Microsoft.VisualStudio.TestTools.UnitTesting;
using Verify = XeLocked.Analyzers.Tests.Verifiers.AllRulesVerifier;

namespace XeLocked.Analyzers.Tests.Rules;

/// <summary>
/// A try-acquire with the constant infinite timeout (<c>-1</c>, <c>Timeout.Infinite</c>,
/// <c>Timeout.InfiniteTimeSpan</c>) is an unconditional acquisition, checked by every rule at once;
/// a finite or non-constant timeout stays a try-acquire.
/// </summary>
[TestClass]
public sealed class InfiniteTimeoutTryAcquireTests
{
    [TestMethod]
    public Task ReaderWriterLockSlim_InfiniteTryForms_Acquire() => Verify.VerifyAsync("""
        class Index
        {
            private readonly ReaderWriterLockSlim _rw = new();
            [GuardedBy("_rw")] private int _version;

            public int Read()
            {
                _rw.TryEnterReadLock(-1);
                try { return _version; }
                finally { _rw.ExitReadLock(); }
            }

            public void Write()
            {
                _rw.TryEnterWriteLock(Timeout.Infinite);
                try { _version++; }
                finally { _rw.ExitWriteLock(); }
            }

            public void Upgradeable()
            {
                _rw.TryEnterUpgradeableReadLock(Timeout.InfiniteTimeSpan);
                try { _ = _version; }
                finally { _rw.ExitUpgradeableReadLock(); }
            }

            public void Checked()
            {
                if (!_rw.TryEnterWriteLock(-1)) throw new TimeoutException();
                try { _version++; }
                finally { _rw.ExitWriteLock(); }
            }

            public void BranchOnResult()
            {
                if (_rw.TryEnterWriteLock(-1))
                {
                    try { _version++; }
                    finally { _rw.ExitWriteLock(); }
                }
            }

            public void Finite(int timeout)
            {
                _rw.TryEnterReadLock(100);
                try { _ = {|#0:_version|}; }
                finally { {|#1:_rw.ExitReadLock()|}; }
                _rw.TryEnterReadLock(timeout);
                {|#2:_rw.ExitReadLock()|};
                _rw.TryEnterReadLock(-2);
                {|#3:_rw.ExitReadLock()|};
            }
        }
        """,
        Verify.Diagnostic("XL0002").WithLocation(0).WithArguments("Reading", "_version", "_rw", "'this._rw' is not held"),
        Verify.Diagnostic("XL0007").WithLocation(1).WithArguments("'this._rw' is released but is not held"),
        Verify.Diagnostic("XL0007").WithLocation(2).WithArguments("'this._rw' is released but is not held"),
        Verify.Diagnostic("XL0007").WithLocation(3).WithArguments("'this._rw' is released but is not held"));

    [TestMethod]
    public Task Monitor_And_Lock_InfiniteTryForms_Acquire() => Verify.VerifyAsync("""
        class C
        {
            private readonly object _mon = new();
            private readonly Lock _lock = new();
            [GuardedBy("_mon")] private int _a;
            [GuardedBy("_lock")] private int _b;

            public void Span()
            {
                Monitor.TryEnter(_mon, Timeout.InfiniteTimeSpan);
                try { _a++; }
                finally { Monitor.Exit(_mon); }
            }

            public void Millis()
            {
                Monitor.TryEnter(_mon, Timeout.Infinite);
                try { _a++; }
                finally { Monitor.Exit(_mon); }
            }

            public void WithFlag()
            {
                bool taken = false;
                try
                {
                    Monitor.TryEnter(_mon, -1, ref taken);
                    _a++;
                }
                finally
                {
                    if (taken) Monitor.Exit(_mon);
                }
            }

            public void ThreadingLock()
            {
                _lock.TryEnter(-1);
                try { _b++; }
                finally { _lock.Exit(); }
            }

            public void FiniteMonitor()
            {
                Monitor.TryEnter(_mon, 10);
                {|#0:Monitor.Exit(_mon)|};
            }
        }
        """,
        Verify.Diagnostic("XL0007").WithLocation(0).WithArguments("'this._mon' is released but is not held"));

    [TestMethod]
    public Task SemaphoreSlim_InfiniteWaitForms_Acquire() => Verify.VerifyAsync("""
        using System.Threading.Tasks;
        class C
        {
            private readonly SemaphoreSlim _gate = new(1, 1);
            [GuardedBy("_gate")] private int _n;

            public void Blocking()
            {
                _gate.Wait(-1);
                try { _n++; }
                finally { _gate.Release(); }
            }

            public void BlockingConst()
            {
                _gate.Wait(Timeout.Infinite);
                try { _n++; }
                finally { _gate.Release(); }
            }

            public void BlockingSpan()
            {
                _gate.Wait(Timeout.InfiniteTimeSpan);
                try { _n++; }
                finally { _gate.Release(); }
            }

            public async Task Async()
            {
                await _gate.WaitAsync(-1);
                try { _n++; }
                finally { _gate.Release(); }
            }

            public void Finite()
            {
                _gate.Wait(5);
                {|#0:_gate.Release()|};
            }
        }
        """,
        Verify.Diagnostic("XL0007").WithLocation(0).WithArguments("'this._gate' is released but is not held"));
}
