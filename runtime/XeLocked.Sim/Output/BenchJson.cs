using System.Text.Json.Nodes;

namespace XeLocked.Sim.Output;

/// <summary>The results of one <c>bench</c> invocation: whichever workloads ran.</summary>
public sealed record BenchResults
{
    /// <summary>The SVM-parallel workload with fine locking (or the only locking asked for).</summary>
    public RunReport? Svm { get; init; }

    /// <summary>The same workload with coarse locking (with <c>--compare</c>).</summary>
    public RunReport? SvmCoarse { get; init; }

    /// <summary>The storm with chaining on.</summary>
    public RunReport? Storm { get; init; }

    /// <summary>The storm with chaining off.</summary>
    public RunReport? StormNoChain { get; init; }

    /// <summary>Storms per storm run (each of <c>Storm.Faults / StormRounds</c> identical faults).</summary>
    public int StormRounds { get; init; }

    /// <summary>The prefetch benchmark.</summary>
    public PrefetchReport? Prefetch { get; init; }

    /// <summary>Every fault run, for the failure check.</summary>
    public IEnumerable<RunReport> Runs => new[] { Svm, SvmCoarse, Storm, StormNoChain }.OfType<RunReport>();

    /// <summary>The faults of a storm run that belong to its storms (not the unrelated faults that arrive with them).</summary>
    /// <param name="storm">A storm run.</param>
    public static long StormFaults(RunReport storm) => storm.Faults - (storm.OtherFaults?.Faults ?? 0);

    /// <summary>The services of a storm run spent on its storms: the unrelated faults are each on a range of their own, one service each.</summary>
    /// <param name="storm">A storm run.</param>
    public static long StormServices(RunReport storm) => storm.Services - (storm.OtherFaults?.Faults ?? 0);

    /// <summary>
    /// The measured targets these results can be held against: the fine/coarse speedup, the
    /// threaded prefetch ratio, and that a storm is one service with every fault acked. (The storm's
    /// own ack p99 is not a target: every ack of a storm waits for the one service of its range,
    /// chained or not; what the storm cache buys is the latency of the other faults, reported beside
    /// it, see docs/sim.md.)
    /// </summary>
    public IReadOnlyList<BenchTarget> Targets()
    {
        var targets = new List<BenchTarget>();
        if (Svm is not null && SvmCoarse is not null)
        {
            targets.Add(new BenchTarget("svm-parallel fine/coarse speedup", 6.0, JsonReport.Speedup(Svm, SvmCoarse),
                "faults/s with fine locking / faults/s with coarse locking, same seeded workload"));
        }

        if (Prefetch is not null)
        {
            targets.Add(new BenchTarget("prefetch threaded/single-threaded", 2.8, Prefetch.Ratio,
                "GB/s of the threaded prefetch / GB/s of the single-threaded prefetch, same device"));
        }

        if (Storm is not null && StormRounds > 0)
        {
            var other = Storm.OtherFaults?.Faults ?? 0;
            targets.Add(new BenchTarget("storm services per storm (chaining on)", 1, (double)StormServices(Storm) / StormRounds,
                $"(services - unrelated faults) / storms ({StormRounds} storms of {StormFaults(Storm) / StormRounds} identical faults)", Exact: true));
            targets.Add(new BenchTarget("storm acks per storm (chaining on)", (double)StormFaults(Storm) / StormRounds, (double)(Storm.Acks - other) / StormRounds,
                "(acks - unrelated faults) / storms: every fault of the storm acked", Exact: true));
        }

        return targets;
    }
}

/// <summary>Builds the JSON object of <c>bench</c> (docs/sim.md, "JSON").</summary>
public static class BenchJson
{
    /// <summary>
    /// The object: the headline run's documented fields at the top level (the SVM workload, else the
    /// storm), <c>fine</c>/<c>coarse</c>/<c>speedup</c> with a comparison, and one section per
    /// further workload, plus the <c>targets</c>.
    /// </summary>
    public static JsonObject Build(BenchResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        JsonObject o;
        if (results.Svm is not null && results.SvmCoarse is not null)
        {
            o = JsonReport.Compare(results.Svm, results.SvmCoarse);
        }
        else if (results.Svm is not null)
        {
            o = JsonReport.ToJson(results.Svm);
        }
        else if (results.Storm is not null)
        {
            o = JsonReport.ToJson(results.Storm);
        }
        else
        {
            o = new JsonObject { ["scenario"] = "prefetch" };
        }

        if (results.Storm is not null)
        {
            var storm = new JsonObject { ["chaining"] = JsonReport.ToJson(results.Storm) };
            if (results.StormNoChain is not null)
            {
                storm["no_chaining"] = JsonReport.ToJson(results.StormNoChain);
                storm["p99_ratio"] = JsonReport.Round(results.Storm.P99Us > 0 ? results.StormNoChain.P99Us / results.Storm.P99Us : 0, 2);
                if (results.Storm.OtherFaults is { } on && results.StormNoChain.OtherFaults is { } off)
                {
                    storm["other_p50_ratio"] = JsonReport.Round(on.P50Us > 0 ? off.P50Us / on.P50Us : 0, 2);
                    storm["other_p99_ratio"] = JsonReport.Round(on.P99Us > 0 ? off.P99Us / on.P99Us : 0, 2);
                }
            }

            o["storm"] = storm;
        }

        if (results.Prefetch is { } p)
        {
            o["prefetch"] = new JsonObject
            {
                ["ranges"] = p.Ranges,
                ["bytes"] = p.Bytes,
                ["threaded_s"] = JsonReport.Round(p.Threaded.TotalSeconds, 4),
                ["single_threaded_s"] = JsonReport.Round(p.SingleThreaded.TotalSeconds, 4),
                ["threaded_gb_per_s"] = JsonReport.Round(p.ThreadedGBps, 2),
                ["single_threaded_gb_per_s"] = JsonReport.Round(p.SingleThreadedGBps, 2),
                ["ratio"] = JsonReport.Round(p.Ratio, 2),
                ["max_concurrent_migrations"] = p.MaxConcurrentMigrations,
                ["failures"] = new JsonArray(p.Failures.Select(f => (JsonNode?)JsonValue.Create(f)).ToArray()),
            };
        }

        o["targets"] = new JsonArray(results.Targets().Select(t => (JsonNode?)new JsonObject
        {
            ["name"] = t.Name,
            ["goal"] = t.Goal,
            ["measured"] = JsonReport.Round(t.Measured, 2),
            ["met"] = t.Met,
            ["note"] = t.Note,
        }).ToArray());
        return o;
    }
}
