using XeLocked.Sim.Output;
using XeLocked.Xe;

namespace XeLocked.Sim.Scenarios;

/// <summary>
/// The bench workload "a storm of identical faults" (scenario 4 of the model's legend):
/// <see cref="Rounds"/> times, <c>settings.Faults</c> faults with the same ASID and address arrive
/// in one burst (<see cref="XeDevice.SubmitFaultBurst"/>) on a fresh 2 MiB range (so the first
/// service migrates), and right behind them <see cref="OtherFaultsPerStorm"/> unrelated faults of
/// another process (a second VM), each on a fresh range of its own. With the storm cache (P08:
/// chaining and the worker-local last-fault window) one service acks the whole storm and the other
/// workers serve the unrelated faults; without it every storm fault is serviced on its own (the
/// later ones wait for the range lock, then take the valid fast path), occupying the workers that
/// the unrelated faults queue behind. The run's report carries the unrelated faults' latency
/// (<see cref="RunReport.OtherFaults"/>) apart from the storm's.
/// </summary>
internal sealed class StormScenario(ModelSettings settings, bool chaining) : IScenario
{
    /// <summary>Storms per run (each on its own range; the device drains between storms).</summary>
    public const int Rounds = 10;

    /// <summary>Unrelated faults submitted right behind each storm (each on its own range of a second VM).</summary>
    public const int OtherFaultsPerStorm = 16;

    private ModelRun? _run;

    /// <inheritdoc/>
    public string Label => $"storm x{settings.Faults} ({(chaining ? "chaining on" : "chaining off")})";

    /// <inheritdoc/>
    public ProgressSample Sample() => _run?.Sample() ?? new ProgressSample(0, (settings.Faults + OtherFaultsPerStorm) * Rounds, 0, 0, 0);

    /// <inheritdoc/>
    public RunReport Run(CancellationToken cancellationToken)
    {
        var options = ModelFactory.Options(settings) with { Chaining = chaining, LastFaultCache = chaining };
        using var run = new ModelRun(options, (settings.Faults + OtherFaultsPerStorm) * Rounds);
        _run = run;
        var xe = run.Device;
        var vm = xe.CreateVm();
        var other = xe.CreateVm();
        foreach (var (target, ranges) in new[] { (vm, (ulong)Rounds), (other, (ulong)(Rounds * OtherFaultsPerStorm)) })
        {
            var err = xe.MapSvm(target, Layout.SvmBase, ranges * Layout.Range2M);
            if (err != 0)
            {
                run.Fail($"MapSvm failed: {Errno.Name(err)}");
            }
        }

        var otherIds = new List<long>(Rounds * OtherFaultsPerStorm);

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

            for (var i = 0; i < OtherFaultsPerStorm; i++)
            {
                var range = (ulong)(round * OtherFaultsPerStorm + i);
                var o = run.Submit(new PageFaultRequest(other.Asid, Layout.SvmBase + range * Layout.Range2M, AccessType.Write));
                if (o.Accepted)
                {
                    otherIds.Add(o.FaultId);
                }
                else
                {
                    run.Fail($"unrelated fault rejected: {Errno.Name(o.Error)}");
                }
            }

            if (!run.Drain(TimeSpan.FromSeconds(30)))
            {
                break;
            }
        }

        var report = run.Finish("storm", settings with { Faults = settings.Faults * Rounds }, chaining ? "chaining on" : "chaining off",
            TimeSpan.FromSeconds(30), new[] { vm, other });
        var latencies = otherIds.Select(id => xe.Ledger[id]?.AckLatencyMicroseconds).OfType<double>();
        return report with { OtherFaults = LatencySummary.Of(otherIds.Count, latencies) };
    }
}
