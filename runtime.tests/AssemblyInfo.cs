using Microsoft.VisualStudio.TestTools.UnitTesting;

[assembly: Parallelize(Workers = 0, Scope = ExecutionScope.ClassLevel)]

namespace XeLocked.Runtime.Tests;

/// <summary>
/// Runs before any test: the runtime tests exercise the lockdep tracker, so it is switched on even
/// in a Release build of the tests (it is on by default in Debug) unless the environment says
/// otherwise (the tracker-off child process sets <c>XELOCKED_LOCKDEP=0</c>). <c>Lockdep.Enabled</c>
/// is read once, when the tracker is first used, which is after this.
/// </summary>
[TestClass]
public static class TestAssemblySetup
{
    [AssemblyInitialize]
    public static void EnableLockdep(TestContext context)
    {
        _ = context;
        if (Environment.GetEnvironmentVariable("XELOCKED_LOCKDEP") is null)
        {
            Environment.SetEnvironmentVariable("XELOCKED_LOCKDEP", "1");
        }
    }
}
