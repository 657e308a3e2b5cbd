namespace XeLocked.Sim.Cli;

/// <summary>
/// A run failed its checks (an invariant, a lockdep report, a hang). The command prints
/// <see cref="Exception.Message"/> to standard error and exits with <see cref="ExitCodes.RunFailure"/>.
/// </summary>
public sealed class SimFailureException : Exception
{
    /// <summary>Creates the exception with a message that says what failed, for the user.</summary>
    /// <param name="message">What failed and how to reproduce it.</param>
    public SimFailureException(string message)
        : base(message)
    {
    }
}
