using Microsoft.VisualStudio.TestTools.UnitTesting;
using Verify = XeLocked.Analyzers.Tests.Verifiers.AllRulesVerifier;

namespace XeLocked.Analyzers.Tests.Rules;

/// <summary>
/// Reader-writer modes across every per-body rule at once: a try-upgrade of a
/// <c>ReaderWriterLockSlim</c> upgradeable read, a lock held for write on one branch and for read on
/// the other (joined as read-or-write), and the upgradeable→read downgrade.
/// </summary>
[TestClass]
public sealed class ReaderWriterModesTests
{
    private const string Cache = """
        class Cache
        {
            private readonly ReaderWriterLockSlim _rw = new();
            [GuardedBy("_rw")] private int _value;

        """;

    // ---- TryEnterWriteLock inside an upgradeable read is an upgrade, like EnterWriteLock ----

    [TestMethod]
    public Task TryEnterWriteLockInsideUpgradeableRead_IsAnUpgrade() => Verify.VerifyAsync(Cache + """
            void M()
            {
                _rw.EnterUpgradeableReadLock();
                try
                {
                    if (_value == 0 && _rw.TryEnterWriteLock(100))
                    {
                        try { _value = 1; } finally { _rw.ExitWriteLock(); }
                    }
                    _ = _value;
                }
                finally { _rw.ExitUpgradeableReadLock(); }
            }
        }
        """);

    [TestMethod]
    public Task TryEnterWriteLockResultInALocal_EarlyReturn() => Verify.VerifyAsync(Cache + """
            bool M()
            {
                _rw.EnterUpgradeableReadLock();
                try
                {
                    var upgraded = _rw.TryEnterWriteLock(0);
                    if (!upgraded) return false;
                    try { _value++; } finally { _rw.ExitWriteLock(); }
                    return true;
                }
                finally { _rw.ExitUpgradeableReadLock(); }
            }
        }
        """);

    [TestMethod]
    public Task TryUpgradeFailed_WriteIsStillUnderReadMode() => Verify.VerifyAsync(Cache + """
            void M()
            {
                _rw.EnterUpgradeableReadLock();
                if (!_rw.TryEnterWriteLock(0))
                {
                    {|#0:_value|} = 1;
                }
                else
                {
                    _rw.ExitWriteLock();
                }
                _rw.ExitUpgradeableReadLock();
            }
        }
        """,
        Verify.Diagnostic("XL0003").WithLocation(0).WithArguments("_value", "this._rw"));

    [TestMethod]
    public Task TryUpgradeLeftHeld_IsReportedAtExit() => Verify.VerifyAsync(Cache + """
            void M()
            {
                _rw.EnterUpgradeableReadLock();
                if (_rw.TryEnterWriteLock(0)) { _value = 1; }
                _rw.ExitUpgradeableReadLock();
            }
        }
        """,
        // the write hold (released on one path only) and the upgradeable read it sits on disagree at the join
        Verify.Diagnostic("XL0008").WithSpan("Test0.cs", 8, 9, 8, 39).WithArguments("'this._rw' is held on some paths into line 10 and not on others"));

    // ---- write on one branch, read on the other: held in read-or-write mode ----

    [TestMethod]
    public Task WriteOnOneBranchReadOnTheOther_ReadsAreFine() => Verify.VerifyAsync(Cache + """
            int M(bool exclusive)
            {
                if (exclusive) _rw.EnterWriteLock(); else _rw.EnterReadLock();
                var v = _value;
                if (exclusive) _rw.ExitWriteLock(); else _rw.ExitReadLock();
                return v;
            }
        }
        """);

    [TestMethod]
    public Task WriteOnOneBranchReadOnTheOther_WriteNeedsWriteMode() => Verify.VerifyAsync(Cache + """
            void M(bool exclusive)
            {
                if (exclusive) _rw.EnterWriteLock(); else _rw.EnterReadLock();
                {|#0:_value|} = 1;
                if (exclusive) _rw.ExitWriteLock(); else _rw.ExitReadLock();
            }
        }
        """,
        Verify.Diagnostic("XL0002").WithLocation(0).WithArguments("Writing", "_value", "_rw", "'this._rw' is held in read-or-write mode, write mode is needed"));

    [TestMethod]
    public Task ReadOrWrite_ReleasedByEitherKind_NotReported() => Verify.VerifyAsync(Cache + """
            void M(bool exclusive)
            {
                if (exclusive) _rw.EnterWriteLock(); else _rw.EnterReadLock();
                try { _ = _value; }
                finally { if (_rw.IsWriteLockHeld) _rw.ExitWriteLock(); else _rw.ExitReadLock(); }
            }
        }
        """);

    [TestMethod]
    public Task ReadOrWrite_RefinedByIsWriteLockHeld() => Verify.VerifyAsync(Cache + """
            void M(bool exclusive)
            {
                if (exclusive) _rw.EnterWriteLock(); else _rw.EnterReadLock();
                if (_rw.IsWriteLockHeld) { _value = 1; _rw.ExitWriteLock(); }
                else { {|#0:_value|} = 2; {|#1:_rw.ExitWriteLock()|}; }
            }
        }
        """,
        Verify.Diagnostic("XL0003").WithLocation(0).WithArguments("_value", "this._rw"),
        Verify.Diagnostic("XL0007").WithLocation(1).WithArguments("'this._rw' is released in write mode but is held in read mode"));

    [TestMethod]
    public Task ReadOrWrite_ReleasedOnOnePathOnly_IsStillInconsistent() => Verify.VerifyAsync(Cache + """
            void M(bool exclusive)
            {
                if (exclusive) _rw.EnterWriteLock(); else _rw.EnterReadLock();
                if (exclusive) _rw.ExitWriteLock();
            }
        }
        """,
        Verify.Diagnostic("XL0008").WithSpan("Test0.cs", 8, 24, 8, 44).WithArguments("'this._rw' is still held when 'M' returns (line 9); release it on every path or declare [Acquires]"));

    // ---- upgradeable read → read downgrade ----

    [TestMethod]
    public Task UpgradeableToReadDowngrade_HoldsRead() => Verify.VerifyAsync(Cache + """
            int M()
            {
                _rw.EnterUpgradeableReadLock();
                _rw.EnterReadLock();
                _rw.ExitUpgradeableReadLock();
                try { return _value; }
                finally { _rw.ExitReadLock(); }
            }
        }
        """);

    [TestMethod]
    public Task UpgradeableToReadDowngrade_WriteAfterIsUnderRead() => Verify.VerifyAsync(Cache + """
            void M()
            {
                _rw.EnterUpgradeableReadLock();
                _rw.EnterReadLock();
                _rw.ExitUpgradeableReadLock();
                {|#0:_value|} = 1;
                _rw.ExitReadLock();
            }
        }
        """,
        Verify.Diagnostic("XL0003").WithLocation(0).WithArguments("_value", "this._rw"));
}
