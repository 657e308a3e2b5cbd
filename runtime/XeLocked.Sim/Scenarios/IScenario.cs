using XeLocked.Sim.Output;

namespace XeLocked.Sim.Scenarios;

/// <summary>
/// A runnable workload over one model device: it builds the device, submits its faults and
/// operations, waits for the device to go idle, checks its invariants and reports.
/// </summary>
public interface IScenario
{
    /// <summary>A short label for progress and tables, e.g. <c>"default (fine)"</c>.</summary>
    string Label { get; }

    /// <summary>Reads the live counters; safe to call from another thread while <see cref="Run"/> runs.</summary>
    ProgressSample Sample();

    /// <summary>Runs the workload to the end on the calling thread.</summary>
    /// <param name="cancellationToken">Stops submitting; the run still drains what was submitted.</param>
    /// <returns>The measured report.</returns>
    /// <exception cref="Cli.SimFailureException">An invariant failed, lockdep reported, or the device hung.</exception>
    RunReport Run(CancellationToken cancellationToken);
}
