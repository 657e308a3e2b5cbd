using System.Text.Json;
using System.Text.Json.Nodes;

namespace XeLocked.Sim.Output;

/// <summary>
/// The JSON of docs/sim.md ("JSON"): one object per run with <c>locking</c>, <c>workers</c>, <c>faults</c>,
/// <c>faults_per_s</c>, <c>p50_us</c>, <c>p99_us</c>, <c>services</c>, <c>chained</c>, <c>acks</c>,
/// <c>lockdep_reports</c> (and a few more); a comparison adds <c>fine</c>, <c>coarse</c> and
/// <c>speedup</c>.
/// </summary>
public static class JsonReport
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The JSON object of one run.</summary>
    /// <param name="report">The run.</param>
    public static JsonObject ToJson(RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var o = new JsonObject
        {
            ["scenario"] = report.Scenario,
            ["locking"] = report.Locking,
            ["variant"] = report.Variant ?? report.Locking,
            ["workers"] = report.Workers,
            ["seed"] = report.Seed,
            ["latency_scale"] = report.LatencyScale,
            ["faults"] = report.Faults,
            ["elapsed_s"] = Round(report.Elapsed.TotalSeconds, 4),
            ["faults_per_s"] = Round(report.FaultsPerSecond, 1),
            ["p50_us"] = Round(report.P50Us, 1),
            ["p99_us"] = Round(report.P99Us, 1),
            ["services"] = report.Services,
            ["chained"] = report.Chained,
            ["acks"] = report.Acks,
            ["error_acks"] = report.ErrorAcks,
            ["parallel_services"] = report.ParallelServices,
            ["max_concurrent_migrations"] = report.MaxConcurrentMigrations,
            ["migrations_overlapped"] = report.MigrationsOverlapped,
            ["lockdep"] = report.LockdepEnabled,
            ["lockdep_reports"] = report.LockdepReports,
            ["passed"] = report.Passed,
            ["failures"] = new JsonArray(report.Failures.Select(f => (JsonNode?)JsonValue.Create(f)).ToArray()),
        };
        if (report.Extra.Count > 0)
        {
            var extra = new JsonObject();
            foreach (var (name, value) in report.Extra.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                extra[name] = value;
            }

            o["stats"] = extra;
        }

        if (report.OtherFaults is { } other)
        {
            o["other_faults"] = new JsonObject
            {
                ["faults"] = other.Faults,
                ["acked"] = other.Acked,
                ["p50_us"] = Round(other.P50Us, 1),
                ["p99_us"] = Round(other.P99Us, 1),
            };
        }

        return o;
    }

    /// <summary>
    /// The comparison object: the fine run's fields at the top level (the series is the headline),
    /// plus <c>fine</c>, <c>coarse</c> and <c>speedup</c> = fine faults/s ÷ coarse faults/s.
    /// </summary>
    /// <param name="fine">The run with fine locking.</param>
    /// <param name="coarse">The same workload with coarse locking.</param>
    public static JsonObject Compare(RunReport fine, RunReport coarse)
    {
        var o = ToJson(fine);
        o["fine"] = ToJson(fine);
        o["coarse"] = ToJson(coarse);
        o["speedup"] = Round(Speedup(fine, coarse), 2);
        return o;
    }

    /// <summary>fine faults/s ÷ coarse faults/s; 0 when the coarse run did nothing.</summary>
    public static double Speedup(RunReport fine, RunReport coarse)
    {
        ArgumentNullException.ThrowIfNull(fine);
        ArgumentNullException.ThrowIfNull(coarse);
        return coarse.FaultsPerSecond > 0 ? fine.FaultsPerSecond / coarse.FaultsPerSecond : 0;
    }

    /// <summary>Serializes <paramref name="node"/> indented, with a final newline.</summary>
    public static string Serialize(JsonNode node) => node.ToJsonString(Indented) + "\n";

    /// <summary>Writes <paramref name="node"/> to <paramref name="path"/> (creating its folder).</summary>
    /// <exception cref="Cli.SimFailureException">The file cannot be written (the message says why).</exception>
    public static void WriteFile(string path, JsonNode node)
    {
        var full = Path.GetFullPath(path);
        try
        {
            var dir = Path.GetDirectoryName(full);
            if (!string.IsNullOrEmpty(dir))
            {
                Directory.CreateDirectory(dir);
            }

            File.WriteAllText(full, Serialize(node));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new Cli.SimFailureException($"cannot write the JSON to '{full}': {e.Message}");
        }
    }

    /// <summary>Rounds for output; NaN and infinities become 0 (JSON has no such numbers).</summary>
    internal static double Round(double value, int digits) =>
        double.IsFinite(value) ? Math.Round(value, digits, MidpointRounding.AwayFromZero) : 0;
}
