using Microsoft.VisualStudio.TestTools.UnitTesting;
using XeLocked.Locking;

namespace XeLocked.Runtime.Tests.Primitives;

[TestClass]
public sealed class TrackedMutexBasicsTests
{
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void MutualExclusionUnderContention()
    {
        var m = new TrackedMutex("Test.Counter");
        long counter = 0;
        const int Threads = 4, Iterations = 20_000;
        var threads = Enumerable.Range(0, Threads).Select(_ => new Thread(() =>
        {
            for (var i = 0; i < Iterations; i++)
            {
                m.Lock();
                var v = counter;
                counter = v + 1;
                m.Unlock();
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.AreEqual((long)Threads * Iterations, counter);
    }

    [TestMethod]
    public void UnlockNotHeldThrows()
    {
        var m = new TrackedMutex("Test.NotHeld");
        Assert.ThrowsExactly<SynchronizationLockException>(() => m.Unlock());
        m.Lock();
        m.Unlock();
        Assert.IsFalse(m.IsHeldByCurrentThread);
    }
}
