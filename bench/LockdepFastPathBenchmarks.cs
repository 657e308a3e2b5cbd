using BenchmarkDotNet.Attributes;
using XeLocked.Locking;

namespace XeLocked.Benchmarks;

/// <summary>
/// Tracker on, steady state: three nested classes taken and released in the same order, so every
/// acquisition after the first is a chain-cache hit. Target: ≤ 3× three nested
/// <c>System.Threading.Lock</c>s.
/// </summary>
[Config(typeof(BenchConfigs.On))]
public class LockdepFastPathBenchmarks
{
    private readonly Lock _l1 = new(), _l2 = new(), _l3 = new();
    private TrackedMutex _m1 = null!, _m2 = null!, _m3 = null!;

    [GlobalSetup]
    public void Setup()
    {
        if (!Lockdep.Enabled)
        {
            throw new InvalidOperationException("this benchmark needs XELOCKED_LOCKDEP=1");
        }

        _m1 = new TrackedMutex("Fast.Outer");
        _m2 = new TrackedMutex("Fast.Middle");
        _m3 = new TrackedMutex("Fast.Inner");
        ThreeTrackedMutexes(); // validate the chains once
    }

    [Benchmark(Baseline = true, Description = "3 nested Lock")]
    public void ThreeThreadingLocks()
    {
        _l1.Enter();
        _l2.Enter();
        _l3.Enter();
        _l3.Exit();
        _l2.Exit();
        _l1.Exit();
    }

    [Benchmark(Description = "3 nested TrackedMutex (lockdep on, cache hit)")]
    public void ThreeTrackedMutexes()
    {
        _m1.Lock();
        _m2.Lock();
        _m3.Lock();
        _m3.Unlock();
        _m2.Unlock();
        _m1.Unlock();
    }
}
