using System.CommandLine;
using XeLocked.Sim.Cli;
using XeLocked.Sim.Graph;

namespace XeLocked.Sim.Commands;

/// <summary>
/// <c>graph [--format mermaid|dot] [--update-doc FILE | --check-doc FILE]</c>: the model's lock
/// hierarchy — lock classes and declared <c>[LockOrder]</c> edges — rendered as a graph.
/// </summary>
internal static class GraphCommand
{
    /// <summary>Creates the command; its action writes to <paramref name="console"/>.</summary>
    public static Command Create(SimConsole console)
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
        var command = new Command("graph", "Render the Xe model's lock hierarchy (classes and [LockOrder] edges).")
        {
            format, updateDoc, checkDoc,
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
        });
        command.SetAction(parse => Execute(console, parse.GetValue(format)!, parse.GetValue(updateDoc), parse.GetValue(checkDoc)));
        return command;
    }

    /// <summary>Reads the model's declared hierarchy.</summary>
    internal static LockHierarchy ReadModelHierarchy() => LockHierarchyReader.Read(ModelAssembly.Load());

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
