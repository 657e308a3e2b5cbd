using XeLocked.Xe;

namespace XeLocked.Sim.Scenarios;

/// <summary>
/// The GPU side of a scenario: submits faults from the mix, keeping at most a window of faults
/// outstanding (EU threads stall on their faults, so a GPU never has unbounded faults in flight),
/// with one storm of identical faults in the middle, until the count, the duration or a stop
/// request ends it.
/// </summary>
internal sealed class Submitter(ModelRun run, SimProcess[] processes, FaultMix mix, int window)
{
    /// <summary>Faults in the storm.</summary>
    public const int StormSize = 64;

    /// <summary>Submits up to <paramref name="faults"/> faults.</summary>
    /// <param name="faults">How many faults to submit.</param>
    /// <param name="duration">Stop submitting after this long.</param>
    /// <param name="stop">Stops submitting (Ctrl+C, watchdog).</param>
    /// <param name="storms">Storms of <see cref="StormSize"/> identical faults, spread evenly over the run.</param>
    public void Run(long faults, TimeSpan? duration, CancellationToken stop, int storms)
    {
        var xe = run.Device;
        var until = duration is { } d ? DateTime.UtcNow + d : DateTime.MaxValue;
        var stormEvery = storms > 0 ? Math.Max(StormSize, faults / (storms + 1)) : long.MaxValue;
        var nextStorm = stormEvery;
        for (long i = 0; i < faults; i++)
        {
            if (stop.IsCancellationRequested || ((i & 255) == 0 && DateTime.UtcNow > until))
            {
                return;
            }

            var spin = new SpinWait();
            while (xe.OutstandingFaults >= window)
            {
                if (stop.IsCancellationRequested)
                {
                    return;
                }

                spin.SpinOnce();
            }

            if (i >= nextStorm && faults - i >= StormSize && processes[mix.Process(processes.Length)] is var p && p.NextStormAddress() is { } address)
            {
                nextStorm += stormEvery;
                var vm = p.Vm;
                Check(run.SubmitStorm(new PageFaultRequest(vm.Asid, address, AccessType.Write), StormSize));

                i += StormSize - 1;
                continue;
            }

            Check(run.Submit(mix.Next(processes[mix.Process(processes.Length)])));
        }
    }

    private void Check(FaultSubmission s)
    {
        if (!s.Accepted)
        {
            run.Fail($"a fault was rejected by the IRQ handler: {Errno.Name(s.Error)}");
        }
    }
}
