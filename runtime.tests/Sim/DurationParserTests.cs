using Microsoft.VisualStudio.TestTools.UnitTesting;
using XeLocked.Sim.Cli;

namespace XeLocked.Runtime.Tests.Sim;

[TestClass]
public sealed class DurationParserTests
{
    [TestMethod]
    [DataRow("200us", "us", 2000L)]
    [DataRow("1.5ms", "us", 15000L)]
    [DataRow("2s", "us", 20_000_000L)]
    [DataRow("1m", "s", 600_000_000L)]
    [DataRow("30", "s", 300_000_000L)]
    [DataRow("30", "us", 300L)]
    [DataRow("0", "us", 0L)]
    public void ParsesUnits(string text, string defaultUnit, long ticks)
    {
        Assert.IsTrue(DurationParser.TryParse(text, defaultUnit, out var value, out var error), error);
        Assert.AreEqual(ticks, value.Ticks);
    }

    [TestMethod]
    [DataRow("fast", "not a duration")]
    [DataRow("-5ms", "negative")]
    [DataRow("10h", "not a duration")]
    [DataRow("2000m", "longer than a day")]
    public void RejectsBadText(string text, string message)
    {
        Assert.IsFalse(DurationParser.TryParse(text, "s", out _, out var error));
        StringAssert.Contains(error, message);
    }
}
