using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using XeLocked.Sim.Cli;

namespace XeLocked.Sim.Output;

/// <summary>A snapshot of a running scenario, sampled by the progress display.</summary>
/// <param name="Acked">Faults acked so far.</param>
/// <param name="Target">Faults the scenario will submit in all (0 when unknown).</param>
/// <param name="Services">Services so far.</param>
/// <param name="Chained">Chained faults so far.</param>
/// <param name="LockdepReports">Lockdep reports so far.</param>
public readonly record struct ProgressSample(long Acked, long Target, long Services, long Chained, long LockdepReports);

/// <summary>
/// Shows a scenario's progress while it runs: a live Spectre progress bar on a terminal, plain
/// periodic lines when the output is redirected (logs, CI, tests).
/// </summary>
public static class ProgressDisplay
{
    /// <summary>Shows progress until <paramref name="work"/> completes, then returns it (awaited).</summary>
    /// <param name="console">Where to write; <see cref="SimConsole.IsInteractive"/> picks live or plain.</param>
    /// <param name="label">What is running, e.g. <c>"default scenario (fine)"</c>.</param>
    /// <param name="sample">Reads the current counters; called from the display's thread.</param>
    /// <param name="work">The running scenario.</param>
    /// <param name="interval">Plain mode: the time between lines.</param>
    public static async Task RunAsync(SimConsole console, string label, Func<ProgressSample> sample, Task work, TimeSpan interval)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(sample);
        ArgumentNullException.ThrowIfNull(work);
        if (console.IsInteractive)
        {
            await RunLiveAsync(console, label, sample, work).ConfigureAwait(false);
        }
        else
        {
            await RunPlainAsync(console, label, sample, work, interval).ConfigureAwait(false);
        }

        await work.ConfigureAwait(false);
    }

    /// <summary>One plain progress line, e.g. <c>[  1.0s] default (fine): 1,234/10,000 acked, 1,000 services, 200 chained, 0 lockdep reports</c>.</summary>
    internal static string PlainLine(string label, TimeSpan elapsed, ProgressSample s) =>
        string.Create(CultureInfo.InvariantCulture,
            $"[{elapsed.TotalSeconds,6:0.0}s] {label}: {s.Acked:N0}{(s.Target > 0 ? $"/{s.Target:N0}" : "")} acked, {s.Services:N0} services, {s.Chained:N0} chained, {s.LockdepReports:N0} lockdep reports");

    private static async Task RunPlainAsync(SimConsole console, string label, Func<ProgressSample> sample, Task work, TimeSpan interval)
    {
        var clock = Stopwatch.StartNew();
        while (!work.IsCompleted)
        {
            await Task.WhenAny(work, Task.Delay(interval)).ConfigureAwait(false);
            if (!work.IsCompleted)
            {
                await console.Out.WriteLineAsync(PlainLine(label, clock.Elapsed, sample())).ConfigureAwait(false);
            }
        }

        await console.Out.WriteLineAsync(PlainLine(label + " done", clock.Elapsed, sample())).ConfigureAwait(false);
    }

    private static Task RunLiveAsync(SimConsole console, string label, Func<ProgressSample> sample, Task work)
    {
        // The label on its own line; the live row stays narrow enough for an 80-column terminal.
        var ansi = console.CreateAnsiConsole();
        ansi.MarkupLine($"[bold]{Markup.Escape(label)}[/]");
        return ansi.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn { Width = 16 }, new PercentageColumn(),
                new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async ctx =>
            {
                var first = sample();
                var task = ctx.AddTask(LiveDescription(first), maxValue: Math.Max(1, first.Target));
                while (true)
                {
                    var s = sample();
                    task.MaxValue = Math.Max(1, s.Target > 0 ? s.Target : s.Acked);
                    task.Value = s.Acked;
                    task.Description = LiveDescription(s);
                    if (work.IsCompleted)
                    {
                        task.Value = task.MaxValue;
                        break;
                    }

                    await Task.WhenAny(work, Task.Delay(100)).ConfigureAwait(false);
                }
            });
    }

    /// <summary>The live row's text: <c>"12,345 acked  1,234 chained  0 lockdep"</c> (lockdep in red when not zero).</summary>
    internal static string LiveDescription(ProgressSample s) =>
        string.Create(CultureInfo.InvariantCulture, $"{s.Acked,9:N0} acked {s.Chained,7:N0} chained ")
        + (s.LockdepReports == 0 ? "[green]0 lockdep[/]" : $"[red]{s.LockdepReports} lockdep[/]");
}
