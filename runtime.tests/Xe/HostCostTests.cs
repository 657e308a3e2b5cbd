using System.Diagnostics;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using XeLocked.Xe;
using static XeLocked.Runtime.Tests.Xe.XeHarness;
using static XeLocked.Runtime.Tests.Xe.XeFixtures;

namespace XeLocked.Runtime.Tests.Xe;

/// <summary>The fault path's host CPU costs (lookups, valid check, CT ring write) are charged per serviced fault and ack.</summary>
[TestClass]
public sealed class HostCostTests
{
    private static readonly TimeSpan Cost = TimeSpan.FromMilliseconds(10);

    /// <summary>Every device latency zero, every host cost <see cref="Cost"/>: a fault's time is the host costs it pays.</summary>
    private static XeOptions HostCostsOnly(TimeSpan cost) => new()
    {
        LatencyScale = 1,
        NumPfWork = 1,
        Chaining = false,
        LastFaultCache = false,
        PtUpdateLatency = TimeSpan.Zero,
        MigrationBaseLatency = TimeSpan.Zero,
        MigrationBytesPerMicrosecond = 1e12,
        GetPagesBaseLatency = TimeSpan.Zero,
        GetPagesBytesPerMicrosecond = 1e12,
        BoValidateLatency = TimeSpan.Zero,
        UserptrPinLatency = TimeSpan.Zero,
        CtDoorbellLatency = TimeSpan.Zero,
        TlbInvalidationLatency = TimeSpan.Zero,
        AsidLookupLatency = cost,
        VmaLookupLatency = cost,
        RangeLookupLatency = cost,
        ValidCheckLatency = cost,
        CtWriteLatency = cost,
    };

    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void AServicedSvmFault_PaysEveryHostCost()
    {
        using var h = new XeHarness(HostCostsOnly(Cost));
        var (xe, vm) = h.CreateSvmVm(4 * MiB);

        foreach (var addr in new[] { Base, Base + 0x1000 }) // the slow path, then the already-valid path
        {
            var sw = Stopwatch.StartNew();
            Assert.IsTrue(h.Fault(vm, addr).Accepted);
            h.WaitIdle();
            // ASID lookup + VMA lookup + range lookup + valid check + the ack's CT write, each a busy 10 ms.
            Assert.IsTrue(sw.Elapsed >= 5 * Cost, $"fault at {addr:x}: {sw.Elapsed.TotalMilliseconds:0.0} ms < 5 host costs");
        }

        Assert.AreEqual(2L, xe.Stats().Acks);
        h.CheckInvariants();
    }

    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void ABoFault_PaysTheLookupsTheValidCheckAndTheCtWrite()
    {
        using var h = new XeHarness(HostCostsOnly(Cost));
        var xe = h.Device;
        var vm = xe.CreateVm();
        Assert.AreEqual(0, xe.MapBo(vm, Base, 2 * MiB));
        var sw = Stopwatch.StartNew();
        Assert.IsTrue(h.Fault(vm, Base).Accepted);
        h.WaitIdle();
        // No SVM range lookup on the VMA path: ASID + VMA + valid check + CT write.
        Assert.IsTrue(sw.Elapsed >= 4 * Cost, $"{sw.Elapsed.TotalMilliseconds:0.0} ms < 4 host costs");
        h.CheckInvariants();
    }

    [TestMethod]
    public void NegativeHostCostsAreRejected()
    {
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new XeDevice(new XeOptions { AsidLookupLatency = TimeSpan.FromTicks(-1) }));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new XeDevice(new XeOptions { VmaLookupLatency = TimeSpan.FromTicks(-1) }));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new XeDevice(new XeOptions { RangeLookupLatency = TimeSpan.FromTicks(-1) }));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new XeDevice(new XeOptions { ValidCheckLatency = TimeSpan.FromTicks(-1) }));
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new XeDevice(new XeOptions { CtWriteLatency = TimeSpan.FromTicks(-1) }));
        Assert.AreEqual(nameof(XeOptions.CtWriteLatency), e.ParamName);
    }
}
