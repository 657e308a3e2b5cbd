using XeLocked.Xe;

namespace XeLocked.Sim.Scenarios;

/// <summary>
/// A user-space process of a scenario: one fault-mode VM with an SVM (CPU-address-mirror) VMA of
/// <see cref="SvmRanges"/> 2 MiB ranges plus a storm area, <see cref="BoCount"/> BO VMAs and a
/// userptr VMA. The stress mix replaces the VM (close, create) while faults race.
/// </summary>
internal sealed class SimProcess
{
    /// <summary>2 MiB ranges of the SVM VMA that faults and CPU operations pick from.</summary>
    public const int SvmRanges = 32;

    /// <summary>2 MiB ranges after those, reserved for fault storms (one fresh range per storm).</summary>
    public const int StormRanges = 16;

    /// <summary>BO VMAs of 2 MiB each.</summary>
    public const int BoCount = 4;

    /// <summary>Size of the userptr VMA.</summary>
    public const ulong UserptrSize = 4 * Layout.MiB;

    /// <summary>Start of the bind/unbind area (BO VMAs that come and go).</summary>
    public const ulong BindArea = Layout.BoBase + 0x1000_0000;

    private Vm _vm;
    private int _stormsUsed;
    private int _replacing;

    private SimProcess(Vm vm) => _vm = vm;

    /// <summary>The process's current VM.</summary>
    public Vm Vm => Volatile.Read(ref _vm);

    /// <summary>Creates a VM with the layout; errors go to <paramref name="fail"/>.</summary>
    public static SimProcess Create(XeDevice xe, Action<string> fail) => new(CreateVm(xe, fail));

    /// <summary>
    /// Closes the current VM and replaces it with a fresh one (VM close racing faults, §3.12). One
    /// replacement per process at a time: a second caller meanwhile does nothing (so no VM is
    /// closed twice or created and lost).
    /// </summary>
    /// <returns>The closed VM, or null when another replacement was in progress.</returns>
    public Vm? Replace(XeDevice xe, Action<string> fail)
    {
        if (Interlocked.Exchange(ref _replacing, 1) == 1)
        {
            return null;
        }

        try
        {
            var old = Vm;
            var err = xe.CloseVm(old);
            if (err != 0)
            {
                fail($"CloseVm({old}) failed: {Errno.Name(err)}");
            }

            Volatile.Write(ref _vm, CreateVm(xe, fail));
            return old;
        }
        finally
        {
            Volatile.Write(ref _replacing, 0);
        }
    }

    /// <summary>The next unused storm address of this process, or null when every storm range is used.</summary>
    public ulong? NextStormAddress()
    {
        var i = Interlocked.Increment(ref _stormsUsed) - 1;
        return i < StormRanges ? Layout.SvmBase + (ulong)(SvmRanges + i) * Layout.Range2M + Layout.MiB : null;
    }

    private static Vm CreateVm(XeDevice xe, Action<string> fail)
    {
        var vm = xe.CreateVm();
        Check(fail, "MapSvm", xe.MapSvm(vm, Layout.SvmBase, (SvmRanges + StormRanges) * Layout.Range2M));
        for (var i = 0; i < BoCount; i++)
        {
            Check(fail, "MapBo", xe.MapBo(vm, Layout.BoBase + (ulong)i * Layout.Range2M, Layout.Range2M, readOnly: i == BoCount - 1));
        }

        Check(fail, "MapUserptr", xe.MapUserptr(vm, Layout.UserptrBase, UserptrSize));
        return vm;
    }

    private static void Check(Action<string> fail, string what, int err)
    {
        if (err != 0)
        {
            fail($"{what} failed: {Errno.Name(err)}");
        }
    }
}
