using Microsoft.VisualStudio.TestTools.UnitTesting;
using XeLocked.CodeFixes.Fixes;
using Verify = XeLocked.Analyzers.Tests.CodeFixes.CodeFixVerifier<XeLocked.Analyzers.Rules.HeldLocksAnalyzer, XeLocked.CodeFixes.Fixes.ScopeAcquisitionCodeFixProvider>;

namespace XeLocked.Analyzers.Tests.CodeFixes;

[TestClass]
public sealed class ScopeAcquisitionCodeFixTests
{
    private const string Model = """
        class Range { public readonly Mutex Lock = new(); }

        """;

    private const string EarlyReturn = """
        class C
        {
            int M(Range r, bool b)
            {
                {|XL0008:r.Lock.Lock()|};
                if (b) return 1;
                r.Lock.Unlock();
                return 0;
            }
        }
        """;

    [TestMethod]
    public Task EarlyReturnReleasesInFinally() => Verify.VerifyAsync(
        Model + EarlyReturn,
        Model + """
        class C
        {
            int M(Range r, bool b)
            {
                r.Lock.Lock();
                try
                {
                    if (b) return 1;
                }
                finally
                {
                    r.Lock.Unlock();
                }
                return 0;
            }
        }
        """,
        ScopeAcquisitionCodeFixProvider.FinallyKey);

    [TestMethod]
    public Task EarlyReturnUsesTheScopedGuard() => Verify.VerifyAsync(
        Model + EarlyReturn,
        Model + """
        class C
        {
            int M(Range r, bool b)
            {
                using (r.Lock.Guard())
                {
                    if (b) return 1;
                }
                return 0;
            }
        }
        """,
        ScopeAcquisitionCodeFixProvider.UsingKey);

    [TestMethod]
    public Task ReaderWriterLockSlimReleasesInFinally() => Verify.VerifyAsync(
        """
        class C
        {
            private readonly ReaderWriterLockSlim _rw = new();
            int M(bool b)
            {
                {|XL0008:_rw.EnterWriteLock()|};
                if (b) return 1;
                Console.WriteLine();
                _rw.ExitWriteLock();
                return 0;
            }
        }
        """,
        """
        class C
        {
            private readonly ReaderWriterLockSlim _rw = new();
            int M(bool b)
            {
                _rw.EnterWriteLock();
                try
                {
                    if (b) return 1;
                    Console.WriteLine();
                }
                finally
                {
                    _rw.ExitWriteLock();
                }
                return 0;
            }
        }
        """,
        ScopeAcquisitionCodeFixProvider.FinallyKey);

    [TestMethod]
    public Task MonitorEnterExitBecomesALockStatement() => Verify.VerifyAsync(
        """
        class C
        {
            private readonly object _sync = new();
            void M(int[] items)
            {
                {|XL0008:Monitor.Enter(_sync)|};
                foreach (var i in items)
                {
                    if (i < 0) return;
                }
                Monitor.Exit(_sync);
            }
        }
        """,
        """
        class C
        {
            private readonly object _sync = new();
            void M(int[] items)
            {
                lock (_sync)
                {
                    foreach (var i in items)
                    {
                        if (i < 0) return;
                    }
                }
            }
        }
        """,
        ScopeAcquisitionCodeFixProvider.UsingKey);

    [TestMethod]
    public Task GuardInAPlainLocalGetsUsing() => Verify.VerifyAsync(
        Model + """
        class C
        {
            void M(Range r)
            {
                var g = {|XL0008:r.Lock.Guard()|};
                Console.WriteLine();
            }
        }
        """,
        Model + """
        class C
        {
            void M(Range r)
            {
                using var g = r.Lock.Guard();
                Console.WriteLine();
            }
        }
        """,
        ScopeAcquisitionCodeFixProvider.UsingKey);

    [TestMethod]
    public Task FixAllScopesEveryLeakInnermostFirst() => Verify.VerifyAsync(
        Model + """
        class C
        {
            int M(Range a, Range b, bool q)
            {
                {|XL0008:a.Lock.Lock()|};
                {|XL0008:b.Lock.Lock()|};
                if (q) return 1;
                b.Lock.Unlock();
                a.Lock.Unlock();
                return 0;
            }

            void N(Range r, bool q)
            {
                {|XL0008:r.Lock.Lock()|};
                if (q) return;
                r.Lock.Unlock();
            }
        }
        """,
        Model + """
        class C
        {
            int M(Range a, Range b, bool q)
            {
                a.Lock.Lock();
                try
                {
                    b.Lock.Lock();
                    try
                    {
                        if (q) return 1;
                    }
                    finally
                    {
                        b.Lock.Unlock();
                    }
                }
                finally
                {
                    a.Lock.Unlock();
                }
                return 0;
            }

            void N(Range r, bool q)
            {
                r.Lock.Lock();
                try
                {
                    if (q) return;
                }
                finally
                {
                    r.Lock.Unlock();
                }
            }
        }
        """,
        ScopeAcquisitionCodeFixProvider.FinallyKey);

    [TestMethod]
    public Task NotOfferedWithoutAReleaseInTheSameBlock() => Verify.VerifyNoFixAsync(
        Model + """
        class C
        {
            void M(Range r, bool b)
            {
                if (b) { {|XL0008:r.Lock.Lock()|}; }
                Console.WriteLine();
            }
        }
        """);

    [TestMethod]
    public Task NotOfferedWhenALocalIsUsedAfterTheRelease() => Verify.VerifyNoFixAsync(
        Model + """
        class C
        {
            int M(Range r, bool b)
            {
                {|XL0008:r.Lock.Lock()|};
                var x = 1;
                if (b) return x;
                r.Lock.Unlock();
                return x;
            }
        }
        """);
}
