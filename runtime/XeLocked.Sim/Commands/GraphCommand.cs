using System.CommandLine;
using XeLocked.Locking;
using XeLocked.Sim.Cli;
using XeLocked.Sim.Graph;
using XeLocked.Sim.Output;
using XeLocked.Sim.Scenarios;

namespace XeLocked.Sim.Commands;

/// <summary>
/// <c>graph [--format mermaid|dot] [--update-doc FILE | --check-doc FILE]</c>: the model's lock
/// hierarchy — lock classes and declared <c>[LockOrder]</c> edges — rendered as a graph.
/// </summary>
internal static class GraphCommand
{
    /// <summary>Creates the command; its action writes to <paramref name="console"/>.</summary>
    public static Command Create(SimConsole console, ScenarioCatalog catalog)
    {
        var format = new Option<string>("--format", "-f")
        {
            Description = "Output format: 'mermaid' (Markdown-friendly) or 'dot' (Graphviz).",
            DefaultValueFactory = _ => "mermaid",
            HelpName = "mermaid|dot",
        };
        format.AcceptOnlyFromAmong("mermaid", "dot");
        var updateDoc = new Option<FileInfo?>("--update-doc")
        {
            Description = "Rewrite the generated Mermaid block of this Markdown file (docs/lock-hierarchy.md) instead of printing.",
            HelpName = "FILE",
        };
        var checkDoc = new Option<FileInfo?>("--check-doc")
        {
            Description = "Exit 1 when the generated Mermaid block of this Markdown file is stale.",
            HelpName = "FILE",
        };
        var observe = new Option<bool>("--observe")
        {
            Description = "Also run the default scenario briefly under lockdep and draw the edges it observed: declared (thick), implied by the declared order, undeclared, or INVERTED.",
        };
        var command = new Command("graph", "Render the Xe model's lock hierarchy (classes and [LockOrder] edges, optionally the edges lockdep observed).")
        {
            format, updateDoc, checkDoc, observe,
        };
        command.Validators.Add(r =>
        {
            if (r.GetResult(updateDoc) is not null && r.GetResult(checkDoc) is not null)
            {
                r.AddError("--update-doc and --check-doc cannot be used together.");
            }

            if ((r.GetResult(updateDoc) is not null || r.GetResult(checkDoc) is not null) && r.GetValue(format) == "dot")
            {
                r.AddError("--update-doc and --check-doc work on the Mermaid block; drop --format dot.");
            }

            if ((r.GetResult(updateDoc) is not null || r.GetResult(checkDoc) is not null) && r.GetValue(observe))
            {
                r.AddError("--observe cannot be combined with --update-doc or --check-doc: the committed graph holds the declared order only (observed edges vary by run).");
            }
        });
        command.SetAction(parse => parse.GetValue(observe)
            ? ExecuteObserved(console, catalog, parse.GetValue(format)!)
            : Execute(console, parse.GetValue(format)!, parse.GetValue(updateDoc), parse.GetValue(checkDoc)));
        return command;
    }

    /// <summary>Reads the model's declared hierarchy.</summary>
    internal static LockHierarchy ReadModelHierarchy() => LockHierarchyReader.Read(ModelAssembly.Load());

    /// <summary>Faults of the observation run: enough for every code path of the default mix.</summary>
    internal const long ObserveFaults = 5_000;

    /// <summary>The declared hierarchy plus the edges lockdep observed while <paramref name="scenario"/> ran.</summary>
    internal static (LockHierarchy Hierarchy, RunReport Report) Observe(IScenario scenario)
    {
        var report = scenario.Run(CancellationToken.None);
        var declared = ReadModelHierarchy();
        var classes = declared.Classes.ToHashSet(StringComparer.Ordinal);

        // The tracker's graph is process-wide: keep the edges between the model's classes.
        var observed = Lockdep.ObservedEdges.Select(e => (BaseClass(e.From), BaseClass(e.To)))
            .Where(e => classes.Contains(e.Item1) && classes.Contains(e.Item2));
        return (declared.WithObserved(observed), report);
    }

    /// <summary><c>"Vm.Lock/1"</c> (a nested subclass) → <c>"Vm.Lock"</c>.</summary>
    internal static string BaseClass(string lockdepClass)
    {
        var slash = lockdepClass.IndexOf('/');
        return slash < 0 ? lockdepClass : lockdepClass[..slash];
    }

    private static int ExecuteObserved(SimConsole console, ScenarioCatalog catalog, string format)
    {
        if (!Lockdep.Enabled)
        {
            console.Error.WriteLine($"error: --observe needs the lockdep tracker, which is off in this process ({LockdepSwitch.Variable}={Environment.GetEnvironmentVariable(LockdepSwitch.Variable)}).");
            return ExitCodes.Usage;
        }

        var settings = new ModelSettings("fine", SimOptions.MaxWorkers, ObserveFaults, 1, null, LatencySettings.ModelDefaults with { Scale = 0.1 });
        var (hierarchy, report) = Observe(catalog.Default(settings, 4));
        console.Out.Write(format == "dot" ? DotRenderer.Render(hierarchy) : MermaidRenderer.Render(hierarchy));
        var bad = hierarchy.Edges.Where(e => e.Origin is EdgeOrigin.ObservedUndeclared or EdgeOrigin.ObservedInverted).ToList();
        foreach (var e in bad)
        {
            console.Error.WriteLine($"note: lockdep observed {e.Outer} -> {e.Inner}, which the declared order {(e.Origin == EdgeOrigin.ObservedInverted ? "FORBIDS" : "does not cover")}.");
        }

        foreach (var f in report.Failures)
        {
            console.Error.WriteLine($"FAILED: observation run: {f}");
        }

        return report.Passed ? ExitCodes.Success : ExitCodes.RunFailure;
    }

    private static int Execute(SimConsole console, string format, FileInfo? updateDoc, FileInfo? checkDoc)
    {
        var hierarchy = ReadModelHierarchy();
        if (checkDoc is not null || updateDoc is not null)
        {
            var file = (checkDoc ?? updateDoc)!;
            if (!file.Exists)
            {
                console.Error.WriteLine($"error: '{file.FullName}' does not exist.");
                return ExitCodes.Usage;
            }

            var text = File.ReadAllText(file.FullName);
            var fresh = MermaidRenderer.Render(hierarchy);
            if (checkDoc is not null)
            {
                var current = DocBlock.Extract(text);
                if (current == fresh)
                {
                    console.Out.WriteLine($"{file.Name} is up to date ({hierarchy.Classes.Count} lock classes, {hierarchy.Edges.Count} edges).");
                    return ExitCodes.Success;
                }

                console.Error.WriteLine($"error: the lock hierarchy in '{file.FullName}' is stale; regenerate it with: graph --update-doc {file.Name}");
                return ExitCodes.RunFailure;
            }

            try
            {
                File.WriteAllText(file.FullName, DocBlock.Replace(text, fresh));
            }
            catch (FormatException e)
            {
                console.Error.WriteLine($"error: '{file.FullName}': {e.Message}.");
                return ExitCodes.Usage;
            }

            console.Out.WriteLine($"updated {file.FullName} ({hierarchy.Classes.Count} lock classes, {hierarchy.Edges.Count} edges).");
            return ExitCodes.Success;
        }

        console.Out.Write(format == "dot" ? DotRenderer.Render(hierarchy) : MermaidRenderer.Render(hierarchy));
        return ExitCodes.Success;
    }
}
