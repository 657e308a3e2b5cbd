using Microsoft.VisualStudio.TestTools.UnitTesting;
using Verify = XeLocked.Analyzers.Tests.Verifiers.AllRulesVerifier;

namespace XeLocked.Analyzers.Tests.Rules;

/// <summary>
/// <c>SemaphoreSlim</c> used as a lock, checked by every rule at once: which semaphores are locks
/// (binary by their initializer or a constructor assignment, or named by an annotation), the
/// acquiring and try-acquiring forms (awaited, through <c>ConfigureAwait</c>, through a task
/// variable), <c>[GuardedBy]</c>, the acquire/release rules, contracts, and no XL0013.
/// </summary>
[TestClass]
public sealed class SemaphoreSlimLockTests
{
    private const string NotHeld = "'this._gate' is not held";

    [TestMethod]
    public Task GuardedBy_SatisfiedInsideTheAwaitedPattern_XL0002Outside() => Verify.VerifyAsync("""
        using System.Threading.Tasks;
        class Cache
        {
            private readonly SemaphoreSlim _gate = new SemaphoreSlim(1, 1);
            [GuardedBy("_gate")] private int _count;

            public async Task AddAsync()
            {
                await _gate.WaitAsync();
                try { _count++; await Task.Delay(1); _count++; }
                finally { _gate.Release(); }
            }

            public void AddBlocking()
            {
                _gate.Wait();
                try { _count++; }
                finally { _gate.Release(); }
            }

            public async Task AddCancellableAsync(CancellationToken ct)
            {
                await _gate.WaitAsync(ct).ConfigureAwait(false);
                try { _count++; }
                finally { _gate.Release(); }
            }

            public void AddBlockingCancellable(CancellationToken ct)
            {
                _gate.Wait(ct);
                try { _count++; }
                finally { _gate.Release(1); }
            }

            public int Peek() => {|#0:_count|};

            public async Task AfterReleaseAsync()
            {
                await _gate.WaitAsync();
                _gate.Release();
                {|#1:_count|} = 0;
            }
        }
        """,
        Verify.Diagnostic("XL0002").WithLocation(0).WithArguments("Reading", "_count", "_gate", NotHeld),
        Verify.Diagnostic("XL0002").WithLocation(1).WithArguments("Writing", "_count", "_gate", NotHeld));

    [TestMethod]
    public Task TryForms_HeldWhereTheAwaitedBooleanIsTrue() => Verify.VerifyAsync("""
        using System.Threading.Tasks;
        class Cache
        {
            private readonly SemaphoreSlim _gate = new(1, 1);
            [GuardedBy("_gate")] private int _count;

            public async Task<bool> TryAddAsync()
            {
                if (await _gate.WaitAsync(100))
                {
                    try { _count++; } finally { _gate.Release(); }
                    return true;
                }

                return false;
            }

            public async Task AddOrGiveUpAsync(CancellationToken ct)
            {
                if (!await _gate.WaitAsync(TimeSpan.FromSeconds(1), ct).ConfigureAwait(false)) return;
                try { _count++; } finally { _gate.Release(); }
            }

            public async Task ThroughAVariableAsync()
            {
                bool entered = await _gate.WaitAsync(10, CancellationToken.None);
                if (entered)
                {
                    try { _count++; } finally { _gate.Release(); }
                }
            }

            public void Blocking()
            {
                if (_gate.Wait(50)) { try { _count++; } finally { _gate.Release(); } }
            }

            public async Task FailedSideAsync()
            {
                if (!await _gate.WaitAsync(100))
                {
                    {|#0:_count|} = -1;
                    return;
                }

                _count = 1;
                _gate.Release();
            }

            public async Task ResultIgnoredAsync()
            {
                await _gate.WaitAsync(100);
                try { {|#1:_count|} = 2; } finally { {|#2:_gate.Release()|}; }
            }
        }
        """,
        Verify.Diagnostic("XL0002").WithLocation(0).WithArguments("Writing", "_count", "_gate", NotHeld),
        Verify.Diagnostic("XL0002").WithLocation(1).WithArguments("Writing", "_count", "_gate", NotHeld),
        Verify.Diagnostic("XL0007").WithLocation(2).WithArguments("'this._gate' is released but is not held"));

    [TestMethod]
    public Task WaitAsyncNotAwaitedAtTheCall_AcquiredFromTheCall() => Verify.VerifyAsync("""
        using System.Threading.Tasks;
        class Cache
        {
            private readonly SemaphoreSlim _gate = new(1, 1);
            [GuardedBy("_gate")] private int _count;

            public async Task AddAsync()
            {
                var pending = _gate.WaitAsync();
                await pending;
                try { _count++; } finally { _gate.Release(); }
            }

            public async Task TryAddAsync()
            {
                Task<bool> pending = _gate.WaitAsync(100);
                if (await pending.ConfigureAwait(false))
                {
                    try { _count++; } finally { _gate.Release(); }
                }
                else
                {
                    {|#0:_count|} = 0;
                }
            }
        }
        """,
        Verify.Diagnostic("XL0002").WithLocation(0).WithArguments("Writing", "_count", "_gate", NotHeld));

    [TestMethod]
    public Task DoubleWait_ReleaseWithoutWait_LeakedAtExit() => Verify.VerifyAsync("""
        using System.Threading.Tasks;
        class Cache
        {
            private readonly SemaphoreSlim _gate = new SemaphoreSlim(1);

            public async Task TwiceAsync()
            {
                await _gate.WaitAsync();
                await {|#0:_gate.WaitAsync()|};
                _gate.Release();
                _gate.Release();
            }

            public void ReleaseOnly() => {|#1:_gate.Release()|};

            public async Task LeakAsync()
            {
                await {|#2:_gate.WaitAsync()|}.ConfigureAwait(false);
            }
        }
        """,
        Verify.Diagnostic("XL0006").WithLocation(0).WithArguments("'this._gate' is acquired while already held (acquired at line 9)"),
        Verify.Diagnostic("XL0007").WithLocation(1).WithArguments("'this._gate' is released but is not held"),
        Verify.Diagnostic("XL0008").WithLocation(2).WithArguments("'this._gate' is still held when 'LeakAsync' returns (line 19); release it on every path or declare [Acquires]"));

    [TestMethod]
    public Task ContractsOnAsyncMethods_AcquiresReleasesRequires() => Verify.VerifyAsync("""
        using System.Threading.Tasks;
        class Cache
        {
            private readonly SemaphoreSlim _gate = new(1, 1);
            [GuardedBy("_gate")] private int _count;

            [Acquires("_gate")] private async Task EnterAsync() => await _gate.WaitAsync().ConfigureAwait(false);

            [Releases("_gate")] private void Exit() => _gate.Release();

            [Requires("_gate")] private async Task BumpAsync() { _count++; await Task.Yield(); _count++; }

            public async Task UseAsync()
            {
                await EnterAsync();
                try { _count++; await BumpAsync(); } finally { Exit(); }
            }

            public async Task UnlockedAsync() => await {|#0:BumpAsync()|};
        }
        """,
        Verify.Diagnostic("XL0004").WithLocation(0).WithArguments("BumpAsync", "_gate", NotHeld));

    [TestMethod]
    public Task CountingAndSignalSemaphores_AreNotLocks() => Verify.VerifyAsync("""
        using System.Threading.Tasks;
        class Pool
        {
            private readonly SemaphoreSlim _slots = new SemaphoreSlim(4);
            private readonly SemaphoreSlim _signal = new SemaphoreSlim(0);
            private readonly SemaphoreSlim _bounded = new(1, 8);
            private readonly SemaphoreSlim _fromCtor;
            private readonly SemaphoreSlim _given;
            private static readonly SemaphoreSlim s_throttle = new(Environment.ProcessorCount);

            public Pool(int width, SemaphoreSlim given) { _fromCtor = new SemaphoreSlim(width, width); _given = given; }

            public async Task TwoSlotsAsync()
            {
                await _slots.WaitAsync();
                await _slots.WaitAsync();
                _slots.Release(2);
            }

            public void Signal() => _signal.Release();

            public async Task WaitForSignalAsync() => await _signal.WaitAsync();

            public async Task OthersAsync()
            {
                await _bounded.WaitAsync();
                await _fromCtor.WaitAsync();
                _given.Wait();
                await s_throttle.WaitAsync();
                await s_throttle.WaitAsync();
            }

            public async Task LocalAsync()
            {
                var local = new SemaphoreSlim(1, 1);
                await local.WaitAsync();
            }

            public async Task ParameterAsync(SemaphoreSlim gate)
            {
                await gate.WaitAsync();
                await gate.WaitAsync();
            }
        }
        """);

    [TestMethod]
    public Task BinaryByConstructorAssignmentOrNamedArguments_AreLocks() => Verify.VerifyAsync("""
        using System.Threading.Tasks;
        class Ctor
        {
            private readonly SemaphoreSlim _gate;
            private readonly SemaphoreSlim _named = new SemaphoreSlim(initialCount: 1, maxCount: 1);
            private SemaphoreSlim? _reset;

            public Ctor() { this._gate = new SemaphoreSlim(1, 1); _reset = new(1); }

            public void Dispose() { _reset = null; }

            public void Leak() { {|#0:_gate.Wait()|}; }

            public void Twice() { _named.Wait(); {|#1:_named.Wait()|}; _named.Release(); _named.Release(); }

            public async Task LeakResetAsync() { await {|#2:_reset!.WaitAsync()|}; }
        }
        """,
        Verify.Diagnostic("XL0008").WithLocation(0).WithArguments("'this._gate' is still held when 'Leak' returns (line 13); release it on every path or declare [Acquires]"),
        Verify.Diagnostic("XL0006").WithLocation(1).WithArguments("'this._named' is acquired while already held (acquired at line 15)"),
        Verify.Diagnostic("XL0008").WithLocation(2).WithArguments("'this._reset' is still held when 'LeakResetAsync' returns (line 17); release it on every path or declare [Acquires]"));

    [TestMethod]
    public Task AnnotationMakesAnySemaphoreALock() => Verify.VerifyAsync("""
        using System.Threading.Tasks;
        class Annotated
        {
            private readonly SemaphoreSlim _gate;
            [GuardedBy("_gate")] private int _n;

            public Annotated(int count) { _gate = new SemaphoreSlim(count); }

            public async Task OkAsync() { await _gate.WaitAsync(); try { _n++; } finally { _gate.Release(); } }

            public void Unlocked() => {|#0:_n|}++;
        }
        class NamedByAContractElsewhere
        {
            public SemaphoreSlim Gate { get; } = new SemaphoreSlim(3);
        }
        class User
        {
            [Requires("h.Gate")] static void Use(NamedByAContractElsewhere h) { }

            static void Leak(NamedByAContractElsewhere h) { {|#1:h.Gate.Wait()|}; Use(h); }

            [Acquires("gate")] static async Task TakeAsync(SemaphoreSlim gate) { await gate.WaitAsync(); }

            [Acquires("gate")] static async Task TakeTwiceAsync(SemaphoreSlim gate) { await gate.WaitAsync(); await {|#2:gate.WaitAsync()|}; gate.Release(); }
        }
        """,
        Verify.Diagnostic("XL0002").WithLocation(0).WithArguments("Writing", "_n", "_gate", NotHeld),
        Verify.Diagnostic("XL0008").WithLocation(1).WithArguments("'h.Gate' is still held when 'Leak' returns (line 22); release it on every path or declare [Acquires]"),
        Verify.Diagnostic("XL0006").WithLocation(2).WithArguments("'gate' is acquired while already held (acquired at line 26)"));

    [TestMethod]
    public Task TryInsideTry_ReleasedWhereTheFlagSaysSo() => Verify.VerifyAsync("""
        using System.Threading.Tasks;
        class Cache
        {
            private readonly SemaphoreSlim _gate = new(1, 1);
            [GuardedBy("_gate")] private int _count;

            public async Task AddAsync(TimeSpan timeout)
            {
                var acquired = false;
                try
                {
                    acquired = await _gate.WaitAsync(timeout).ConfigureAwait(false);
                    if (!acquired) throw new TimeoutException();
                    _count++;
                }
                finally
                {
                    if (acquired) _gate.Release();
                }
            }

            public void Add(int timeout)
            {
                bool acquired = false;
                try
                {
                    acquired = _gate.Wait(timeout);
                    if (acquired) _count++;
                }
                finally
                {
                    if (acquired) _gate.Release();
                }
            }
        }
        """);

    [TestMethod]
    public Task AsyncLockWithAScopedReleaser_AndAsyncTryAcquires() => Verify.VerifyAsync("""
        using System.Threading.Tasks;
        sealed class AsyncLock
        {
            internal readonly SemaphoreSlim Gate = new(1, 1);

            [Acquires("Gate")] public async Task<Releaser> LockAsync()
            {
                await Gate.WaitAsync().ConfigureAwait(false);
                return new Releaser(this);
            }

            [TryAcquires(true, "Gate")] public async ValueTask<bool> TryLockAsync() => await Gate.WaitAsync(0);
        }

        [ScopedLock]
        readonly struct Releaser : IDisposable
        {
            private readonly AsyncLock _owner;
            public Releaser(AsyncLock owner) => _owner = owner;
            public void Dispose() => _owner.Gate.Release();
        }

        class Cache
        {
            private readonly AsyncLock _lock = new();
            [GuardedBy("_lock.Gate")] private int _count;

            public async Task AddAsync()
            {
                using (await _lock.LockAsync()) { _count++; }
                {|#0:_count|} = 0;
            }

            public async Task AddToEndAsync()
            {
                using var held = await _lock.LockAsync().ConfigureAwait(false);
                _count++;
            }

            public async Task TryAddAsync()
            {
                if (await _lock.TryLockAsync())
                {
                    _count++;
                    _lock.Gate.Release();
                }
            }
        }
        """,
        Verify.Diagnostic("XL0002").WithLocation(0).WithArguments("Writing", "_count", "_lock.Gate", "'this._lock.Gate' is not held"));

    [TestMethod]
    public Task CommonShapes_Loops_Catch_Lambdas_RetryUntilAcquired() => Verify.VerifyAsync("""
        using System.Threading.Tasks;
        class Cache
        {
            private readonly SemaphoreSlim _gate = new(1, 1);
            [GuardedBy("_gate")] private int _count;

            public async Task RetryAsync()
            {
                while (!await _gate.WaitAsync(100).ConfigureAwait(false))
                {
                    Console.WriteLine("waiting");
                }

                try { _count++; } finally { _gate.Release(); }
            }

            public void RetrySync()
            {
                while (!_gate.Wait(100))
                {
                    Console.WriteLine("waiting");
                }

                try { _count++; } finally { _gate.Release(); }
            }

            public void RetryMonitor(object o)
            {
                while (!Monitor.TryEnter(o, 100))
                {
                    Console.WriteLine("waiting");
                }
                Monitor.Exit(o);
            }

            // The double-checked read outside the semaphore is a real race: reported.
            public async Task<int> LazyAsync()
            {
                if ({|#0:_count|} != 0) return 1;
                await _gate.WaitAsync();
                try
                {
                    if (_count == 0) _count = await Task.FromResult(5);
                    return _count;
                }
                finally { _gate.Release(); }
            }

            public async Task CatchAsync()
            {
                await _gate.WaitAsync();
                try { _count = await Task.FromResult(1); }
                catch { _gate.Release(); throw; }
                _gate.Release();
            }

            public async Task LoopBodyAsync(int[] items)
            {
                foreach (var i in items)
                {
                    await _gate.WaitAsync();
                    try { _count += i; } finally { _gate.Release(); }
                }
            }

            public async Task TaskRunAsync()
            {
                await Task.Run(async () =>
                {
                    await _gate.WaitAsync();
                    try { _count++; } finally { _gate.Release(); }
                });
            }

            public async Task WhenAllAsync()
            {
                await Task.WhenAll(System.Linq.Enumerable.Select(System.Linq.Enumerable.Range(0, 3), async i =>
                {
                    await _gate.WaitAsync().ConfigureAwait(false);
                    try { _count += i; } finally { _gate.Release(); }
                }));
            }
        }
        """,
        Verify.Diagnostic("XL0002").WithLocation(0).WithArguments("Reading", "_count", "_gate", NotHeld));

    [TestMethod]
    public Task UnannotatedReleasers_HandOverTheSemaphore_NoXL0007NorXL0008() => Verify.VerifyAsync("""
        using System.Threading.Tasks;
        sealed class AsyncLock
        {
            private readonly SemaphoreSlim _semaphore = new SemaphoreSlim(1, 1);
            private readonly object _sync = new();
            private readonly Task<IDisposable> _releaser;

            public AsyncLock() { _releaser = Task.FromResult((IDisposable)new Releaser(this)); }

            public Task<IDisposable> LockAsync()
            {
                var wait = _semaphore.WaitAsync();
                return wait.IsCompleted ? _releaser : wait.ContinueWith((_, state) => (IDisposable)state!, _releaser.Result,
                    CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }

            public async Task<IDisposable> LockSlowAsync(CancellationToken ct)
            {
                await _semaphore.WaitAsync(ct).ConfigureAwait(false);
                return new Releaser(this);
            }

            public IDisposable Lock() { _semaphore.Wait(); return new Releaser(this); }

            public IDisposable LockMonitor() { {|#0:Monitor.Enter(_sync)|}; return new Releaser(this); }

            public Task LeakAsync() => {|#1:_semaphore.WaitAsync()|};

            private sealed class Releaser : IDisposable
            {
                private readonly AsyncLock _toRelease;
                internal Releaser(AsyncLock toRelease) { _toRelease = toRelease; }
                public void Dispose() { _toRelease._semaphore.Release(); }
            }
        }

        static class SemaphoreExtensions
        {
            public static async Task<IDisposable> UseWaitAsync(this SemaphoreSlim semaphore)
            {
                await semaphore.WaitAsync();
                return new ReleaseWrapper(semaphore);
            }

            private sealed class ReleaseWrapper(SemaphoreSlim semaphore) : IDisposable
            {
                public void Dispose() => semaphore.Release();
            }
        }

        class User
        {
            private readonly AsyncLock _lock = new();

            public async Task UseAsync()
            {
                using (await _lock.LockAsync()) { }
                using (_lock.Lock()) { }
            }
        }
        """,
        Verify.Diagnostic("XL0008").WithLocation(0).WithArguments("'this._sync' is still held when 'LockMonitor' returns (line 26); release it on every path or declare [Acquires]"),
        Verify.Diagnostic("XL0008").WithLocation(1).WithArguments("'this._semaphore' is still held when 'LeakAsync' returns (line 28); release it on every path or declare [Acquires]"));
}
