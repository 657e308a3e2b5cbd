using System.CommandLine;
using XeLocked.Locking;
using XeLocked.Sim.Cli;
using XeLocked.Sim.Output;
using XeLocked.Sim.Scenarios;

namespace XeLocked.Sim.Commands;

/// <summary>
/// <c>stress [--faults N]</c>: the randomized mix — every fault type, CPU unmaps, binds, prefetch,
/// evictions, VM close and GT reset racing — with lockdep on, a watchdog for hangs, and the
/// invariants checked at the end (each fault acked exactly once, nothing leaked, no lockdep report).
/// </summary>
internal static class StressCommand
{
    /// <summary>Default faults: the long run (10⁶ faults in a few minutes on 2 cores).</summary>
    public const long DefaultFaults = 1_000_000;

    /// <summary>Creates the command.</summary>
    public static Command Create(SimConsole console, ScenarioCatalog catalog)
    {
        var faults = SimOptions.Faults(DefaultFaults, "GPU faults to submit");
        var locking = SimOptions.Locking();
        var workers = SimOptions.Workers(SimOptions.MaxWorkers);
        var vms = new Option<int>("--vms")
        {
            Description = "VMs in the mix (each is closed and re-created while faults race), 1 to 64.",
            DefaultValueFactory = _ => 6,
        };
        SimOptions.AddRange(vms, 1, 64);
        var seed = SimOptions.Seed();
        var duration = SimOptions.Duration();
        var watchdog = new Option<TimeSpan?>("--watchdog")
        {
            Description = "Declare a hang when no fault is acked for this long while faults are outstanding (default 30s).",
            HelpName = "DURATION",
            CustomParser = r =>
            {
                var token = r.Tokens.Count > 0 ? r.Tokens[0].Value : "";
                if (!DurationParser.TryParse(token, "s", out var value, out var error) || value < TimeSpan.FromMilliseconds(100))
                {
                    r.AddError($"--watchdog: {error ?? $"'{token}' is too short; at least 100ms"}.");
                    return null;
                }

                return value;
            },
        };
        var lockdep = SimOptions.Lockdep();
        var faithful = new Option<bool>("--faithful")
        {
            Description = "Run the series as merged, without the fixes for hazards H10 (GT reset strands cross-GT chained faults) and H12 (GC leaks a range reference): the invariant checks are then expected to fail.",
        };
        var latencies = SimOptions.Latencies(" Default for stress: 0 (races, not timing).");
        var json = SimOptions.Json();
        var command = new Command("stress", "Randomized mix of every fault type and operation, racing, under lockdep and a watchdog; checks the invariants at the end.")
        {
            faults, locking, workers, vms, seed, duration, watchdog, lockdep, faithful,
        };
        foreach (var o in latencies.All)
        {
            command.Options.Add(o);
        }

        command.Options.Add(json);
        command.SetAction(async (parse, ct) =>
        {
            var wantLockdep = parse.GetValue(lockdep) == "on";
            var model = new ModelSettings(parse.GetValue(locking)!, parse.GetValue(workers), parse.GetValue(faults), parse.GetValue(seed),
                parse.GetValue(duration), latencies.Read(parse) is var l && l.Scale is null ? l with { Scale = 0 } : l);
            var settings = new StressSettings(model, parse.GetValue(vms), parse.GetValue(watchdog) ?? TimeSpan.FromSeconds(30), parse.GetValue(faithful));
            SimOptions.WarnIfLockdepOverridden(console, wantLockdep);

            var report = await ScenarioExecution.RunAsync(console, catalog.Stress(settings), ct).ConfigureAwait(false);
            return RunCommand.Finish(console, "XeLocked.Sim stress: randomized mix", parse.GetValue(json), JsonReport.ToJson(report), report);
        });
        return command;
    }
}
