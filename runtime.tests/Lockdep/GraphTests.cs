using Microsoft.VisualStudio.TestTools.UnitTesting;
using XeLocked.Locking;
using XeLocked.Runtime.Tests.Lockdep.Support;
using LD = XeLocked.Locking.Lockdep;

namespace XeLocked.Runtime.Tests.Lockdep;

/// <summary>The observed graph: edges with their first location and types, and memory bounded by distinct classes and chains.</summary>
[TestClass]
public sealed class GraphTests
{
    [TestMethod]
    public void ObservedEdges_CarryFirstLocationAndDependencyTypes()
    {
        var p = Names.Prefix("Ge");
        var rw = new TrackedRwSemaphore($"{p}.Rw");
        var m = new TrackedMutex($"{p}.M");
        using var scope = LD.CaptureReports(LockdepMode.Throw);
        rw.LockRead("g.cs", 1);
        m.Lock("g.cs", 2);
        m.Unlock();
        rw.UnlockRead();
        rw.LockWrite("g.cs", 3);
        m.Lock("g.cs", 4);
        m.Unlock();
        rw.UnlockWrite();

        var e = LD.ObservedEdges.Single(x => x.From == $"{p}.Rw");
        Assert.AreEqual($"{p}.M", e.To);
        Assert.AreEqual("EN|SN", e.Types);
        Assert.AreEqual(("g.cs", 1, "g.cs", 2), (e.FromFile, e.FromLine, e.File, e.Line), "the first time it was seen");
    }

    [TestMethod]
    public void RepeatedAcquisitions_DoNotGrowTheState()
    {
        var p = Names.Prefix("Gm");
        var a = new TrackedMutex($"{p}.A");
        var b = new TrackedSpinLock($"{p}.B");
        var c = new TrackedRwSemaphore($"{p}.C");
        using var scope = LD.CaptureReports(LockdepMode.Throw);
        void Round()
        {
            using (a.Guard())
            using (b.Guard())
            {
            }

            using (a.Guard())
            using (c.ReadGuard())
            {
            }
        }

        Round();
        var edges = LD.ObservedEdges.Count(e => e.From.StartsWith(p, StringComparison.Ordinal));
        Assert.AreEqual(2, edges);
        var chains = ChainCache.Count;
        for (var i = 0; i < 10_000; i++)
        {
            Round();
        }

        Assert.AreEqual(edges, LD.ObservedEdges.Count(e => e.From.StartsWith(p, StringComparison.Ordinal)));
        Assert.IsTrue(ChainCache.Count - chains <= 0 || ChainCache.Count < chains + 50, "no chain per acquisition (other tests may add a few of their own)");
        var stats = LD.Statistics;
        Assert.IsTrue(stats.Classes > 0 && stats.Edges > 0 && stats.Chains > 0, stats.ToString());
    }

    [TestMethod]
    public void ChainCacheHit_SkipsValidation_WhileANewChainIsValidated()
    {
        var p = Names.Prefix("Gc");
        var a = new TrackedMutex($"{p}.A");
        var b = new TrackedMutex($"{p}.B");
        var cls = LockClassRegistry.Get($"{p}.A", 0);
        using var scope = LD.CaptureReports(LockdepMode.Throw);
        b.Lock();
        var key = ChainKey.Next(HeldStack.Current.ChainKey, cls.Id, ReadKind.Exclusive);
        Assert.IsFalse(ChainCache.Contains(key), "a new chain");
        a.Lock();
        Assert.IsTrue(ChainCache.Contains(key), "validated once, cached");
        a.Unlock();
        b.Unlock();
        Assert.AreNotEqual(key, ChainKey.Next(ChainKey.Next(ChainKey.Initial, LockClassRegistry.Get($"{p}.B", 0).Id, ReadKind.Shared), cls.Id, ReadKind.Exclusive),
            "the read mode is part of the key");
    }
}
