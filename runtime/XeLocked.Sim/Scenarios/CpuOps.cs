using XeLocked.Xe;

namespace XeLocked.Sim.Scenarios;

/// <summary>
/// The CPU side of a scenario, drawn from a seeded mix: munmap + mmap of an SVM range (notifier
/// UNMAP → garbage collector), CPU invalidations, BO bind/unbind (write mode), prefetch-only binds
/// (read mode, threaded), VRAM eviction, and — in the stress mix — VM close and GT reset.
/// </summary>
internal sealed class CpuOps(XeDevice xe, SimProcess[] processes, int seed, bool hostile, Action<string> fail)
{
    private readonly Random _rng = new(seed);
    private readonly FaultMix _picker = new(seed ^ 0x5eed, 1, hostile);

    /// <summary>Operations run so far, by name.</summary>
    public Dictionary<string, long> Counts { get; } = new();

    /// <summary>Runs one operation.</summary>
    public void RunOne()
    {
        var process = processes[_picker.Process(processes.Length)];
        var vm = process.Vm;
        var range = Layout.SvmBase + (ulong)_picker.SvmRange() * Layout.Range2M;
        var roll = _rng.Next(100);
        string op;
        if (roll < 25)
        {
            op = "munmap+mmap";
            xe.CpuUnmap(vm, range, Layout.Range2M);
            xe.CpuMap(vm, range, Layout.Range2M);
        }
        else if (roll < 40)
        {
            op = "cpu-invalidate";
            xe.CpuInvalidate(vm, range, Layout.Range2M);
        }
        else if (roll < 60)
        {
            op = "bind/unbind";
            var at = SimProcess.BindArea + (ulong)_rng.Next(8) * Layout.Range2M;
            if (xe.MapBo(vm, at, Layout.Range2M) != 0)
            {
                xe.Unmap(vm, at, Layout.Range2M);
            }
        }
        else if (roll < 80)
        {
            op = "prefetch";
            var first = _rng.Next(SimProcess.SvmRanges - 4);
            var err = xe.Prefetch(vm, Layout.SvmBase + (ulong)first * Layout.Range2M, 4 * Layout.Range2M,
                _rng.Next(4) == 0 ? PrefetchTarget.Sram : PrefetchTarget.Vram);
            if (err == -Errno.EDEADLK)
            {
                fail($"prefetch on {vm} deadlocked (the flush watchdog fired: hazard H13)");
            }
        }
        else if (roll < 90 || !hostile)
        {
            op = "evict-vram";
            xe.EvictVram(vm);
        }
        else if (roll < 95)
        {
            op = "gt-reset";
            xe.ResetGt(_rng.Next(xe.Gts.Count));
        }
        else
        {
            op = "vm-close+create";
            process.Replace(xe, fail);
        }

        Counts[op] = Counts.GetValueOrDefault(op) + 1;
    }
}
