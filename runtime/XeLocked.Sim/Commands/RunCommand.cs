using System.CommandLine;
using XeLocked.Sim.Cli;
using XeLocked.Sim.Output;
using XeLocked.Sim.Scenarios;

namespace XeLocked.Sim.Commands;

/// <summary>
/// <c>run [options]</c>: the built-in default scenario — several VMs and processes faulting SVM and
/// BO memory, CPU unmaps, binds, prefetches, evictions and a fault storm — with live progress and
/// a summary table (and <c>--json FILE</c>).
/// </summary>
internal static class RunCommand
{
    /// <summary>Default number of faults: the README's first command must finish well within a minute on 2 cores.</summary>
    public const long DefaultFaults = 100_000;

    /// <summary>Creates the command.</summary>
    public static Command Create(SimConsole console, ScenarioCatalog catalog)
    {
        var locking = SimOptions.Locking();
        var workers = SimOptions.Workers(4);
        var faults = SimOptions.Faults(DefaultFaults, "GPU faults to submit");
        var seed = SimOptions.Seed();
        var duration = SimOptions.Duration();
        var vms = new Option<int>("--vms")
        {
            Description = "VMs (one process each) in the scenario, 1 to 64.",
            DefaultValueFactory = _ => 4,
        };
        SimOptions.AddRange(vms, 1, 64);
        var lockdep = SimOptions.Lockdep();
        var latencies = SimOptions.Latencies();
        var json = SimOptions.Json();
        var command = new Command("run", "Run the built-in default scenario with live progress, then print a summary table.")
        {
            locking, workers, faults, seed, duration, vms, lockdep,
        };
        foreach (var o in latencies.All)
        {
            command.Options.Add(o);
        }

        command.Options.Add(json);
        command.SetAction(async (parse, ct) =>
        {
            var settings = new ModelSettings(parse.GetValue(locking)!, parse.GetValue(workers), parse.GetValue(faults),
                parse.GetValue(seed), parse.GetValue(duration), latencies.Read(parse));
            SimOptions.WarnIfLockdepOverridden(console, parse.GetValue(lockdep) == "on");
            var scenario = catalog.Default(settings, parse.GetValue(vms));
            var report = await ScenarioExecution.RunAsync(console, scenario, ct).ConfigureAwait(false);
            return Finish(console, "XeLocked.Sim run: default scenario", parse.GetValue(json), JsonReport.ToJson(report), report);
        });
        return command;
    }

    /// <summary>Prints the summary table, writes the JSON when asked, reports failures; returns the exit code.</summary>
    internal static int Finish(SimConsole console, string title, FileInfo? json, System.Text.Json.Nodes.JsonNode node, params RunReport[] reports)
    {
        console.CreateAnsiConsole().Write(SummaryTable.Build(title, reports));
        if (json is not null)
        {
            JsonReport.WriteFile(json.FullName, node);
            console.Out.WriteLine($"wrote {json.FullName}");
        }

        var failures = reports.SelectMany(r => r.Failures.Select(f => $"[{r.Locking}] {f}")).ToList();
        if (failures.Count == 0)
        {
            return ExitCodes.Success;
        }

        foreach (var f in failures)
        {
            console.Error.WriteLine($"FAILED: {f}");
        }

        return ExitCodes.RunFailure;
    }
}
