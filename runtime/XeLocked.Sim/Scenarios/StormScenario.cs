using XeLocked.Sim.Output;
using XeLocked.Xe;

namespace XeLocked.Sim.Scenarios;

/// <summary>
/// The bench workload "a storm of identical faults" (domain scenario 4): <see cref="Rounds"/>
/// times, <c>settings.Faults</c> faults with the same ASID and address arrive in one burst
/// (<see cref="XeDevice.SubmitFaultBurst"/>) on a fresh 2 MiB range (so the first service migrates). With the storm cache (P08: chaining and
/// the worker-local last-fault window) one service acks them all; without it every fault is
/// serviced on its own, the later ones on the valid fast path after waiting for the range lock.
/// </summary>
internal sealed class StormScenario(ModelSettings settings, bool chaining) : IScenario
{
    /// <summary>Storms per run (each on its own range; the device drains between storms).</summary>
    public const int Rounds = 10;

    private ModelRun? _run;

    /// <inheritdoc/>
    public string Label => $"storm x{settings.Faults} ({(chaining ? "chaining on" : "chaining off")})";

    /// <inheritdoc/>
    public ProgressSample Sample() => _run?.Sample() ?? new ProgressSample(0, settings.Faults * Rounds, 0, 0, 0);

    /// <inheritdoc/>
    public RunReport Run(CancellationToken cancellationToken)
    {
        var options = ModelFactory.Options(settings) with { Chaining = chaining, LastFaultCache = chaining };
        using var run = new ModelRun(options, settings.Faults * Rounds);
        _run = run;
        var xe = run.Device;
        var vm = xe.CreateVm();
        var err = xe.MapSvm(vm, Layout.SvmBase, Rounds * Layout.Range2M);
        if (err != 0)
        {
            run.Fail($"MapSvm failed: {Errno.Name(err)}");
        }

        var rng = new Random(settings.Seed);
        run.Start();
        for (var round = 0; round < Rounds && !cancellationToken.IsCancellationRequested; round++)
        {
            var address = Layout.SvmBase + (ulong)round * Layout.Range2M + (ulong)rng.Next(512) * 4096;
            // One burst: the storm arrives in one interrupt, as scenario 4 has it (within ~1 µs).
            var s = run.SubmitStorm(new PageFaultRequest(vm.Asid, address, AccessType.Write), checked((int)settings.Faults));
            if (!s.Accepted)
            {
                run.Fail($"storm fault rejected: {Errno.Name(s.Error)}");
            }

            if (!run.Drain(TimeSpan.FromSeconds(30)))
            {
                break;
            }
        }

        return run.Finish("storm", settings with { Faults = settings.Faults * Rounds }, chaining ? "chaining on" : "chaining off",
            TimeSpan.FromSeconds(30), new[] { vm });
    }
}
