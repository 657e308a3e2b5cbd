using Microsoft.VisualStudio.TestTools.UnitTesting;
using XeLocked.Xe;

namespace XeLocked.Runtime.Tests.Xe;

/// <summary>
/// The Xe tests' common set-up: where they map SVM, and a VM with its SVM (CPU-address-mirror)
/// VMA, bound or the test fails.
/// </summary>
internal static class XeFixtures
{
    /// <summary>Where the tests' SVM VMAs start (2 MiB aligned).</summary>
    public const ulong Base = 0x1000_0000;

    /// <summary>
    /// A new VM with an SVM VMA over [<see cref="Base"/> + <paramref name="offset"/>, + <paramref name="size"/>);
    /// fails the test unless the bind succeeds.
    /// </summary>
    /// <param name="xe">The device.</param>
    /// <param name="size">The VMA's size.</param>
    /// <param name="preferVram">Faults migrate to VRAM.</param>
    /// <param name="cpuMap">The CPU maps the range too (malloc'ed memory).</param>
    /// <param name="offset">From <see cref="Base"/>.</param>
    public static Vm CreateSvmVm(this XeDevice xe, ulong size, bool preferVram = true, bool cpuMap = true, ulong offset = 0)
    {
        var vm = xe.CreateVm();
        xe.BindSvm(vm, size, preferVram, cpuMap, offset);
        return vm;
    }

    /// <summary>
    /// <see cref="CreateSvmVm(XeDevice, ulong, bool, bool, ulong)"/> on the harness's device, for the
    /// set-up most scenarios start with: <c>var (xe, vm) = h.CreateSvmVm(2 * MiB);</c>.
    /// </summary>
    /// <param name="h">The harness.</param>
    /// <param name="size">The VMA's size.</param>
    /// <param name="preferVram">Faults migrate to VRAM.</param>
    /// <param name="cpuMap">The CPU maps the range too (malloc'ed memory).</param>
    /// <param name="offset">From <see cref="Base"/>.</param>
    /// <returns>The device and the new VM.</returns>
    public static (XeDevice Device, Vm Vm) CreateSvmVm(this XeHarness h, ulong size, bool preferVram = true, bool cpuMap = true, ulong offset = 0) =>
        (h.Device, h.Device.CreateSvmVm(size, preferVram, cpuMap, offset));

    /// <summary>
    /// Binds an SVM VMA over [<see cref="Base"/> + <paramref name="offset"/>, + <paramref name="size"/>)
    /// in <paramref name="vm"/>; fails the test unless the bind succeeds.
    /// </summary>
    /// <param name="xe">The device.</param>
    /// <param name="vm">The VM.</param>
    /// <param name="size">The VMA's size.</param>
    /// <param name="preferVram">Faults migrate to VRAM.</param>
    /// <param name="cpuMap">The CPU maps the range too (malloc'ed memory).</param>
    /// <param name="offset">From <see cref="Base"/>.</param>
    public static void BindSvm(this XeDevice xe, Vm vm, ulong size, bool preferVram = true, bool cpuMap = true, ulong offset = 0)
    {
        var start = Base + offset;
        var error = xe.MapSvm(vm, start, size, preferVram, cpuMap);
        Assert.AreEqual(0, error, $"MapSvm(0x{start:x}, {size:N0} bytes) failed: {Errno.Name(error)}");
    }
}
