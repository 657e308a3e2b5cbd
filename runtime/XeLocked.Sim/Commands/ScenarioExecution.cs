using XeLocked.Sim.Cli;
using XeLocked.Sim.Output;
using XeLocked.Sim.Scenarios;

namespace XeLocked.Sim.Commands;

/// <summary>Runs a scenario on its own thread while the progress display samples it.</summary>
internal static class ScenarioExecution
{
    /// <summary>The time between plain progress lines when the output is redirected.</summary>
    public static TimeSpan PlainInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Runs <paramref name="scenario"/> with progress on <paramref name="console"/> and returns its report.</summary>
    /// <exception cref="SimFailureException">The scenario threw.</exception>
    public static async Task<RunReport> RunAsync(SimConsole console, IScenario scenario, CancellationToken cancellationToken)
    {
        var work = Task.Factory.StartNew(
            () =>
            {
                try
                {
                    return scenario.Run(cancellationToken);
                }
                catch (Exception e) when (e is not SimFailureException and not OutOfMemoryException)
                {
                    // A model exception is a failed run (exit 1), reported with what threw.
                    throw new SimFailureException($"{scenario.Label}: the scenario threw {e}");
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        await ProgressDisplay.RunAsync(console, scenario.Label, scenario.Sample, work, PlainInterval).ConfigureAwait(false);
        return await work.ConfigureAwait(false);
    }
}
