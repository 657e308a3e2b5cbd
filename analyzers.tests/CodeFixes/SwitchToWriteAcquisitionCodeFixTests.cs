using Microsoft.VisualStudio.TestTools.UnitTesting;
using Verify = XeLocked.Analyzers.Tests.CodeFixes.CodeFixVerifier<XeLocked.Analyzers.Rules.GuardedAccessAnalyzer, XeLocked.CodeFixes.Fixes.SwitchToWriteAcquisitionCodeFixProvider>;

namespace XeLocked.Analyzers.Tests.CodeFixes;

[TestClass]
public sealed class SwitchToWriteAcquisitionCodeFixTests
{
    private const string Head = """
        class C
        {
            public readonly RwSem Lock = new();
            public readonly ReaderWriterLockSlim Rw = new();
            [GuardedBy("Lock")] int _data;
            [GuardedBy("Rw")] int _other;

        """;

    [TestMethod]
    public Task ReadGuardBecomesWriteGuard() => Verify.VerifyAsync(
        Head + """
            void M() { using (Lock.ReadGuard()) { {|XL0003:_data|} = 1; } }
        }
        """,
        Head + """
            void M() { using (Lock.WriteGuard()) { _data = 1; } }
        }
        """);

    [TestMethod]
    public Task ExplicitLockAndUnlockAreBothSwitched() => Verify.VerifyAsync(
        Head + """
            void M() { this.Lock.LockRead(); try { {|XL0003:_data|}++; } finally { Lock.UnlockRead(); } }
        }
        """,
        Head + """
            void M() { this.Lock.LockWrite(); try { _data++; } finally { Lock.UnlockWrite(); } }
        }
        """);

    [TestMethod]
    public Task ReaderWriterLockSlimEnterAndExit() => Verify.VerifyAsync(
        Head + """
            void M() { Rw.EnterReadLock(); try { {|XL0003:_other|} = 2; } finally { Rw.ExitReadLock(); } }
        }
        """,
        Head + """
            void M() { Rw.EnterWriteLock(); try { _other = 2; } finally { Rw.ExitWriteLock(); } }
        }
        """);

    [TestMethod]
    public Task CollectionModifiedUnderTheReadLock() => Verify.VerifyAsync(
        Head + """
            [GuardedBy("Rw")] System.Collections.Generic.List<int> _items = new();
            void M() { Rw.EnterReadLock(); try { {|XL0003:_items|}.Add(2); } finally { Rw.ExitReadLock(); } }
        }
        """,
        Head + """
            [GuardedBy("Rw")] System.Collections.Generic.List<int> _items = new();
            void M() { Rw.EnterWriteLock(); try { _items.Add(2); } finally { Rw.ExitWriteLock(); } }
        }
        """);

    [TestMethod]
    public Task NotOfferedWhenTheReadHoldComesFromTheContract() => Verify.VerifyNoFixAsync(
        Head + """
            [Requires("Lock:read")] void M() { {|XL0003:_data|} = 1; }
        }
        """);

    [TestMethod]
    public Task NotOfferedWhenTwoReadAcquisitionsMakeItAmbiguous() => Verify.VerifyNoFixAsync(
        Head + """
            void M(bool b)
            {
                if (b) { Lock.LockRead(); } else { Lock.LockRead(); }
                {|XL0003:_data|} = 1;
                Lock.UnlockRead();
            }
        }
        """);
}
