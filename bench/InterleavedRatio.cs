using System.Diagnostics;
using System.Runtime.CompilerServices;
using XeLocked.Locking;

namespace XeLocked.Benchmarks;

/// <summary>
/// A load-robust A/B measurement for a shared, busy machine, next to the BenchmarkDotNet runs:
/// the baseline and the tracked variant alternate in short rounds (2 ms each), so both see the
/// same interference, and the median of the per-round ratios is reported. Run with the tracker off
/// and on: <c>XELOCKED_LOCKDEP=0 dotnet run -c Release --project bench -- --interleaved</c>.
/// </summary>
public static class InterleavedRatio
{
    private const int OpsPerRound = 100_000;

    public static void Run(int rounds = 600)
    {
        var b = new Pairs();
        Console.WriteLine($"tracker {(Lockdep.Enabled ? "on" : "off")}; {rounds} rounds of {OpsPerRound:N0} operations per variant; median and quartiles of per-round ratios");
        Report("TrackedMutex.Lock+Unlock vs Lock.Enter+Exit", rounds, b.OneLock, b.OneTracked);
        Report("3 nested TrackedMutex vs 3 nested Lock", rounds, b.ThreeLocks, b.ThreeTracked);
        Report("TrackedRwSemaphore read vs ReaderWriterLockSlim read", rounds, b.SlimRead, b.RwRead);
        Report("TrackedRwSemaphore write vs ReaderWriterLockSlim write", rounds, b.SlimWrite, b.RwWrite);
        Report("TrackedAsyncMutex LockAsync+Dispose vs SemaphoreSlim WaitAsync+Release (both complete synchronously; no await)", rounds, b.SemaphoreAsync, b.AsyncMutex);
    }

    private static void Report(string what, int rounds, Action baseline, Action tracked)
    {
        // Warm up past tiered compilation (call counting, then the background Tier1 compile).
        var warm = Stopwatch.StartNew();
        while (warm.ElapsedMilliseconds < 1500)
        {
            baseline();
            tracked();
        }

        var ratios = new List<double>(rounds);
        var baseNs = new List<double>(rounds);
        for (var r = 0; r < rounds; r++)
        {
            var t0 = Time(baseline);
            var t1 = Time(tracked);
            ratios.Add(t1 / t0);
            baseNs.Add(t0);
        }

        ratios.Sort();
        baseNs.Sort();
        Console.WriteLine($"{what}: ratio median {ratios[rounds / 2]:F2} (quartiles {ratios[rounds / 4]:F2}-{ratios[3 * rounds / 4]:F2}); baseline median {baseNs[rounds / 2]:F1} ns/op");
    }

    private static double Time(Action a)
    {
        var sw = Stopwatch.StartNew();
        a();
        return sw.Elapsed.TotalNanoseconds / OpsPerRound;
    }

    private sealed class Pairs
    {
        private readonly Lock _l = new(), _l1 = new(), _l2 = new(), _l3 = new();
        private readonly TrackedMutex _m = new("Interleaved.M");
        private readonly TrackedMutex _m1 = new("Interleaved.A"), _m2 = new("Interleaved.B"), _m3 = new("Interleaved.C");
        private readonly ReaderWriterLockSlim _slim = new(LockRecursionPolicy.NoRecursion);
        private readonly TrackedRwSemaphore _rw = new("Interleaved.Rw");
        private readonly SemaphoreSlim _semaphore = new(1, 1);
        private readonly TrackedAsyncMutex _asyncMutex = new("Interleaved.AsyncMutex");

        [MethodImpl(MethodImplOptions.NoInlining)]
        public void SemaphoreAsync()
        {
            for (var i = 0; i < OpsPerRound; i++)
            {
                _semaphore.WaitAsync().GetAwaiter().GetResult();
                _semaphore.Release();
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        public void AsyncMutex()
        {
            for (var i = 0; i < OpsPerRound; i++)
            {
                _asyncMutex.LockAsync().Result.Dispose();
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        public void SlimRead()
        {
            for (var i = 0; i < OpsPerRound; i++)
            {
                _slim.EnterReadLock();
                _slim.ExitReadLock();
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        public void RwRead()
        {
            for (var i = 0; i < OpsPerRound; i++)
            {
                _rw.LockRead();
                _rw.UnlockRead();
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        public void SlimWrite()
        {
            for (var i = 0; i < OpsPerRound; i++)
            {
                _slim.EnterWriteLock();
                _slim.ExitWriteLock();
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        public void RwWrite()
        {
            for (var i = 0; i < OpsPerRound; i++)
            {
                _rw.LockWrite();
                _rw.UnlockWrite();
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        public void OneLock()
        {
            for (var i = 0; i < OpsPerRound; i++)
            {
                _l.Enter();
                _l.Exit();
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        public void OneTracked()
        {
            for (var i = 0; i < OpsPerRound; i++)
            {
                _m.Lock();
                _m.Unlock();
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        public void ThreeLocks()
        {
            for (var i = 0; i < OpsPerRound; i++)
            {
                _l1.Enter();
                _l2.Enter();
                _l3.Enter();
                _l3.Exit();
                _l2.Exit();
                _l1.Exit();
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        public void ThreeTracked()
        {
            for (var i = 0; i < OpsPerRound; i++)
            {
                _m1.Lock();
                _m2.Lock();
                _m3.Lock();
                _m3.Unlock();
                _m2.Unlock();
                _m1.Unlock();
            }
        }
    }
}
