using System.CommandLine;
using System.Globalization;
using XeLocked.Sim.Cli;
using XeLocked.Sim.Output;
using XeLocked.Sim.Scenarios;

namespace XeLocked.Sim.Commands;

/// <summary>
/// <c>bench [--workload svm|storm|prefetch|all] [--compare] [--json FILE]</c>: the measured
/// workloads — migration-bound SVM faults of one VM (fine vs coarse with
/// <c>--compare</c>), a fault storm (chaining on vs off) and threaded vs single-threaded prefetch —
/// and the JSON described in docs/sim.md.
/// </summary>
internal static class BenchCommand
{
    /// <summary>
    /// Default multiplier of the simulated latencies for bench: a 2 MiB migration takes ~2 ms instead
    /// of ~0.5 ms, so that simulated hardware time, not the host's thread wake-up latency, dominates
    /// on a busy two-core machine. Ratios are scale-invariant in the ideal; absolute GB/s scale by 1/4.
    /// </summary>
    public const double DefaultLatencyScale = 4;

    /// <summary>Default SVM faults: distinct 2 MiB ranges, migration-bound.</summary>
    public const long DefaultSvmFaults = 512;

    /// <summary>Upper bound of the svm workload's faults: they are all in the fault queue at once.</summary>
    public const long MaxSvmFaults = 4096;

    /// <summary>Default storm size (scenario 4 of the domain notes).</summary>
    public const int DefaultStormFaults = 64;

    /// <summary>Default prefetch: 32 ranges of 2 MiB = 64 MiB, as P03's benchmark.</summary>
    public const int DefaultPrefetchRanges = 32;

    /// <summary>Creates the command.</summary>
    public static Command Create(SimConsole console, ScenarioCatalog catalog)
    {
        var workload = new Option<string>("--workload")
        {
            Description = "Which workload: 'svm' (migration-bound SVM faults, distinct ranges, one VM), 'storm' (identical faults, with unrelated faults behind them; chaining on vs off), 'prefetch' (threaded vs single-threaded), or 'all'.",
            DefaultValueFactory = _ => "all",
            HelpName = "svm|storm|prefetch|all",
        };
        workload.AcceptOnlyFromAmong("svm", "storm", "prefetch", "all");
        var compare = new Option<bool>("--compare")
        {
            Description = "Run the SVM workload with both lockings (same seed, same process) and report the speedup fine/coarse.",
        };
        var locking = SimOptions.Locking();
        var workers = SimOptions.Workers(8);
        // All of them are submitted at once: at most half the fault queue (8,192 entries by default).
        var faults = new Option<long>("--faults", "-n")
        {
            Description = $"SVM faults of the svm workload, each on its own 2 MiB range, submitted at once; 1 to {MaxSvmFaults:N0}.",
            DefaultValueFactory = _ => DefaultSvmFaults,
        };
        SimOptions.AddRange(faults, 1L, MaxSvmFaults);
        var stormFaults = new Option<int>("--storm-faults")
        {
            Description = "Identical faults in the storm, 2 to 4096.",
            DefaultValueFactory = _ => DefaultStormFaults,
        };
        SimOptions.AddRange(stormFaults, 2, 4096);
        var prefetchRanges = new Option<int>("--prefetch-ranges")
        {
            Description = "2 MiB ranges in the prefetch, 2 to 1024.",
            DefaultValueFactory = _ => DefaultPrefetchRanges,
        };
        SimOptions.AddRange(prefetchRanges, 2, 1024);
        var seed = SimOptions.Seed();
        var latencies = SimOptions.Latencies($" Default for bench: {DefaultLatencyScale} (see docs/sim.md: at 1 the host's wake-up jitter on a small machine is as long as a migration).");
        var json = SimOptions.Json();
        var command = new Command("bench", "Benchmark the model: fine vs coarse locking, fault-storm chaining, threaded prefetch; optionally as JSON.")
        {
            workload, compare, locking, workers, faults, stormFaults, prefetchRanges, seed,
        };
        foreach (var o in latencies.All)
        {
            command.Options.Add(o);
        }

        command.Options.Add(json);
        command.Validators.Add(r =>
        {
            if (r.GetValue(compare) && r.GetResult(locking) is { Implicit: false })
            {
                r.AddError("--locking cannot be combined with --compare (which runs both lockings).");
            }

            if (r.GetValue(compare) && r.GetValue(workload) is "storm" or "prefetch")
            {
                r.AddError($"--compare applies to the svm workload; it has no effect with --workload {r.GetValue(workload)}.");
            }
        });
        command.SetAction(async (parse, ct) =>
        {
            var w = parse.GetValue(workload)!;
            var l = latencies.Read(parse);
            var settings = new ModelSettings(parse.GetValue(locking)!, parse.GetValue(workers), parse.GetValue(faults),
                parse.GetValue(seed), null, l.Scale is null ? l with { Scale = DefaultLatencyScale } : l);
            var results = await RunWorkloadsAsync(console, catalog, w, parse.GetValue(compare), settings,
                parse.GetValue(stormFaults), parse.GetValue(prefetchRanges), ct).ConfigureAwait(false);
            return Finish(console, results, parse.GetValue(json));
        });
        return command;
    }

    private static async Task<BenchResults> RunWorkloadsAsync(SimConsole console, ScenarioCatalog catalog, string workload, bool compare,
        ModelSettings settings, int stormFaults, int prefetchRanges, CancellationToken ct)
    {
        var results = new BenchResults();

        await Task.Run(() => catalog.Warmup(settings), ct).ConfigureAwait(false);

        if (workload is "svm" or "all")
        {
            if (compare)
            {
                var fine = await ScenarioExecution.RunAsync(console, catalog.SvmParallel(settings with { Locking = "fine" }), ct).ConfigureAwait(false);
                var coarse = await ScenarioExecution.RunAsync(console, catalog.SvmParallel(settings with { Locking = "coarse" }), ct).ConfigureAwait(false);
                results = results with { Svm = fine, SvmCoarse = coarse };
            }
            else
            {
                results = results with { Svm = await ScenarioExecution.RunAsync(console, catalog.SvmParallel(settings), ct).ConfigureAwait(false) };
            }
        }

        if (workload is "storm" or "all")
        {
            var storm = settings with { Faults = stormFaults };
            var on = await ScenarioExecution.RunAsync(console, catalog.Storm(storm, true), ct).ConfigureAwait(false);
            var off = await ScenarioExecution.RunAsync(console, catalog.Storm(storm, false), ct).ConfigureAwait(false);
            results = results with { Storm = on, StormNoChain = off, StormRounds = (int)(BenchResults.StormFaults(on) / stormFaults) };
        }

        if (workload is "prefetch" or "all")
        {
            console.Out.WriteLine($"prefetch: {prefetchRanges} ranges of 2 MiB, threaded and single-threaded ...");
            var prefetch = await Task.Factory.StartNew(() => catalog.Prefetch(settings, prefetchRanges), ct,
                TaskCreationOptions.LongRunning, TaskScheduler.Default).ConfigureAwait(false);
            results = results with { Prefetch = prefetch };
        }

        return results;
    }

    private static int Finish(SimConsole console, BenchResults results, FileInfo? json)
    {
        var ansi = console.CreateAnsiConsole();
        if (results.Svm is not null)
        {
            ansi.Write(SummaryTable.Build("svm: distinct 2 MiB ranges, one VM",
                new[] { results.Svm, results.SvmCoarse }.OfType<RunReport>().ToArray()));
        }

        if (results.Storm is not null)
        {
            ansi.Write(SummaryTable.Build("storm: identical faults",
                new[] { results.Storm, results.StormNoChain }.OfType<RunReport>().ToArray()));
            if (results.Storm.OtherFaults is { } on && results.StormNoChain?.OtherFaults is { } off && on.P50Us > 0 && on.P99Us > 0)
            {
                console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"storm: the {on.Faults:N0} unrelated faults' ack latency, chaining off / on: p50 {off.P50Us / on.P50Us:0.00}x, p99 {off.P99Us / on.P99Us:0.00}x"));
            }
        }

        if (results.Prefetch is { } p)
        {
            console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"prefetch {p.Ranges} x 2 MiB: threaded {p.ThreadedGBps:0.00} GB/s ({p.Threaded.TotalMilliseconds:0.0} ms), single-threaded {p.SingleThreadedGBps:0.00} GB/s ({p.SingleThreaded.TotalMilliseconds:0.0} ms), ratio {p.Ratio:0.00}"));
        }

        foreach (var target in results.Targets())
        {
            console.Out.WriteLine($"target {target}");
        }

        if (json is not null)
        {
            JsonReport.WriteFile(json.FullName, BenchJson.Build(results));
            console.Out.WriteLine($"wrote {json.FullName}");
        }

        var failures = results.Runs.SelectMany(r => r.Failures.Select(f => $"[{r.Scenario} {r.Variant ?? r.Locking}] {f}"))
            .Concat(results.Prefetch?.Failures.Select(f => $"[prefetch] {f}") ?? [])
            .ToList();
        foreach (var f in failures)
        {
            console.Error.WriteLine($"FAILED: {f}");
        }

        return failures.Count == 0 ? ExitCodes.Success : ExitCodes.RunFailure;
    }
}
