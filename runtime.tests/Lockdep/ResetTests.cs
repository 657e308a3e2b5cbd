using Microsoft.VisualStudio.TestTools.UnitTesting;
using XeLocked.Locking;
using XeLocked.Runtime.Tests.Lockdep.Support;
using LD = XeLocked.Locking.Lockdep;

namespace XeLocked.Runtime.Tests.Lockdep;

/// <summary>
/// Tests that change process-wide tracker state (the learned graph, the turned-off switch). They
/// do not run in parallel with anything else: the Xe-model tests rely on that state.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class ResetTests
{
    [TestMethod]
    public void Reset_ForgetsEdgesAndChains_KeepsHeldLocksAndDeclaredOrder()
    {
        var p = Names.Prefix("Zr");
        var a = new TrackedMutex($"{p}.A");
        var b = new TrackedMutex($"{p}.B");
        var held = new TrackedMutex($"{p}.Held");
        using var scope = LD.CaptureReports(LockdepMode.Throw);
        a.Lock();
        b.Lock();
        b.Unlock();
        a.Unlock();
        held.Lock();

        LD.Reset();
        Assert.IsFalse(LD.ObservedEdges.Any(e => e.From == $"{p}.A"));
        b.Lock();
        a.Lock(); // B -> A is fine now: A -> B was forgotten
        a.Unlock();
        b.Unlock();
        Assert.AreEqual(0, scope.Reports.Count);
        held.Unlock(); // the held stack survived the reset: no bad unlock
        Assert.AreEqual(0, scope.Reports.Count);
        LD.AssertNoLocksHeld();
    }

    [TestMethod]
    public void TurnOffAfterFirstReport_BehavesLikeLinux_UntilReset()
    {
        var p = Names.Prefix("Zo");
        var a = new TrackedMutex($"{p}.A");
        var b = new TrackedMutex($"{p}.B");
        LD.TurnOffAfterFirstReport = true;
        try
        {
            using var scope = LD.CaptureReports(LockdepMode.Record);
            a.Unlock();
            Assert.IsFalse(LD.IsValidating);
            a.Lock();
            b.Lock();
            b.Unlock();
            a.Unlock();
            b.Lock();
            a.Lock(); // ABBA, unseen: validation is off
            LD.AssertHeld(new TrackedMutex($"{p}.Never")); // asserts pass when off
            a.Unlock();
            b.Unlock();
            Assert.AreEqual(1, scope.Reports.Count);

            LD.Reset();
            Assert.IsTrue(LD.IsValidating);
            b.Lock(); // the held stacks were kept while off, so the tracker resumes correctly
            b.Unlock();
            b.Unlock();
            Assert.AreEqual(2, scope.Reports.Count);
            Assert.AreEqual(LockdepViolationKind.BadUnlockBalance, scope.Reports[1].Kind);
        }
        finally
        {
            LD.TurnOffAfterFirstReport = false;
            LD.Reset();
        }
    }
}
