using System.Diagnostics;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using XeLocked.Locking;

namespace XeLocked.Runtime.Tests.Primitives;

/// <summary>
/// The primitives with the tracker off. <see cref="Lockdep.Enabled"/> is fixed per process, so the
/// test re-runs itself in a child process with <c>XELOCKED_LOCKDEP=0</c> and checks there.
/// </summary>
[TestClass]
public sealed class TrackerOffTests
{
    private const string ChildMarker = "XELOCKED_TEST_TRACKER_OFF_CHILD";

    [TestMethod]
    [Timeout(120_000, CooperativeCancellation = true)]
    public void OffPath_MisuseThrowsBclExceptions_NoAllocation_AssertsAreNoOps()
    {
        if (Environment.GetEnvironmentVariable(ChildMarker) != "1")
        {
            RunInChild($"{typeof(TrackerOffTests).FullName}.{nameof(OffPath_MisuseThrowsBclExceptions_NoAllocation_AssertsAreNoOps)}");
            return;
        }

        Assert.IsFalse(XeLocked.Locking.Lockdep.Enabled, "the child runs with XELOCKED_LOCKDEP=0");

        var m = new TrackedMutex("Off.Mutex");
        Assert.IsNull(m.Map, "no per-instance tracker state when off");
        var ex = Assert.ThrowsExactly<SynchronizationLockException>(() => m.Unlock());
        StringAssert.Contains(ex.Message, "Off.Mutex");
        m.Lock();
        Assert.ThrowsExactly<LockRecursionException>(() => m.Lock());
        Assert.ThrowsExactly<InvalidOperationException>(m.Dispose);
        m.Unlock();
        Assert.IsFalse(m.IsHeldByCurrentThread, "held once: the refused recursion did not count");
        m.Dispose();

        var s = new TrackedSpinLock("Off.Spin");
        Assert.ThrowsExactly<SynchronizationLockException>(() => s.Unlock());
        s.Lock();
        Assert.ThrowsExactly<LockRecursionException>(() => s.Lock());
        s.Unlock();
        Assert.IsFalse(s.IsHeldByCurrentThread);

        var rw = new TrackedRwSemaphore("Off.Rw");
        Assert.ThrowsExactly<SynchronizationLockException>(() => rw.UnlockRead());
        rw.LockRead();
        StringAssert.Contains(Assert.ThrowsExactly<SynchronizationLockException>(() => rw.UnlockWrite()).Message, "use UnlockRead");
        Assert.ThrowsExactly<LockRecursionException>(() => rw.LockRead());
        Assert.ThrowsExactly<LockRecursionException>(() => rw.LockWrite());
        Assert.AreEqual(1, rw.ReaderCount);
        rw.UnlockRead();
        rw.LockWrite();
        StringAssert.Contains(Assert.ThrowsExactly<SynchronizationLockException>(() => rw.UnlockRead()).Message, "use UnlockWrite");
        Assert.IsTrue(rw.IsWriteLocked);
        rw.UnlockWrite();
        Assert.AreEqual(0, rw.ReaderCount);

        // Assertions are no-ops (lockdep_assert_* with lockdep off); IsHeld stays exact.
        XeLocked.Locking.Lockdep.AssertHeld(m);
        XeLocked.Locking.Lockdep.Assert(false, "ignored when off");
        s.Lock();
        XeLocked.Locking.Lockdep.AssertNoLocksHeld();
        Assert.IsTrue(XeLocked.Locking.Lockdep.IsHeld(s));
        s.Unlock();

        // No allocation on the off path.
        var m2 = new TrackedMutex("Off.Mutex2");
        void Round()
        {
            m2.Lock();
            m2.Unlock();
            using (m2.Guard())
            {
            }

            s.Lock();
            s.Unlock();
            rw.LockRead();
            rw.UnlockRead();
            using (rw.WriteGuard())
            {
            }
        }

        Assert.AreEqual(0, AllocationProbe.MinBytesPerWindow(Round), "bytes allocated by 10,000 rounds with the tracker off");
    }

    [TestMethod]
    [Timeout(120_000, CooperativeCancellation = true)]
    public void OffPath_AsyncLocks_CompleteSynchronously_NoAllocation_MisuseThrows()
    {
        if (Environment.GetEnvironmentVariable(ChildMarker) != "1")
        {
            RunInChild($"{typeof(TrackerOffTests).FullName}.{nameof(OffPath_AsyncLocks_CompleteSynchronously_NoAllocation_MisuseThrows)}");
            return;
        }

        Assert.IsFalse(XeLocked.Locking.Lockdep.Enabled, "the child runs with XELOCKED_LOCKDEP=0");
        var m = new TrackedAsyncMutex("Off.AsyncMutex");
        Assert.ThrowsExactly<SynchronizationLockException>(() => m.Unlock());
        var t = m.LockAsync();
        Assert.IsTrue(t.IsCompletedSuccessfully, "free: completed synchronously");
        Assert.IsTrue(m.IsHeldByCurrentThread, "off: held by anyone");
        Assert.IsFalse(m.TryLock());
        Assert.ThrowsExactly<InvalidOperationException>(m.Dispose);
        t.Result.Dispose();
        Assert.IsFalse(m.IsLocked);

        var rw = new TrackedAsyncRwLock("Off.AsyncRw");
        Assert.ThrowsExactly<SynchronizationLockException>(() => rw.UnlockWrite());
        Assert.ThrowsExactly<SynchronizationLockException>(() => rw.UnlockRead());
        var r = rw.ReadLockAsync();
        Assert.AreEqual(XeLocked.Annotations.LockMode.Read, rw.HeldModeByCurrentThread);
        Assert.ThrowsExactly<SynchronizationLockException>(() => rw.UnlockWrite());
        r.Result.Dispose();

        void Round()
        {
            m.LockAsync().Result.Dispose();
            rw.ReadLockAsync().Result.Dispose();
            rw.WriteLockAsync().Result.Dispose();
        }

        Assert.AreEqual(0, AllocationProbe.MinBytesPerWindow(Round), "bytes allocated by 10,000 uncontended async rounds with the tracker off");
    }

    private static void RunInChild(string testName)
    {
        var self = Environment.ProcessPath!;
        var psi = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            psi.FileName = self;
            psi.ArgumentList.Add("exec");
            psi.ArgumentList.Add(typeof(TrackerOffTests).Assembly.Location);
        }
        else
        {
            psi.FileName = self;
        }

        psi.ArgumentList.Add("--filter");
        psi.ArgumentList.Add($"FullyQualifiedName={testName}");
        psi.ArgumentList.Add("--results-directory");
        psi.ArgumentList.Add(Path.Combine(Path.GetTempPath(), "xelocked-tracker-off-" + Environment.ProcessId));
        psi.Environment["XELOCKED_LOCKDEP"] = "0";
        psi.Environment[ChildMarker] = "1";
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(100_000))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail("the tracker-off child did not finish");
        }

        var output = stdout.Result + stderr.Result;
        Assert.AreEqual(0, p.ExitCode, "child failed:\n" + output);
        StringAssert.Contains(output, "succeeded: 1", "the child ran exactly the one test:\n" + output);
    }
}
