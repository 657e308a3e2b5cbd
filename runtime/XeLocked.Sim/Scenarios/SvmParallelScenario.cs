using XeLocked.Sim.Output;
using XeLocked.Xe;

namespace XeLocked.Sim.Scenarios;

/// <summary>
/// The bench workload "one VM, N workers, migration-bound SVM faults on distinct ranges": one SVM
/// VMA; every fault is on its own 2 MiB range, so every service migrates 2 MiB to VRAM. Under fine
/// locking the workers migrate in parallel (read-mode <c>Vm.Lock</c>, per-range locks); under coarse
/// locking the VM's faults share one ASID-hashed queue and <c>Vm.Lock</c> in write mode, so they
/// serialize. Faults are submitted in a seeded random order.
/// </summary>
internal sealed class SvmParallelScenario(ModelSettings settings) : IScenario
{
    private ModelRun? _run;

    /// <inheritdoc/>
    public string Label => $"svm-parallel ({settings.Locking}, {settings.Workers} workers)";

    /// <inheritdoc/>
    public ProgressSample Sample() => _run?.Sample() ?? new ProgressSample(0, settings.Faults, 0, 0, 0);

    /// <inheritdoc/>
    public RunReport Run(CancellationToken cancellationToken)
    {
        using var run = new ModelRun(ModelFactory.Options(settings), settings.Faults);
        _run = run;
        var xe = run.Device;
        var vm = xe.CreateVm();
        var size = (ulong)settings.Faults * Layout.Range2M;
        var err = xe.MapSvm(vm, Layout.SvmBase, size);
        if (err != 0)
        {
            run.Fail($"MapSvm failed: {Errno.Name(err)}");
        }

        var order = Enumerable.Range(0, (int)settings.Faults).ToArray();
        new Random(settings.Seed).Shuffle(order);
        run.Start();
        foreach (var i in order)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                break;
            }

            // Mid-range address, so the fault's 2 MiB range is exactly range i.
            var s = run.Submit(new PageFaultRequest(vm.Asid, Layout.SvmBase + (ulong)i * Layout.Range2M + Layout.MiB, AccessType.Write));
            if (!s.Accepted)
            {
                run.Fail($"fault {i} rejected: {Errno.Name(s.Error)}");
                break;
            }
        }

        return run.Finish("svm-parallel", settings, null, TimeSpan.FromMinutes(2), new[] { vm });
    }
}
