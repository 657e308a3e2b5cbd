using Microsoft.VisualStudio.TestTools.UnitTesting;
using XeLocked.Xe;
using static XeLocked.Runtime.Tests.Xe.XeHarness;
using static XeLocked.Runtime.Tests.Xe.XeFixtures;

namespace XeLocked.Runtime.Tests.Xe;

using Lockdep = XeLocked.Locking.Lockdep;

[TestClass]
public sealed class SmokeTests
{
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    [DataRow(LockingMode.Fine)]
    [DataRow(LockingMode.Coarse)]
    public void FaultsOnSvmBoAndUserptrAreServicedAndAckedOnce(LockingMode locking)
    {
        using var h = new XeHarness(Fast() with { Locking = locking });
        var (xe, vm) = h.CreateSvmVm(8 * MiB);
        Assert.AreEqual(0, xe.MapBo(vm, 0x2000_0000, 1 * MiB));
        Assert.AreEqual(0, xe.MapUserptr(vm, 0x3000_0000, 256 * KiB));

        for (ulong i = 0; i < 8; i++)
        {
            h.Fault(vm, 0x1000_0000 + i * MiB);
            h.Fault(vm, 0x2000_0000 + i * 4096);
            h.Fault(vm, 0x3000_0000 + i * 4096, AccessType.Write);
        }

        h.WaitIdle();
        var st = xe.Stats();
        Assert.AreEqual(24L, st.Acks);
        Assert.AreEqual(24L, st.AcksSuccess, st.ToString());
        Assert.IsTrue(st.Services >= 3 && st.Services <= 24, $"services={st.Services}");
        Assert.IsTrue(st.Migrations >= 1, st.ToString());
        h.CheckInvariants();
    }

    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void BadInputGetsTheDriversErrors()
    {
        using var h = new XeHarness();
        var (xe, vm) = h.CreateSvmVm(2 * MiB);
        var unknownAsid = xe.SubmitFault(new PageFaultRequest(999, 0x1000_0000));
        var noVma = xe.SubmitFault(new PageFaultRequest(vm.Asid, 0x9000_0000));
        var badGt = xe.SubmitFault(new PageFaultRequest(vm.Asid, 0x1000_0000, Gt: 7));
        var nack = xe.SubmitFault(new PageFaultRequest(vm.Asid, 0x1000_0000) { Nack = true });
        Assert.IsTrue(unknownAsid.Accepted && noVma.Accepted && nack.Accepted);
        Assert.AreEqual(-Errno.EINVAL, badGt.Error);
        h.WaitIdle();
        Assert.AreEqual(-Errno.EINVAL, xe.Ledger[unknownAsid.FaultId]!.LastError);
        Assert.AreEqual(-Errno.EINVAL, xe.Ledger[noVma.FaultId]!.LastError);
        Assert.AreEqual(-Errno.EFAULT, xe.Ledger[nack.FaultId]!.LastError);
        Assert.AreEqual(0, xe.CloseVm(vm));
        var closed = xe.SubmitFault(new PageFaultRequest(vm.Asid, 0x1000_0000));
        h.WaitIdle();
        Assert.AreEqual(-Errno.EINVAL, xe.Ledger[closed.FaultId]!.LastError); // ASID gone after close
        h.CheckInvariants();
    }
}
