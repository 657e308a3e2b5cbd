using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace XeLocked.Sim.Output;

/// <summary>The readable end-of-run summary: one column per run, one row per measure.</summary>
public static class SummaryTable
{
    /// <summary>Builds the table for one or more runs (e.g. fine and coarse side by side).</summary>
    /// <param name="title">The table's title.</param>
    /// <param name="reports">The runs, one column each.</param>
    public static Table Build(string title, params RunReport[] reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        var table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape(title));
        table.AddColumn(new TableColumn("measure"));
        foreach (var r in reports)
        {
            table.AddColumn(new TableColumn(Markup.Escape(r.Variant ?? r.Locking)).RightAligned());
        }

        void Row(string name, Func<RunReport, string> value) =>
            table.AddRow(new IRenderable[] { new Text(name) }.Concat(reports.Select(r => (IRenderable)new Text(value(r)))).ToArray());

        Row("workers", r => N(r.Workers));
        Row("latency scale", r => string.Create(CultureInfo.InvariantCulture, $"{r.LatencyScale:0.##}x"));
        Row("faults", r => N(r.Faults));
        Row("elapsed", r => string.Create(CultureInfo.InvariantCulture, $"{r.Elapsed.TotalSeconds:0.000} s"));
        Row("faults/s", r => N((long)r.FaultsPerSecond));
        Row("services", r => N(r.Services));
        Row("chained", r => N(r.Chained));
        Row("acks", r => N(r.Acks));
        Row("  of which errors", r => N(r.ErrorAcks));
        Row("ack latency p50", r => Us(r.P50Us));
        Row("ack latency p99", r => Us(r.P99Us));
        if (reports.Any(r => r.OtherFaults is not null))
        {
            Row("other faults", r => r.OtherFaults is { } o ? N(o.Faults) : "-");
            Row("  their ack latency p50", r => r.OtherFaults is { } o ? Us(o.P50Us) : "-");
            Row("  their ack latency p99", r => r.OtherFaults is { } o ? Us(o.P99Us) : "-");
        }

        Row("services overlapped", r => N(r.ParallelServices));
        Row("migrations overlapped", r => N(r.MigrationsOverlapped));
        Row("max concurrent migrations", r => N(r.MaxConcurrentMigrations));
        Row("lockdep", r => r.LockdepEnabled ? "on" : "off");
        Row("lockdep reports", r => N(r.LockdepReports));
        foreach (var name in reports.SelectMany(r => r.Extra.Keys).Distinct().OrderBy(k => k, StringComparer.Ordinal))
        {
            Row(Label(name), r => r.Extra.TryGetValue(name, out var v) ? N(v) : "-");
        }

        return table;
    }

    /// <summary>
    /// The table's label of a model counter that the JSON names in snake_case
    /// (<c>last_fault_acks</c> → <c>last fault acks</c>), so that every row reads as prose.
    /// </summary>
    internal static string Label(string key) => key.Replace('_', ' ');

    private static string N(long v) => v.ToString("N0", CultureInfo.InvariantCulture);

    private static string Us(double us) =>
        us >= 1000 ? string.Create(CultureInfo.InvariantCulture, $"{us / 1000:0.00} ms")
                   : string.Create(CultureInfo.InvariantCulture, $"{us:0.0} us");
}
