using Microsoft.VisualStudio.TestTools.UnitTesting;
using Verify = XeLocked.Analyzers.Tests.Verifiers.FlowVerifier<XeLocked.Analyzers.Rules.GuardedAccessAnalyzer>;

namespace XeLocked.Analyzers.Tests.Rules;

[TestClass]
public sealed class XL0003WriteUnderReadLockTests
{
    private const string Vm = """
        class Vm
        {
            public readonly RwSem Lock = new();
            public readonly ReaderWriterLockSlim Rw = new();
            [GuardedBy("Lock")] public int Data;
            [GuardedBy("Rw")] public int Other;

        """;

    [TestMethod]
    public Task WriteUnderReadGuard_NamesTheLock() => Verify.VerifyAsync(Vm + """
            void M() { using (Lock.ReadGuard()) { {|#0:Data|} = 1; } }
        }
        """,
        Verify.Diagnostic("XL0003").WithLocation(0).WithArguments("Data", "this.Lock"));

    [TestMethod]
    public Task IncrementAndCompoundUnderReadLock() => Verify.VerifyAsync(Vm + """
            void M() { Lock.LockRead(); {|XL0003:Data|}++; {|XL0003:Data|} += 2; Lock.UnlockRead(); }
        }
        """);

    [TestMethod]
    public Task WriteUnderReaderWriterLockSlimReadLock() => Verify.VerifyAsync(Vm + """
            void M() { Rw.EnterReadLock(); try { {|XL0003:Other|} = 3; } finally { Rw.ExitReadLock(); } }
        }
        """);

    [TestMethod]
    public Task WriteUnderUpgradeableRead() => Verify.VerifyAsync(Vm + """
            void M() { Rw.EnterUpgradeableReadLock(); {|XL0003:Other|} = 3; Rw.ExitUpgradeableReadLock(); }
        }
        """);

    [TestMethod]
    public Task WriteUnderRequiresRead() => Verify.VerifyAsync(Vm + """
            [Requires("Lock:read")] void M() { {|XL0003:Data|} = 1; }
        }
        """);

    [TestMethod]
    public Task WriteAfterDowngrade() => Verify.VerifyAsync(Vm + """
            void M() { Lock.LockWrite(); Data = 1; Lock.DowngradeWrite(); {|XL0003:Data|} = 2; Lock.UnlockRead(); }
        }
        """);

    [TestMethod]
    public Task ExplicitWriteOverrideNeedsWrite() => Verify.VerifyAsync("""
        class C
        {
            public readonly RwSem Lock = new();
            [GuardedBy("Lock:read", Write = "Lock:write")] public int X;
            [Requires("Lock:read")] void M() { var x = X; {|XL0003:X|} = x + 1; }
        }
        """);

    // ---- correct code ----

    [TestMethod]
    public Task WriteUnderWriteLock_ReadUnderReadLock() => Verify.VerifyAsync(Vm + """
            void A() { using (Lock.WriteGuard()) { Data = 1; Data++; } }
            int B() { using (Lock.ReadGuard()) { return Data; } }
            void D() { Rw.EnterWriteLock(); try { Other = 1; } finally { Rw.ExitWriteLock(); } }
            [Requires("Lock:write")] void E() { Data += 1; }
        }
        """);

    [TestMethod]
    public Task UpgradeableReadThenWrite() => Verify.VerifyAsync(Vm + """
            void M()
            {
                Rw.EnterUpgradeableReadLock();
                try
                {
                    var x = Other;
                    Rw.EnterWriteLock();
                    try { Other = x + 1; } finally { Rw.ExitWriteLock(); }
                }
                finally { Rw.ExitUpgradeableReadLock(); }
            }
        }
        """);

    [TestMethod]
    public Task WriteBeforeDowngradeAndReadAfter() => Verify.VerifyAsync(Vm + """
            int M() { Lock.LockWrite(); Data = 1; Lock.DowngradeWrite(); var d = Data; Lock.UnlockRead(); return d; }
        }
        """);

    [TestMethod]
    public Task WriteOverrideWithExclusiveSideLock() => Verify.VerifyAsync("""
        class C
        {
            public readonly RwSem Lock = new();
            public readonly Mutex Side = new();
            [GuardedBy("Lock:read", Write = "Lock:read & Side")] public int X;
            [Requires("Lock:read")] void M() { Side.Lock(); X = 2; Side.Unlock(); }
        }
        """);

    [TestMethod]
    public Task ReadsOnlyUnderReadLock() => Verify.VerifyAsync(Vm + """
            int M() { Lock.LockRead(); var x = Data + Data; Lock.UnlockRead(); return x; }
        }
        """);

    [TestMethod]
    public Task WriteAfterTryLockWriteSucceeded() => Verify.VerifyAsync(Vm + """
            void M() { if (Lock.TryLockWrite()) { Data = 1; Lock.UnlockWrite(); } }
        }
        """);

    [TestMethod]
    public Task WriteUnderAssertedWrite() => Verify.VerifyAsync(Vm + """
            void M() { Lockdep.AssertHeldWrite(Lock); Data = 3; }
        }
        """);
    // ---- the :read alternative of a [GuardedBy] and writes ----

    [TestMethod]
    public Task ReadOnlyAlternative_DoesNotPermitAWrite() => Verify.VerifyAsync("""
        class C
        {
            public readonly RwSem Lock = new();
            public readonly RwSem Other = new();
            [GuardedBy("Lock:read")] public int X;
            [GuardedBy("Lock:read | Other:write")] public int Y;
            [Requires("Lock:read")] int Read() => X + Y;
            [Requires("Lock:read")] void WriteX() { {|#0:X|} = 1; }
            [Requires("Lock:read")] void WriteY() { {|#1:Y|} = 1; }
            [Requires("Lock:write")] void WriteBoth() { X = 1; Y = 1; }
            [Requires("Other:write")] void WriteYUnderOther() { Y = 2; }
        }
        """,
        Verify.Diagnostic("XL0003").WithLocation(0).WithArguments("X", "this.Lock"),
        Verify.Diagnostic("XL0003").WithLocation(1).WithArguments("Y", "this.Lock"));

    [TestMethod]
    public Task ReadAlternativeWithAnExclusiveLock_PermitsTheWrite() => Verify.VerifyAsync("""
        class Vma
        {
            public readonly RwSem Lock = new();
            public readonly Mutex FaultLock = new();
            [GuardedBy("Lock:write | (Lock:read & FaultLock)")] public ulong NotifierSeq;
            [Requires("Lock:read")] void Bump() { using (FaultLock.Guard()) { NotifierSeq++; } }
            [Requires("Lock:write")] void Reset() { NotifierSeq = 0; }
            [Requires("Lock:read")] void Bad() { {|#0:NotifierSeq|} = 1; }
        }
        """,
        Verify.Diagnostic("XL0003").WithLocation(0).WithArguments("NotifierSeq", "this.Lock"));

    [TestMethod]
    public Task ExplicitWriteExpression_IsTakenAsWritten() => Verify.VerifyAsync("""
        class Stats
        {
            public readonly RwSem Lock = new();
            // Published by any reader with one atomic store: the author says so explicitly.
            [GuardedBy("Lock:read", Write = "Lock:read")] public int Generation;
            [Requires("Lock:read")] void Publish(int g) { Generation = g; }
        }
        """);
}
