using XeLocked.Xe;

namespace XeLocked.Sim.Scenarios;

/// <summary>
/// Draws GPU faults from a seeded mix: SVM faults (read, write, atomic) skewed towards a hot set
/// of ranges, BO and userptr faults, hardware prefetch faults, and — in the stress mix — faults
/// nobody can service (no VMA, NACK, unknown ASID, a write to a read-only BO).
/// </summary>
internal sealed class FaultMix(int seed, int gts, bool hostile)
{
    private readonly Random _rng = new(seed);

    /// <summary>The next fault for <paramref name="process"/>.</summary>
    public PageFaultRequest Next(SimProcess process)
    {
        var vm = process.Vm;
        var gt = _rng.Next(gts);
        var roll = _rng.Next(100);
        var access = _rng.Next(20) switch
        {
            0 => AccessType.Atomic,
            < 8 => AccessType.Write,
            _ => AccessType.Read,
        };
        if (roll < 55)
        {
            return new PageFaultRequest(vm.Asid, SvmAddress(), access, gt);
        }

        if (roll < 75)
        {
            var bo = (ulong)_rng.Next(SimProcess.BoCount);
            var a = bo == SimProcess.BoCount - 1 && !hostile ? AccessType.Read : access; // the last BO is read-only
            return new PageFaultRequest(vm.Asid, Layout.BoBase + bo * Layout.Range2M + Page((int)(Layout.Range2M / 4096)), a, gt);
        }

        if (roll < 87)
        {
            return new PageFaultRequest(vm.Asid, Layout.UserptrBase + Page((int)(SimProcess.UserptrSize / 4096)), access, gt);
        }

        if (roll < 93)
        {
            return new PageFaultRequest(vm.Asid, SvmAddress(), AccessType.Read, gt) { HardwarePrefetch = true };
        }

        if (!hostile)
        {
            return new PageFaultRequest(vm.Asid, SvmAddress(), access, gt);
        }

        return _rng.Next(3) switch
        {
            0 => new PageFaultRequest(vm.Asid, Layout.Unmapped + Page(1024), access, gt),
            1 => new PageFaultRequest(vm.Asid, SvmAddress(), access, gt) { Nack = true },
            _ => new PageFaultRequest(0xdead, SvmAddress(), access, gt),
        };
    }

    /// <summary>A random 2 MiB SVM range index, skewed: half the draws hit the 4 hottest ranges.</summary>
    public int SvmRange() => _rng.Next(2) == 0 ? _rng.Next(4) : _rng.Next(SimProcess.SvmRanges);

    /// <summary>A process index.</summary>
    public int Process(int count) => _rng.Next(count);

    private ulong SvmAddress() => Layout.SvmBase + (ulong)SvmRange() * Layout.Range2M + Page((int)(Layout.Range2M / 4096));

    private ulong Page(int pages) => (ulong)_rng.Next(pages) * 4096;
}
