using Microsoft.VisualStudio.TestTools.UnitTesting;
using Verify = XeLocked.Analyzers.Tests.Verifiers.AllRulesVerifier;

namespace XeLocked.Analyzers.Tests.Rules;

/// <summary>
/// A branch on a lock's own "held by this thread" query (<c>IsReadLockHeld</c>,
/// <c>IsWriteLockHeld</c>, <c>IsUpgradeableReadLockHeld</c>, <c>Monitor.IsEntered</c>,
/// <c>Lock.IsHeldByCurrentThread</c>) proves the hold where it is true (as asserted), checked by
/// every rule at once.
/// </summary>
[TestClass]
public sealed class HeldQueryBranchTests
{
    [TestMethod]
    public Task ReleaseUnderTheQuery_NotReported() => Verify.VerifyAsync("""
        class C
        {
            private readonly ReaderWriterLockSlim _transaction = new();
            private readonly Lock _lock = new();

            public void ExitTransaction()
            {
                if (_transaction.IsWriteLockHeld) return;
                if (_transaction.IsReadLockHeld)
                {
                    _transaction.ExitReadLock();
                }
            }

            public void ExitUpgradeable()
            {
                if (_transaction.IsUpgradeableReadLockHeld == true) _transaction.ExitUpgradeableReadLock();
            }

            public void ExitMonitor(object o)
            {
                if (Monitor.IsEntered(o))
                {
                    Monitor.Exit(o);
                }
            }

            public void ExitLock()
            {
                if (!_lock.IsHeldByCurrentThread) return;
                _lock.Exit();
            }

            public void WorkThenReleaseIfHeld(bool take)
            {
                if (take) {|#0:_transaction.EnterReadLock()|};
                if (_transaction.IsReadLockHeld) _transaction.ExitReadLock();
            }
        }
        """,
        // The unconditional EnterReadLock on one path only is still inconsistent at the join.
        Verify.Diagnostic("XL0008").WithLocation(0).WithArguments("'this._transaction' is held on some paths into line 38 and not on others"));

    [TestMethod]
    public Task ReleaseOnTheFalseSide_OrInAnotherMode_Reported() => Verify.VerifyAsync("""
        class C
        {
            private readonly ReaderWriterLockSlim _rw = new();

            public void WrongSide()
            {
                if (_rw.IsReadLockHeld) return;
                {|#0:_rw.ExitReadLock()|};
            }

            public void WrongMode()
            {
                if (_rw.IsReadLockHeld) {|#1:_rw.ExitWriteLock()|};
            }

            public void MonitorWrongSide(object o)
            {
                if (!Monitor.IsEntered(o)) {|#2:Monitor.Exit(o)|};
            }
        }
        """,
        Verify.Diagnostic("XL0007").WithLocation(0).WithArguments("'this._rw' is released but is not held"),
        Verify.Diagnostic("XL0007").WithLocation(1).WithArguments("'this._rw' is released in write mode but is held in read mode"),
        Verify.Diagnostic("XL0007").WithLocation(2).WithArguments("'o' is released but is not held"));

    [TestMethod]
    public Task AcquiresWithEarlyReturnWhenAlreadyHeld_NotReported() => Verify.VerifyAsync("""
        class LockService
        {
            private readonly ReaderWriterLockSlim _transaction = new(LockRecursionPolicy.NoRecursion);
            [GuardedBy("_transaction:write")] private int _n;

            [Acquires("_transaction:write")]
            public bool EnterExclusive()
            {
                if (_transaction.IsWriteLockHeld) return false;
                if (_transaction.TryEnterWriteLock(1000) == false) throw new TimeoutException();
                return true;
            }

            public void Touch()
            {
                if (_transaction.IsWriteLockHeld) _n++;
                {|#0:_n|}++;
            }
        }
        """,
        Verify.Diagnostic("XL0002").WithLocation(0).WithArguments("Writing", "_n", "_transaction:write", "'this._transaction' is not held"));
}
