using Microsoft.VisualStudio.TestTools.UnitTesting;
using Verify = XeLocked.Analyzers.Tests.Verifiers.FlowVerifier<XeLocked.Analyzers.Rules.AwaitAnalyzer>;

namespace XeLocked.Analyzers.Tests.WholeProgram;

[TestClass]
public sealed class XL0013LockHeldAcrossAwaitTests
{
    private const string Model = """
        using System.Collections.Generic;
        using System.Threading.Tasks;
        class Range { public readonly Mutex Lock = new(); public readonly object Sync = new(); public int Count; }
        class Vm { public readonly RwSem Lock = new(); public readonly ReaderWriterLockSlim Rw = new(); public readonly SemaphoreSlim Sem = new(1, 1); }

        [LockPrimitive(LockKind.Exclusive, AsyncAware = true)]
        public sealed class AsyncMutex
        {
            [Acquires("this")] public Task LockAsync() => Task.CompletedTask;
            [Releases("this")] public void Unlock() { }
        }

        class Store { public readonly AsyncMutex Lock = new(); }
        sealed class Resource : IAsyncDisposable { public ValueTask DisposeAsync() => default; }

        """;

    private const string MonitorMessage = "a Monitor lock is owned by its thread, and the code after the await may run on another one";

    [TestMethod]
    public Task LockStatementAroundAwait_CompilerRejectsIt_AndTheAnalyzerAgrees() => Verify.VerifyBrokenCodeAsync(Model + """
        class C
        {
            async Task M(Range r)
            {
                lock (r.Sync) { {|#0:await Task.Yield()|}; }
            }
        }
        """,
        Verify.Diagnostic("XL0013").WithLocation(0).WithArguments("r.Sync", MonitorMessage));

    [TestMethod]
    public Task MonitorEnterAcrossAwait() => Verify.VerifyAsync(Model + """
        class C
        {
            async Task M(Range r)
            {
                Monitor.Enter(r.Sync);
                {|#0:await Task.Delay(1)|};
                Monitor.Exit(r.Sync);
            }
        }
        """,
        Verify.Diagnostic("XL0013").WithLocation(0).WithArguments("r.Sync", MonitorMessage));

    [TestMethod]
    public Task TrackedMutexGuardAcrossAwait() => Verify.VerifyAsync(Model + """
        class C
        {
            async Task M(Range r)
            {
                using (r.Lock.Guard())
                {
                    r.Count++;
                    {|#0:await Task.Yield()|};
                }
            }
        }
        """,
        Verify.Diagnostic("XL0013").WithLocation(0).WithArguments("r.Lock",
            "'Mutex' is not an async-aware lock ([LockPrimitive(AsyncAware = true)]): holding it while suspended blocks every thread that waits for it"));

    [TestMethod]
    public Task ReaderWriterLockSlimAcrossAwait() => Verify.VerifyAsync(Model + """
        class C
        {
            async Task<int> M(Vm vm)
            {
                vm.Rw.EnterReadLock();
                try { return {|#0:await Task.FromResult(1)|}; }
                finally { vm.Rw.ExitReadLock(); }
            }
        }
        """,
        Verify.Diagnostic("XL0013").WithLocation(0).WithArguments("vm.Rw",
            "a ReaderWriterLockSlim is owned by its thread, and the code after the await may run on another one"));

    [TestMethod]
    public Task AwaitForeachWhileHolding() => Verify.VerifyAsync(Model + """
        class C
        {
            static async IAsyncEnumerable<int> Items() { await Task.Yield(); yield return 1; }

            async Task M(Range r)
            {
                r.Lock.Lock();
                {|#0:await foreach (var i in Items())|} { r.Count += i; }
                r.Lock.Unlock();
            }
        }
        """,
        Verify.Diagnostic("XL0013").WithLocation(0).WithArguments("r.Lock",
            "'Mutex' is not an async-aware lock ([LockPrimitive(AsyncAware = true)]): holding it while suspended blocks every thread that waits for it"));

    [TestMethod]
    public Task AwaitUsingWhileHolding() => Verify.VerifyAsync(Model + """
        class C
        {
            async Task M(Range r)
            {
                r.Lock.Lock();
                {|#0:await using (new Resource())|} { r.Count++; }
                r.Lock.Unlock();
            }
        }
        """,
        Verify.Diagnostic("XL0013").WithLocation(0).WithArguments("r.Lock",
            "'Mutex' is not an async-aware lock ([LockPrimitive(AsyncAware = true)]): holding it while suspended blocks every thread that waits for it"));

    [TestMethod]
    public Task AwaitUsingDeclarationWhileHolding() => Verify.VerifyAsync(Model + """
        class C
        {
            async Task M(Range r)
            {
                using var g = r.Lock.Guard();
                {|#0:await using var res = new Resource();|}
                r.Count++;
            }
        }
        """,
        Verify.Diagnostic("XL0013").WithLocation(0).WithArguments("r.Lock",
            "'Mutex' is not an async-aware lock ([LockPrimitive(AsyncAware = true)]): holding it while suspended blocks every thread that waits for it"));

    [TestMethod]
    public Task RequiredLockHeldAcrossAwait_InAMethod() => Verify.VerifyAsync(Model + """
        class C
        {
            [Requires("r.Lock")]
            async Task M(Range r) { {|#0:await Task.Yield()|}; }
        }
        """,
        Verify.Diagnostic("XL0013").WithLocation(0).WithArguments("r.Lock",
            "'Mutex' is not an async-aware lock ([LockPrimitive(AsyncAware = true)]): holding it while suspended blocks every thread that waits for it"));

    [TestMethod]
    public Task AsyncLambdaThatTakesTheLockItself() => Verify.VerifyAsync(Model + """
        class C
        {
            Func<Task> M(Range r) => async () =>
            {
                r.Lock.Lock();
                {|#0:await Task.Yield()|};
                r.Lock.Unlock();
            };
        }
        """,
        Verify.Diagnostic("XL0013").WithLocation(0).WithArguments("r.Lock",
            "'Mutex' is not an async-aware lock ([LockPrimitive(AsyncAware = true)]): holding it while suspended blocks every thread that waits for it"));

    // ---- correct code ----

    [TestMethod]
    public Task LockReleasedBeforeAwait() => Verify.VerifyAsync(Model + """
        class C
        {
            async Task M(Range r)
            {
                lock (r.Sync) { r.Count++; }
                using (r.Lock.Guard()) { r.Count++; }
                Monitor.Enter(r.Sync);
                Monitor.Exit(r.Sync);
                await Task.Yield();
                r.Lock.Lock();
                r.Lock.Unlock();
            }
        }
        """);

    [TestMethod]
    public Task SemaphoreSlimWaitAsyncAcrossAwait() => Verify.VerifyAsync(Model + """
        class C
        {
            async Task M(Vm vm)
            {
                await vm.Sem.WaitAsync();
                try { await Task.Delay(1); }
                finally { vm.Sem.Release(); }
            }
        }
        """);

    [TestMethod]
    public Task AsyncAwarePrimitiveAcrossAwait() => Verify.VerifyAsync(Model + """
        class C
        {
            async Task M(Store s)
            {
                await s.Lock.LockAsync();
                try { await Task.Delay(1); }
                finally { s.Lock.Unlock(); }
            }
        }
        """);

    [TestMethod]
    public Task AwaitInLambdaCreatedUnderTheLock_LambdaDoesNotHoldIt() => Verify.VerifyAsync(Model + """
        class C
        {
            Func<Task>? _later;
            void M(Range r)
            {
                r.Lock.Lock();
                _later = async () => { await Task.Yield(); };
                r.Lock.Unlock();
            }
        }
        """);

    [TestMethod]
    public Task AwaitInLocalFunctionDeclaredUnderTheLock_DoesNotHoldIt() => Verify.VerifyAsync(Model + """
        class C
        {
            Task M(Range r)
            {
                r.Lock.Lock();
                async Task Later() { await Task.Yield(); }
                r.Lock.Unlock();
                return Later();
            }
        }
        """);

    [TestMethod]
    public Task TryLockFailed_NothingHeldOnThatPath() => Verify.VerifyAsync(Model + """
        class C
        {
            async Task M(Range r)
            {
                if (!r.Lock.TryLock()) { await Task.Yield(); return; }
                r.Count++;
                r.Lock.Unlock();
                await Task.Yield();
            }
        }
        """);

    [TestMethod]
    public Task AwaitForeachAndAwaitUsingAfterTheRelease() => Verify.VerifyAsync(Model + """
        class C
        {
            static async IAsyncEnumerable<int> Items() { await Task.Yield(); yield return 1; }

            async Task M(Range r)
            {
                var n = 0;
                using (r.Lock.Guard()) { n = r.Count; }
                await foreach (var i in Items()) { n += i; }
                await using (new Resource()) { n++; }
            }
        }
        """);

    [TestMethod]
    public Task AsyncLambdaReleasesItsLockBeforeAwaiting() => Verify.VerifyAsync(Model + """
        class C
        {
            Func<Task> M(Range r) => async () =>
            {
                using (r.Lock.Guard()) { r.Count++; }
                await Task.Yield();
            };
        }
        """);

    [TestMethod]
    public Task BodyOfALockPrimitive_ImplementsTheLock() => Verify.VerifyAsync(Model + """
        [LockPrimitive(LockKind.Exclusive)]
        public sealed class Gate
        {
            private readonly SemaphoreSlim _s = new(1, 1);
            [Acquires("this")] public Task EnterAsync() => _s.WaitAsync();
            [Releases("this")] public async Task ExitAfterFlushAsync() { await Task.Yield(); _s.Release(); }
        }
        """);

    [TestMethod]
    public Task LockTakenAndReleasedBetweenAwaits() => Verify.VerifyAsync(Model + """
        class C
        {
            async Task M(Vm vm)
            {
                await Task.Yield();
                vm.Lock.LockWrite();
                vm.Lock.UnlockWrite();
                await Task.Yield();
            }
        }
        """);
    // ---- try-acquisitions: held across the await only where the attempt succeeded ----

    [TestMethod]
    public Task TryLockSucceeded_AwaitInsideIsReported() => Verify.VerifyAsync(Model + """
        class C
        {
            async Task M(Range r, Vm vm)
            {
                if (Monitor.TryEnter(r.Sync))
                {
                    try { {|#0:await Task.Yield()|}; } finally { Monitor.Exit(r.Sync); }
                }
                if (vm.Rw.TryEnterReadLock(10))
                {
                    try { {|#1:await Task.Yield()|}; } finally { vm.Rw.ExitReadLock(); }
                }
                var taken = false;
                Monitor.TryEnter(r.Sync, 10, ref taken);
                if (taken)
                {
                    {|#2:await Task.Yield()|};
                    Monitor.Exit(r.Sync);
                }
            }
        }
        """,
        Verify.Diagnostic("XL0013").WithLocation(0).WithArguments("r.Sync", MonitorMessage),
        Verify.Diagnostic("XL0013").WithLocation(1).WithArguments("vm.Rw", "a ReaderWriterLockSlim is owned by its thread, and the code after the await may run on another one"),
        Verify.Diagnostic("XL0013").WithLocation(2).WithArguments("r.Sync", MonitorMessage));

    [TestMethod]
    public Task TryLockFailed_AwaitOnTheFailurePathIsFine() => Verify.VerifyAsync(Model + """
        class C
        {
            async Task M(Range r)
            {
                if (!r.Lock.TryLock())
                {
                    await Task.Yield();
                    return;
                }
                r.Count++;
                r.Lock.Unlock();
                await Task.Yield();
            }

            async Task N(Range r)
            {
                var ok = r.Lock.TryLock();
                if (ok) { r.Count++; r.Lock.Unlock(); }
                await Task.Yield();
            }
        }
        """);

    [TestMethod]
    public Task TryLockGuardAcrossAwait() => Verify.VerifyAsync(Model + """
        class C
        {
            async Task M(Range r)
            {
                if (r.Lock.TryLock())
                {
                    {|#0:await Task.Delay(1)|};
                    r.Lock.Unlock();
                }
            }
        }
        """,
        Verify.Diagnostic("XL0013").WithLocation(0).WithArguments("r.Lock",
            "'Mutex' is not an async-aware lock ([LockPrimitive(AsyncAware = true)]): holding it while suspended blocks every thread that waits for it"));
}
