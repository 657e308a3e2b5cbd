using XeLocked.Sim;
using XeLocked.Sim.Cli;

namespace XeLocked.Runtime.Tests.Sim;

/// <summary>Runs the Sim program in-process over string writers.</summary>
internal static class SimHarness
{
    public sealed record Result(int ExitCode, string Out, string Error);

    public static Result Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = SimApp.RunAsync(args, new SimConsole(stdout, stderr, IsInteractive: false)).GetAwaiter().GetResult();
        return new Result(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>The repository root: the nearest ancestor folder of the test binary that holds XeLocked.sln.</summary>
    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "XeLocked.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no XeLocked.sln above {AppContext.BaseDirectory}");
    }
}
