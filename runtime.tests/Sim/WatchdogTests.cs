using Microsoft.VisualStudio.TestTools.UnitTesting;
using XeLocked.Sim.Scenarios;

namespace XeLocked.Runtime.Tests.Sim;

[TestClass]
public sealed class WatchdogTests
{
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void FiresWhenProgressStallsWithWorkOutstanding()
    {
        using var dog = new Watchdog(TimeSpan.FromMilliseconds(200), () => 42, () => true, () => "worker-0 holds Vm.Lock (write)");
        Assert.IsTrue(dog.Fired.WaitHandle.WaitOne(TimeSpan.FromSeconds(20)), "the watchdog did not fire");
        StringAssert.Contains(dog.Report, "no progress");
        StringAssert.Contains(dog.Report, "worker-0 holds Vm.Lock (write)");
    }

    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void StaysQuietWhenNothingIsOutstanding()
    {
        using var dog = new Watchdog(TimeSpan.FromMilliseconds(100), () => 7, () => false, () => "unused");
        Assert.IsFalse(dog.Fired.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(600)));
        Assert.IsNull(dog.Report);
    }

    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void StaysQuietWhileProgressMoves()
    {
        long counter = 0;
        using var dog = new Watchdog(TimeSpan.FromMilliseconds(300), () => Interlocked.Increment(ref counter), () => true, () => "unused");
        Assert.IsFalse(dog.Fired.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(900)));
        Assert.IsNull(dog.Report);
    }
}
