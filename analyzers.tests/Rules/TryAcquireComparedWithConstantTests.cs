using Microsoft.VisualStudio.TestTools.UnitTesting;
using Verify = XeLocked.Analyzers.Tests.Verifiers.AllRulesVerifier;

namespace XeLocked.Analyzers.Tests.Rules;

/// <summary>
/// A try-acquire (or its variable) compared with a boolean constant (<c>== false</c>,
/// <c>!= true</c>, <c>is false</c>, <c>is not true</c>, …) decides the branch like <c>!x</c> or
/// <c>x</c>, checked by every rule at once.
/// </summary>
[TestClass]
public sealed class TryAcquireComparedWithConstantTests
{
    [TestMethod]
    public Task NegatingComparisons_HeldAfterTheThrow() => Verify.VerifyAsync("""
        class C
        {
            private readonly ReaderWriterLockSlim _rw = new();
            [GuardedBy("_rw:write")] private int _n;

            public void EqualsFalse()
            {
                if (_rw.TryEnterWriteLock(100) == false) throw new TimeoutException();
                try { _n++; }
                finally { _rw.ExitWriteLock(); }
            }

            public void FalseEquals()
            {
                if (false == _rw.TryEnterWriteLock(100)) throw new TimeoutException();
                try { _n++; }
                finally { _rw.ExitWriteLock(); }
            }

            public void NotEqualsTrue()
            {
                if (_rw.TryEnterWriteLock(100) != true) throw new TimeoutException();
                try { _n++; }
                finally { _rw.ExitWriteLock(); }
            }

            public void IsFalse()
            {
                if (_rw.TryEnterWriteLock(100) is false) throw new TimeoutException();
                try { _n++; }
                finally { _rw.ExitWriteLock(); }
            }

            public void IsNotTrue()
            {
                var ok = _rw.TryEnterWriteLock(100);
                if (ok is not true) return;
                try { _n++; }
                finally { _rw.ExitWriteLock(); }
            }
        }
        """);

    [TestMethod]
    public Task RestatingComparisons_HeldInsideOnly() => Verify.VerifyAsync("""
        class C
        {
            private readonly object _o = new();
            [GuardedBy("_o")] private int _n;

            public void EqualsTrue()
            {
                if (Monitor.TryEnter(_o, 100) == true)
                {
                    try { _n++; } finally { Monitor.Exit(_o); }
                }
                else
                {
                    {|#0:_n|}++;
                }
            }

            public void NotEqualsFalse()
            {
                if (Monitor.TryEnter(_o, 100) != false)
                {
                    try { _n++; } finally { Monitor.Exit(_o); }
                }
            }

            public void IsTrue()
            {
                bool taken = Monitor.TryEnter(_o, 100);
                if (taken is true)
                {
                    _n++;
                }

                if (taken is not false)
                {
                    Monitor.Exit(_o);
                }
            }

            public void IsNotFalse_WrongSide()
            {
                if ({|#2:Monitor.TryEnter(_o, 100)|} is not false) return;
                {|#1:Monitor.Exit(_o)|};
            }
        }
        """,
        Verify.Diagnostic("XL0002").WithLocation(0).WithArguments("Writing", "_n", "_o", "'this._o' is not held"),
        Verify.Diagnostic("XL0007").WithLocation(1).WithArguments("'this._o' is released but is not held"),
        Verify.Diagnostic("XL0008").WithLocation(2).WithArguments("'this._o' is still held when 'IsNotFalse_WrongSide' returns (line 43); release it on every path or declare [Acquires]"));
}
