using Microsoft.VisualStudio.TestTools.UnitTesting;
using XeLocked.Xe;

namespace XeLocked.Runtime.Tests.Xe;

/// <summary>
/// <see cref="Kref"/>, the reference count of <see cref="Vm"/> and <see cref="SvmRange"/>: one at
/// creation, get and put, the last put reported exactly once (also when the puts race), and a use
/// after free or an underflow is an exception that leaves the count at zero.
/// </summary>
[TestClass]
public sealed class KrefTests
{
    private const string Owner = "test-object";

    [TestMethod]
    public void StartsAtOne_GetAddsOne_OnlyTheLastPutReleases()
    {
        var c = new Counted();
        Assert.AreEqual(1, c.Ref.Count, "the creator's reference");

        c.Ref.Get(Owner);
        c.Ref.Get(Owner);
        Assert.AreEqual(3, c.Ref.Count);

        Assert.IsFalse(c.Ref.Put(Owner));
        Assert.IsFalse(c.Ref.Put(Owner));
        Assert.AreEqual(1, c.Ref.Count);
        Assert.IsTrue(c.Ref.Put(Owner), "the put that drops the last reference releases");
        Assert.AreEqual(0, c.Ref.Count);
    }

    [TestMethod]
    public void PutAfterRelease_IsUnderflow_ThrowsAndStaysAtZero()
    {
        var c = new Counted();
        Assert.IsTrue(c.Ref.Put(Owner));

        var ex = Assert.ThrowsExactly<InvalidOperationException>(() => c.Ref.Put(Owner));
        StringAssert.Contains(ex.Message, Owner);
        StringAssert.Contains(ex.Message, "underflow");
        Assert.AreEqual(0, c.Ref.Count, "not driven negative");
    }

    [TestMethod]
    public void GetAfterRelease_IsUseAfterFree_ThrowsAndStaysAtZero()
    {
        var c = new Counted();
        Assert.IsTrue(c.Ref.Put(Owner));

        var ex = Assert.ThrowsExactly<InvalidOperationException>(() => c.Ref.Get(Owner));
        StringAssert.Contains(ex.Message, Owner);
        StringAssert.Contains(ex.Message, "use after free");
        Assert.AreEqual(0, c.Ref.Count, "not revived");
        Assert.ThrowsExactly<InvalidOperationException>(() => c.Ref.Put(Owner));
    }

    /// <summary>
    /// Threads released together by a barrier put all the references of one object at once, round
    /// after round: exactly one put per round reports the release, and the count ends at zero.
    /// </summary>
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void RacingPuts_ReleaseExactlyOnce()
    {
        const int threads = 4;
        const int putsPerThread = 250;
        const int rounds = 40;
        Counted? current = null;
        var releases = 0;
        using var start = new Barrier(threads + 1);
        using var done = new Barrier(threads + 1);

        var errors = RunThreads(threads, () =>
        {
            for (var round = 0; round < rounds; round++)
            {
                if (!start.SignalAndWait(TestSync.Bound))
                {
                    return;
                }

                for (var i = 0; i < putsPerThread; i++)
                {
                    if (current!.Ref.Put(Owner))
                    {
                        Interlocked.Increment(ref releases);
                    }
                }

                if (!done.SignalAndWait(TestSync.Bound))
                {
                    return;
                }
            }
        }, out var workers);

        for (var round = 0; round < rounds; round++)
        {
            var c = new Counted();
            for (var i = 1; i < threads * putsPerThread; i++)
            {
                c.Ref.Get(Owner); // with the creator's: one reference per put to come
            }

            current = c;
            Assert.IsTrue(start.SignalAndWait(TestSync.Bound), $"round {round}: workers did not start");
            Assert.IsTrue(done.SignalAndWait(TestSync.Bound), $"round {round}: workers did not finish");
            Assert.AreEqual(round + 1, Volatile.Read(ref releases), $"round {round}: one release");
            Assert.AreEqual(0, c.Ref.Count);
        }

        JoinAll(workers, errors);
    }

    /// <summary>
    /// While one reference stays out, threads get and put concurrently: no put reports a release,
    /// and the count is back to one at the end.
    /// </summary>
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void RacingGetsAndPuts_WhileAReferenceIsHeld_NeverRelease()
    {
        const int threads = 4;
        const int pairsPerThread = 2_000;
        var c = new Counted();
        var releases = 0;
        using var start = new Barrier(threads);

        var errors = RunThreads(threads, () =>
        {
            if (!start.SignalAndWait(TestSync.Bound))
            {
                return;
            }

            for (var i = 0; i < pairsPerThread; i++)
            {
                c.Ref.Get(Owner);
                if (c.Ref.Put(Owner))
                {
                    Interlocked.Increment(ref releases);
                }
            }
        }, out var workers);
        JoinAll(workers, errors);

        Assert.AreEqual(0, releases);
        Assert.AreEqual(1, c.Ref.Count);
        Assert.IsTrue(c.Ref.Put(Owner));
    }

    [TestMethod]
    public void Vm_PutPastItsLastReference_Throws()
    {
        using var h = new XeHarness();
        var vm = h.Device.CreateVm();
        Assert.AreEqual(0, h.Device.CloseVm(vm));
        Assert.AreEqual(0, vm.RefCount, "closed: the device's reference was the last");

        var ex = Assert.ThrowsExactly<InvalidOperationException>(vm.Put);
        StringAssert.Contains(ex.Message, vm.ToString());
        Assert.ThrowsExactly<InvalidOperationException>(() => vm.Get());
        Assert.AreEqual(0, vm.RefCount);
    }

    /// <summary>Starts <paramref name="count"/> threads running <paramref name="body"/>; their exceptions go to the returned queue.</summary>
    private static System.Collections.Concurrent.ConcurrentQueue<Exception> RunThreads(int count, Action body, out List<Thread> threads)
    {
        var errors = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        threads = Enumerable.Range(0, count).Select(_ => new Thread(() =>
        {
            try
            {
                body();
            }
            catch (Exception e)
            {
                errors.Enqueue(e);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        return errors;
    }

    private static void JoinAll(List<Thread> threads, System.Collections.Concurrent.ConcurrentQueue<Exception> errors)
    {
        foreach (var t in threads)
        {
            Assert.IsTrue(t.Join(TestSync.Bound), "a worker did not finish");
        }

        Assert.IsTrue(errors.IsEmpty, string.Join("\n", errors));
    }

    /// <summary>The counted object: the count is a struct embedded in one of its fields, as in the model.</summary>
    private sealed class Counted
    {
        public Kref Ref = new();
    }
}
