using Microsoft.VisualStudio.TestTools.UnitTesting;
using Verify = XeLocked.Analyzers.Tests.Verifiers.FlowVerifier<XeLocked.Analyzers.Rules.IteratorAnalyzer>;

namespace XeLocked.Analyzers.Tests.Rules;

/// <summary>XL0016: an iterator holds a lock that is not async-aware at a <c>yield return</c>.</summary>
[TestClass]
public sealed class XL0016LockHeldAcrossYieldTests
{
    private const string Model = """
        using System.Collections.Generic;
        using System.Threading.Tasks;
        class Range { public readonly Mutex Lock = new(); public readonly object Sync = new(); public readonly ReaderWriterLockSlim Rw = new(); public readonly Lock Gate = new(); public int Count; }

        [LockPrimitive(LockKind.Exclusive, AsyncAware = true)]
        public sealed class AsyncMutex
        {
            [Acquires("this")] public void Lock() { }
            [Releases("this")] public void Unlock() { }
        }

        class Store { public readonly AsyncMutex Lock = new(); }

        """;

    private const string Owned = " is owned by its thread, and the consumer may take the next item (or dispose the iterator) on another one";
    private const string Tracked = "it is not an async-aware lock, and it stays held while the consumer runs its own code between items";

    [TestMethod]
    public Task ThreadOwnedLocksAndTrackedPrimitives() => Verify.VerifyAsync(Model + """
        class C
        {
            IEnumerable<int> A(Range r) { Monitor.Enter(r.Sync); try { {|#0:yield return r.Count;|} } finally { Monitor.Exit(r.Sync); } }
            IEnumerable<int> B(Range r) { using (r.Lock.Guard()) { {|#1:yield return 1;|} } }
            IEnumerable<int> D(Range r) { r.Rw.EnterReadLock(); try { {|#2:yield return 1;|} } finally { r.Rw.ExitReadLock(); } }
            IEnumerable<int> E(Range r) { r.Gate.Enter(); try { {|#3:yield return 1;|} } finally { r.Gate.Exit(); } }
        }
        """,
        Verify.Diagnostic("XL0016").WithLocation(0).WithArguments("r.Sync", "a Monitor lock" + Owned),
        Verify.Diagnostic("XL0016").WithLocation(1).WithArguments("r.Lock", Tracked),
        Verify.Diagnostic("XL0016").WithLocation(2).WithArguments("r.Rw", "a ReaderWriterLockSlim" + Owned),
        Verify.Diagnostic("XL0016").WithLocation(3).WithArguments("r.Gate", "a System.Threading.Lock" + Owned));

    [TestMethod]
    public Task LockStatementAroundYield_TheCompilerAcceptsIt() => Verify.VerifyAsync(Model + """
        class C
        {
            IEnumerable<int> A(Range r) { lock (r.Sync) { {|#0:yield return r.Count;|} } }
        }
        """,
        Verify.Diagnostic("XL0016").WithLocation(0).WithArguments("r.Sync", "a Monitor lock" + Owned));

    [TestMethod]
    public Task TryLockSucceeded_AndAsyncIterators() => Verify.VerifyAsync(Model + """
        class C
        {
            IEnumerable<int> A(Range r)
            {
                if (!r.Lock.TryLock()) { yield return -1; yield break; }
                {|#0:yield return r.Count;|}
                r.Lock.Unlock();
                yield return 0;
            }

            async IAsyncEnumerable<int> B(Range r)
            {
                await Task.Yield();
                r.Lock.Lock();
                {|#1:yield return r.Count;|}
                r.Lock.Unlock();
            }
        }
        """,
        Verify.Diagnostic("XL0016").WithLocation(0).WithArguments("r.Lock", Tracked),
        Verify.Diagnostic("XL0016").WithLocation(1).WithArguments("r.Lock", Tracked));

    // ---- not reported ----

    [TestMethod]
    public Task YieldAfterRelease_AsyncAwareLock_CallersLock_PlainReturn() => Verify.VerifyAsync(Model + """
        class C
        {
            IEnumerable<int> CopyOut(Range r)
            {
                int n;
                using (r.Lock.Guard()) { n = r.Count; }
                yield return n;
                lock (r.Sync) { n++; }
                yield return n;
            }

            IEnumerable<int> AsyncAware(Store s) { s.Lock.Lock(); yield return 1; s.Lock.Unlock(); }

            [Requires("r.Lock")] IEnumerable<int> CallersLock(Range r) { yield return r.Count; }

            int NotAnIterator(Range r) { using (r.Lock.Guard()) { return r.Count; } }
        }
        """);
}
