using System.Diagnostics;
using XeLocked.Sim.Output;
using XeLocked.Xe;

namespace XeLocked.Sim.Scenarios;

/// <summary>
/// Threaded vs single-threaded prefetch (P03) on one device: a prefetch-only bind of
/// <c>ranges</c> × 2 MiB SVM ranges to VRAM, which the model migrates on the prefetch workqueue
/// (<c>num_pf_work</c> items at once), against the pre-P03 loop — the same call on a second,
/// untouched area of the same size with <c>threaded: false</c>, which migrates the ranges one after
/// the other in the calling thread. Each is repeated
/// <see cref="Repeats"/> times on fresh ranges and the total times compared.
/// </summary>
internal static class PrefetchBench
{
    /// <summary>How many times each variant runs (fresh ranges each time).</summary>
    public const int Repeats = 5;

    /// <summary>Runs the benchmark.</summary>
    public static PrefetchReport Run(ModelSettings settings, int ranges)
    {
        using var run = new ModelRun(ModelFactory.Options(settings), 0);
        var xe = run.Device;
        var vm = xe.CreateVm();
        var bytes = (ulong)ranges * Layout.Range2M;
        var failures = new List<string>();
        var err = xe.MapSvm(vm, Layout.SvmBase, 2 * Repeats * bytes);
        if (err != 0)
        {
            failures.Add($"MapSvm failed: {Errno.Name(err)}");
        }

        var threaded = TimeSpan.Zero;
        var single = TimeSpan.Zero;
        long maxConcurrent = 0;
        for (var rep = 0; rep < Repeats && failures.Count == 0; rep++)
        {
            var threadedStart = Layout.SvmBase + (ulong)(2 * rep) * bytes;
            var singleStart = threadedStart + bytes;
            var sw = Stopwatch.StartNew();
            err = xe.Prefetch(vm, threadedStart, bytes, PrefetchTarget.Vram);
            threaded += sw.Elapsed;
            if (err != 0)
            {
                failures.Add($"threaded prefetch failed: {Errno.Name(err)}");
            }

            maxConcurrent = Math.Max(maxConcurrent, xe.Stats().MaxConcurrentMigrations);
            sw.Restart();
            err = xe.Prefetch(vm, singleStart, bytes, PrefetchTarget.Vram, threaded: false);
            single += sw.Elapsed;
            if (err != 0)
            {
                failures.Add($"single-threaded prefetch failed: {Errno.Name(err)}");
            }
        }

        var migrations = xe.Stats().Migrations;
        if (failures.Count == 0 && migrations != 2L * Repeats * ranges)
        {
            failures.Add($"expected {2 * Repeats * ranges} migrations (each range once), saw {migrations}");
        }

        var report = run.Finish("prefetch", settings, null, TimeSpan.FromSeconds(30), new[] { vm });
        failures.AddRange(report.Failures);
        return new PrefetchReport
        {
            Ranges = ranges,
            Bytes = (long)bytes * Repeats,
            Threaded = threaded,
            SingleThreaded = single,
            MaxConcurrentMigrations = maxConcurrent,
            Failures = failures,
        };
    }
}
