using Spectre.Console;

namespace XeLocked.Sim.Cli;

/// <summary>
/// Where a command writes: its standard output and error, and whether the output is a terminal
/// (live progress) or redirected (plain periodic lines). Tests pass <see cref="StringWriter"/>s.
/// </summary>
/// <param name="Out">Standard output: progress, summary tables, rendered graphs.</param>
/// <param name="Error">Standard error: usage errors and failure messages.</param>
/// <param name="IsInteractive">True when <paramref name="Out"/> is a terminal: live progress and colours.</param>
public sealed record SimConsole(TextWriter Out, TextWriter Error, bool IsInteractive)
{
    /// <summary>The process's console; interactive when standard output is not redirected.</summary>
    public static SimConsole FromSystemConsole() =>
        new(Console.Out, Console.Error, !Console.IsOutputRedirected);

    /// <summary>A Spectre console over <see cref="Out"/>: ANSI and colours only when interactive; 120 columns when redirected.</summary>
    public IAnsiConsole CreateAnsiConsole()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = IsInteractive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = IsInteractive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = IsInteractive ? InteractionSupport.Yes : InteractionSupport.No,
            Out = new AnsiConsoleOutput(Out),
        });
        if (!IsInteractive)
        {
            console.Profile.Width = 120;
        }

        return console;
    }
}
