using System.Diagnostics;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using XeLocked.Xe;
using static XeLocked.Runtime.Tests.Xe.XeHarness;
using static XeLocked.Runtime.Tests.Xe.XeFixtures;

namespace XeLocked.Runtime.Tests.Xe;

using Lockdep = XeLocked.Locking.Lockdep;

/// <summary>
/// Randomized stress of the whole model under lockdep: faults (all kinds, two GTs), binds, unmaps,
/// madvise, prefetch, CPU munmap/invalidate, eviction, GT resets and VM closes from several threads.
/// Short by default (about a second per locking); <c>XELOCKED_STRESS=1</c> runs 30 s each.
/// </summary>
[TestClass]
public sealed class StressTests
{
    [TestMethod]
    [Timeout(120_000, CooperativeCancellation = true)]
    [DataRow(LockingMode.Fine)]
    [DataRow(LockingMode.Coarse)]
    public void RandomizedWorkloadKeepsEveryInvariant(LockingMode locking)
    {
        var duration = Environment.GetEnvironmentVariable("XELOCKED_STRESS") == "1" ? TimeSpan.FromSeconds(30) : TimeSpan.FromSeconds(1);
        using var h = new XeHarness(new XeOptions
        {
            Locking = locking, NumPfWork = 4, LatencyScale = 0.05, FixH7DeferAttrResetToWriter = true,
            FixH10ResetCrossGtChains = true, FixH12GcRefLeak = true,
        });
        var xe = h.Device;
        var sw = Stopwatch.StartNew();
        var vms = new List<Vm>();
        var vmsLock = new object();
        Vm NewVm()
        {
            var vm = xe.CreateSvmVm(32 * MiB);
            Assert.AreEqual(0, xe.MapBo(vm, 0x4000_0000, 4 * MiB));
            Assert.AreEqual(0, xe.MapUserptr(vm, 0x5000_0000, 1 * MiB));
            return vm;
        }

        for (var i = 0; i < 3; i++)
        {
            vms.Add(NewVm());
        }

        Vm Pick(Random r)
        {
            lock (vmsLock)
            {
                return vms[r.Next(vms.Count)];
            }
        }

        var faults = 0L;
        var producers = Enumerable.Range(0, 2).Select(p => Task.Run(() =>
        {
            var r = new Random(100 + p);
            while (sw.Elapsed < duration)
            {
                var vm = Pick(r);
                var addr = r.Next(4) switch
                {
                    0 or 1 => Base + (ulong)r.Next(32 * 256) * 4096,
                    2 => 0x4000_0000 + (ulong)r.Next(1024) * 4096,
                    _ => 0x5000_0000 + (ulong)r.Next(256) * 4096,
                };
                var s = xe.SubmitFault(new PageFaultRequest(vm.Asid, addr, (AccessType)r.Next(3), r.Next(2)));
                if (s.Accepted)
                {
                    Interlocked.Increment(ref faults);
                }

                if (xe.OutstandingFaults > 2000)
                {
                    SpinWait.SpinUntil(() => xe.OutstandingFaults < 500, 1000);
                }
            }
        })).ToArray();
        var cpu = Task.Run(() =>
        {
            var r = new Random(7);
            while (sw.Elapsed < duration)
            {
                var vm = Pick(r);
                var off = (ulong)r.Next(16) * 2 * MiB;
                switch (r.Next(9))
                {
                    case 0: xe.CpuUnmap(vm, Base + off, 2 * MiB); xe.CpuMap(vm, Base + off, 2 * MiB); break;
                    case 1: xe.CpuInvalidate(vm, Base + off, 2 * MiB); break;
                    case 2: _ = xe.Prefetch(vm, Base + off, 4 * MiB, r.Next(2) == 0 ? PrefetchTarget.Vram : PrefetchTarget.Sram); break;
                    case 3: xe.CpuInvalidate(vm, 0x5000_0000, 1 * MiB); break;
                    case 4: xe.EvictVram(vm); break;
                    case 5: _ = xe.Madvise(vm, Base + off, 2 * MiB, r.Next(2) == 0); break;
                    case 6: _ = xe.MapBo(vm, 0x6000_0000, 1 * MiB); _ = xe.Unmap(vm, 0x6000_0000, 1 * MiB); break;
                    case 7: xe.ResetGt(r.Next(2)); break;
                    default:
                        if (r.Next(10) == 0)
                        {
                            lock (vmsLock)
                            {
                                vms.Remove(vm);
                                vms.Add(NewVm());
                            }

                            Assert.AreEqual(0, xe.CloseVm(vm));
                        }

                        break;
                }
            }
        });
        Task.WaitAll(producers.Append(cpu).ToArray());
        h.WaitIdle(60);
        var st = xe.Stats();
        Assert.IsTrue(faults > 100, $"only {faults} faults");
        Assert.AreEqual(st.Acks + st.Squashed + xe.Ledger.Summarize().Dropped, st.FaultsAccepted, st.ToString());
        h.CheckInvariants(expectSquashed: xe.Ledger.Summarize().Squashed);
        Assert.IsTrue(Lockdep.Enabled);
    }
}
