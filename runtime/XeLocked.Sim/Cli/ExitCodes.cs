namespace XeLocked.Sim.Cli;

/// <summary>The program's exit codes.</summary>
public static class ExitCodes
{
    /// <summary>The command ran and every check passed.</summary>
    public const int Success = 0;

    /// <summary>The run failed: an invariant was violated, lockdep reported, or the watchdog saw a hang.</summary>
    public const int RunFailure = 1;

    /// <summary>Bad usage: an unknown command or option, or an option value out of range.</summary>
    public const int Usage = 2;
}
