using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using XeLocked.Locking;

namespace XeLocked.Benchmarks;

/// <summary>
/// Async locks, uncontended: one acquire + release through <c>await</c>, against
/// <c>SemaphoreSlim.WaitAsync</c> + <c>Release</c> (what async code uses today) and Nito.AsyncEx's
/// <c>AsyncLock</c>. Targets: <c>TrackedAsyncMutex</c> ≤ 1.0× the semaphore with the tracker off,
/// ≤ 3× with it on. Each invocation runs <see cref="Ops"/> acquisitions so that the benchmark's
/// own async method costs little per operation.
/// </summary>
[Config(typeof(AsyncLockBenchmarks.BothTrackers))]
public class AsyncLockBenchmarks
{
    /// <summary>Acquisitions per invocation.</summary>
    public const int Ops = 100;

    private readonly SemaphoreSlim _semaphore = new(1, 1);
    private readonly TrackedAsyncMutex _mutex = new("Bench.AsyncMutex");
    private readonly TrackedAsyncRwLock _rw = new("Bench.AsyncRw");
    private readonly Nito.AsyncEx.AsyncLock _nito = new();
    private AsyncFlowScope? _flow;

    /// <summary>The tracker off and on, one short job each; ratios are per job.</summary>
    public sealed class BothTrackers : ManualConfig
    {
        public BothTrackers()
        {
            AddJob(BenchConfigs.Tracker(false));
            AddJob(BenchConfigs.Tracker(true));
            AddDiagnoser(MemoryDiagnoser.Default);
        }
    }

    [GlobalSetup]
    public void BeginFlow() => _flow = Lockdep.BeginAsyncFlow("bench");

    [GlobalCleanup]
    public void EndFlow() => _flow?.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = Ops, Description = "SemaphoreSlim.WaitAsync+Release")]
    public async Task Semaphore()
    {
        for (var i = 0; i < Ops; i++)
        {
            await _semaphore.WaitAsync();
            _semaphore.Release();
        }
    }

    [Benchmark(OperationsPerInvoke = Ops, Description = "TrackedAsyncMutex.LockAsync+DisposeAsync")]
    public async Task AsyncMutex()
    {
        for (var i = 0; i < Ops; i++)
        {
            await using (await _mutex.LockAsync())
            {
            }
        }
    }

    [Benchmark(OperationsPerInvoke = Ops, Description = "TrackedAsyncRwLock.ReadLockAsync+DisposeAsync")]
    public async Task AsyncRwRead()
    {
        for (var i = 0; i < Ops; i++)
        {
            await using (await _rw.ReadLockAsync())
            {
            }
        }
    }

    [Benchmark(OperationsPerInvoke = Ops, Description = "TrackedAsyncRwLock.WriteLockAsync+DisposeAsync")]
    public async Task AsyncRwWrite()
    {
        for (var i = 0; i < Ops; i++)
        {
            await using (await _rw.WriteLockAsync())
            {
            }
        }
    }

    [Benchmark(OperationsPerInvoke = Ops, Description = "Nito AsyncLock.LockAsync+Dispose")]
    public async Task Nito()
    {
        for (var i = 0; i < Ops; i++)
        {
            using (await _nito.LockAsync())
            {
            }
        }
    }
}

/// <summary>
/// Async locks, contended: <see cref="Flows"/> concurrent flows each take the lock
/// <see cref="PerFlow"/> times around a short critical section that yields every 8th time (so
/// waiters queue); throughput per acquisition against <c>SemaphoreSlim</c> and Nito.AsyncEx's
/// <c>AsyncLock</c>. Tracker off.
/// </summary>
[Config(typeof(BenchConfigs.Off))]
public class AsyncLockContendedBenchmarks
{
    private const int Flows = 8;
    private const int PerFlow = 500;

    private readonly SemaphoreSlim _semaphore = new(1, 1);
    private readonly TrackedAsyncMutex _mutex = new("Bench.ContendedAsyncMutex");
    private readonly Nito.AsyncEx.AsyncLock _nito = new();
    private long _counter;

    [Benchmark(Baseline = true, OperationsPerInvoke = Flows * PerFlow, Description = "SemaphoreSlim, 8 flows")]
    public Task Semaphore() => Run(async i =>
    {
        await _semaphore.WaitAsync();
        try
        {
            await Critical(i);
        }
        finally
        {
            _semaphore.Release();
        }
    });

    [Benchmark(OperationsPerInvoke = Flows * PerFlow, Description = "TrackedAsyncMutex, 8 flows")]
    public Task AsyncMutex() => Run(async i =>
    {
        await using (await _mutex.LockAsync())
        {
            await Critical(i);
        }
    });

    [Benchmark(OperationsPerInvoke = Flows * PerFlow, Description = "Nito AsyncLock, 8 flows")]
    public Task Nito() => Run(async i =>
    {
        using (await _nito.LockAsync())
        {
            await Critical(i);
        }
    });

    private async ValueTask Critical(int i)
    {
        _counter++;
        if ((i & 7) == 0)
        {
            await Task.Yield();
        }
    }

    private static Task Run(Func<int, Task> step) => Task.WhenAll(Enumerable.Range(0, Flows).Select(_ => Task.Run(async () =>
    {
        for (var i = 0; i < PerFlow; i++)
        {
            await step(i);
        }
    })));
}
