using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace XeLocked.Runtime.Tests.Sim;

[TestClass]
public sealed class CliUsageTests
{
    [TestMethod]
    public void NoCommandIsUsageError()
    {
        var r = SimHarness.Run();
        Assert.AreEqual(2, r.ExitCode);
        StringAssert.Contains(r.Error, "Required command was not provided");
        StringAssert.Contains(r.Error, "--help");
        Assert.AreEqual("", r.Out);
    }

    [TestMethod]
    public void UnknownCommandIsUsageError()
    {
        var r = SimHarness.Run("frobnicate");
        Assert.AreEqual(2, r.ExitCode);
        StringAssert.Contains(r.Error, "'frobnicate'");
    }

    [TestMethod]
    public void HelpListsTheCommands()
    {
        var r = SimHarness.Run("--help");
        Assert.AreEqual(0, r.ExitCode, r.Error);
        StringAssert.Contains(r.Out, "graph");
    }
}
