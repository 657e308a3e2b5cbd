using Microsoft.VisualStudio.TestTools.UnitTesting;
using Verify = XeLocked.Analyzers.Tests.Verifiers.AllRulesVerifier;

namespace XeLocked.Analyzers.Tests.Rules;

/// <summary>
/// The releaser idiom beyond semaphores: a method that acquires a monitor, a <c>Lock</c> or a
/// <c>ReaderWriterLockSlim</c> and returns <c>new T(…)</c> of a releaser type (a disposable whose
/// <c>Dispose</c> releases a lock of that kind and that acquires none) hands the lock to it: no
/// XL0008 there, and no XL0007 in the releaser's <c>Dispose</c>. A disposable that is not a releaser,
/// or one that releases another kind of lock, does not take the lock over.
/// </summary>
[TestClass]
public sealed class ReleaserIdiomTests
{
    [TestMethod]
    public Task MonitorAndReaderWriterScopes_HandedToTheReleaser() => Verify.VerifyAsync("""
        sealed class Table
        {
            private readonly object _sync = new();
            private readonly ReaderWriterLockSlim _rw = new();

            public Scope Enter() { Monitor.Enter(_sync); return new Scope(_sync); }
            public IDisposable Read() { _rw.EnterReadLock(); return new ReadScope(_rw); }
            public IDisposable Write() { _rw.EnterWriteLock(); return new WriteScope(_rw); }

            public void Use()
            {
                using (Enter()) { }
                using (Read()) { }
                using (Write()) { }
            }

            public readonly struct Scope : IDisposable
            {
                private readonly object _o;
                public Scope(object o) { _o = o; }
                public void Dispose() => Monitor.Exit(_o);
            }

            private sealed class ReadScope : IDisposable
            {
                private readonly ReaderWriterLockSlim _l;
                public ReadScope(ReaderWriterLockSlim l) { _l = l; }
                public void Dispose() => _l.ExitReadLock();
            }

            private sealed class WriteScope(ReaderWriterLockSlim l) : IDisposable
            {
                public void Dispose() => l.ExitWriteLock();
            }
        }
        """);

    [TestMethod]
    public Task NotAReleaser_TheLockIsStillLeaked_AndAReleaseWithoutHoldIsStillReported() => Verify.VerifyAsync("""
        sealed class Files
        {
            private readonly object _sync = new();
            private readonly ReaderWriterLockSlim _rw = new();

            // A disposable that releases nothing: the monitor leaks.
            public IDisposable Open() { {|#0:Monitor.Enter(_sync)|}; return new System.IO.MemoryStream(); }

            // A releaser of read locks does not take a monitor over.
            public IDisposable Wrong() { {|#1:Monitor.Enter(_sync)|}; return new ReadScope(_rw); }

            private sealed class ReadScope(ReaderWriterLockSlim l) : IDisposable
            {
                public void Dispose() => l.ExitReadLock();
            }
        }

        // Acquires as well as releases: not a releaser, so its Dispose is checked as any method.
        sealed class Cache : IDisposable
        {
            private readonly object _sync = new();
            public void Touch() { lock (_sync) { } }
            public void Dispose() => {|#2:Monitor.Exit(_sync)|};
        }
        """,
        Verify.Diagnostic("XL0008").WithLocation(0).WithArguments("'this._sync' is still held when 'Open' returns (line 8); release it on every path or declare [Acquires]"),
        Verify.Diagnostic("XL0008").WithLocation(1).WithArguments("'this._sync' is still held when 'Wrong' returns (line 11); release it on every path or declare [Acquires]"),
        Verify.Diagnostic("XL0007").WithLocation(2).WithArguments("'this._sync' is released but is not held"));
}
