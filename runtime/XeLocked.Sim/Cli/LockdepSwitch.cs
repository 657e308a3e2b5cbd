namespace XeLocked.Sim.Cli;

/// <summary>
/// Turns the lockdep tracker on for the commands that need it (<c>run</c>, <c>stress</c>). The
/// tracker reads <c>XELOCKED_LOCKDEP</c> once, when it is first used, so the switch must happen
/// after parsing and before any command touches a lock; a value the user set explicitly wins.
/// </summary>
internal static class LockdepSwitch
{
    /// <summary>The environment variable the tracker reads.</summary>
    public const string Variable = "XELOCKED_LOCKDEP";

    /// <summary>Asks for the tracker on (<paramref name="on"/>) or off, unless the user set the variable.</summary>
    /// <returns>False when the user's own setting overrides the request.</returns>
    public static bool Request(bool on)
    {
        var current = Environment.GetEnvironmentVariable(Variable);
        if (current is "0" or "1")
        {
            return current == (on ? "1" : "0");
        }

        Environment.SetEnvironmentVariable(Variable, on ? "1" : "0");
        return true;
    }
}
