using Microsoft.VisualStudio.TestTools.UnitTesting;
using XeLocked.Annotations;
using XeLocked.Locking;
using XeLocked.Runtime.Tests.Lockdep.Support;

namespace XeLocked.Runtime.Tests.Primitives;

[TestClass]
public sealed class TryLockTests
{
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    [DynamicData(nameof(ExclusiveLock.Kinds), typeof(ExclusiveLock))]
    public void TryLock_SucceedsWhenFree_FailsWhenHeldElsewhereOrHere(string kind)
    {
        var l = ExclusiveLock.Create(kind, Names.Prefix("Tl") + ".Lock");
        Assert.IsTrue(l.TryLock());
        Assert.IsTrue(l.Tracked.IsHeldByCurrentThread);
        Assert.IsFalse(l.TryLock(), "no recursion through trylock");
        l.Unlock();
        Assert.IsFalse(l.Tracked.IsHeldByCurrentThread);

        using var holding = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var other = Bounded.Start(() =>
        {
            l.Lock();
            holding.Set();
            release.Wait(Bounded.Timeout);
            l.Unlock();
        }, "holder");
        Assert.IsTrue(holding.Wait(Bounded.Timeout));
        Assert.IsFalse(l.TryLock(), "held by another thread");
        Assert.IsFalse(l.Tracked.IsHeldByCurrentThread);
        release.Set();
        Bounded.Join(other);
        Assert.IsTrue(l.TryLock());
        l.Unlock();
    }

    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void RwSemaphore_TryLockWrite_FailsWhileReadersHold_TryLockRead_FailsWhileWriterHolds()
    {
        var sem = new TrackedRwSemaphore(Names.Prefix("Tr") + ".Lock");
        using var holding = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var mode = LockMode.Read;
        void Holder()
        {
            if (mode == LockMode.Read)
            {
                sem.LockRead();
            }
            else
            {
                sem.LockWrite();
            }

            holding.Set();
            release.Wait(Bounded.Timeout);
            if (mode == LockMode.Read)
            {
                sem.UnlockRead();
            }
            else
            {
                sem.UnlockWrite();
            }
        }

        var t = Bounded.Start(Holder, "reader");
        Assert.IsTrue(holding.Wait(Bounded.Timeout));
        Assert.IsFalse(sem.TryLockWrite());
        release.Set();
        Bounded.Join(t);

        holding.Reset();
        release.Reset();
        mode = LockMode.Write;
        t = Bounded.Start(Holder, "writer");
        Assert.IsTrue(holding.Wait(Bounded.Timeout));
        Assert.IsFalse(sem.TryLockRead());
        Assert.IsFalse(sem.TryLockWrite());
        release.Set();
        Bounded.Join(t);
        Assert.IsTrue(sem.TryLockWrite());
        sem.UnlockWrite();
    }
}
