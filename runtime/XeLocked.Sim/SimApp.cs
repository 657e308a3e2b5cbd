using System.CommandLine;
using XeLocked.Sim.Cli;
using XeLocked.Sim.Commands;
using XeLocked.Sim.Scenarios;

namespace XeLocked.Sim;

/// <summary>
/// The program: builds the command tree (<c>run</c>, <c>bench</c>, <c>stress</c>, <c>graph</c>),
/// parses the arguments with System.CommandLine and runs the chosen command. Usable in-process:
/// pass a <see cref="SimConsole"/> over string writers.
/// </summary>
public static class SimApp
{
    /// <summary>Parses <paramref name="args"/> and runs the command.</summary>
    /// <param name="args">The command line, without the program name.</param>
    /// <param name="console">Where the command writes.</param>
    /// <param name="cancellationToken">Cancels a running scenario (Ctrl+C).</param>
    /// <returns>An exit code of <see cref="ExitCodes"/>: 0 success, 1 run failure, 2 bad usage.</returns>
    public static Task<int> RunAsync(string[] args, SimConsole console, CancellationToken cancellationToken = default) =>
        RunAsync(args, console, ScenarioCatalog.Model, cancellationToken);

    /// <summary>Parses <paramref name="args"/> and runs the command with the scenarios of <paramref name="catalog"/>.</summary>
    internal static async Task<int> RunAsync(string[] args, SimConsole console, ScenarioCatalog catalog, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(console);
        var root = BuildRoot(console, catalog);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await console.Error.WriteLineAsync($"error: {error.Message}").ConfigureAwait(false);
            }

            var path = string.Join(' ', parse.CommandResult.Command is RootCommand ? Array.Empty<string>() : new[] { parse.CommandResult.Command.Name });
            await console.Error.WriteLineAsync($"Try 'XeLocked.Sim {(path.Length > 0 ? path + " " : "")}--help'.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        // Before any command touches a lock: the tracker reads its switch once.
        if (parse.CommandResult.Command.Name is "run" or "stress")
        {
            LockdepSwitch.Request(parse.GetValue<string>("--lockdep") != "off");
        }
        else if (parse.CommandResult.Command.Name is "graph" && parse.GetValue<bool>("--observe"))
        {
            LockdepSwitch.Request(true);
        }

        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { Output = console.Out, Error = console.Error, EnableDefaultExceptionHandler = false }, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (SimFailureException e)
        {
            await console.Error.WriteLineAsync($"FAILED: {e.Message}").ConfigureAwait(false);
            return ExitCodes.RunFailure;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await console.Error.WriteLineAsync("cancelled.").ConfigureAwait(false);
            return ExitCodes.RunFailure;
        }
    }

    /// <summary>The root command with every sub-command.</summary>
    internal static RootCommand BuildRoot(SimConsole console, ScenarioCatalog catalog)
    {
        var root = new RootCommand("XeLocked.Sim: runs the Xe GPU page-fault handling model, benchmarks fine vs coarse locking, stress-tests it under lockdep, and draws its lock hierarchy.");
        root.Subcommands.Add(RunCommand.Create(console, catalog));
        root.Subcommands.Add(BenchCommand.Create(console, catalog));
        root.Subcommands.Add(StressCommand.Create(console, catalog));
        root.Subcommands.Add(GraphCommand.Create(console, catalog));
        return root;
    }
}
