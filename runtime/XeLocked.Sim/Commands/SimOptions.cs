using System.CommandLine;
using System.CommandLine.Parsing;
using XeLocked.Sim.Cli;

namespace XeLocked.Sim.Commands;

/// <summary>
/// The options shared by <c>run</c>, <c>bench</c> and <c>stress</c>, each with its validation, so
/// that a bad value is a parse error (exit 2) with a message that names the option and the range.
/// Every call creates fresh option objects (one set per command).
/// </summary>
internal static class SimOptions
{
    /// <summary>Upper bound of <c>--workers</c>: the driver's <c>num_pf_work</c> modparam allows 1 to 8.</summary>
    public const int MaxWorkers = 8;

    /// <summary>Upper bound of <c>--faults</c>.</summary>
    public const long MaxFaults = 100_000_000;

    /// <summary><c>--locking fine|coarse</c>.</summary>
    public static Option<string> Locking(string defaultValue = "fine")
    {
        var o = new Option<string>("--locking", "-l")
        {
            Description = "Fault locking: 'fine' (the series: vm.Lock read + per-range/VMA locks) or 'coarse' (vm.Lock write for every fault).",
            DefaultValueFactory = _ => defaultValue,
            HelpName = "fine|coarse",
        };
        o.AcceptOnlyFromAmong("fine", "coarse");
        return o;
    }

    /// <summary><c>--workers N</c>: page-fault workers (num_pf_work), 1 to <see cref="MaxWorkers"/>.</summary>
    public static Option<int> Workers(int defaultValue)
    {
        var o = new Option<int>("--workers", "-w")
        {
            Description = $"Page-fault workers (num_pf_work), 1 to {MaxWorkers}.",
            DefaultValueFactory = _ => defaultValue,
        };
        AddRange(o, 1, MaxWorkers);
        return o;
    }

    /// <summary><c>--faults N</c>: GPU faults to submit, 1 to <see cref="MaxFaults"/>.</summary>
    public static Option<long> Faults(long defaultValue, string description)
    {
        var o = new Option<long>("--faults", "-n")
        {
            Description = $"{description} (1 to {MaxFaults:N0}).",
            DefaultValueFactory = _ => defaultValue,
        };
        AddRange(o, 1L, MaxFaults);
        return o;
    }

    /// <summary><c>--seed N</c>: the workload's random seed; the same seed gives the same workload.</summary>
    public static Option<int> Seed() => new("--seed", "-s")
    {
        Description = "Seed of the workload; the same seed submits the same faults in the same order.",
        DefaultValueFactory = _ => 1,
    };

    /// <summary><c>--duration D</c>: a time cap on submitting faults (e.g. <c>30s</c>); none by default.</summary>
    public static Option<TimeSpan?> Duration() => DurationOption(
        "--duration", "Stop submitting new faults after this long (e.g. 30s, 2m); the run still drains and acks every submitted fault.", "s", allowZero: false);

    /// <summary><c>--json FILE</c>: also write the results as JSON.</summary>
    public static Option<FileInfo?> Json(bool required = false)
    {
        var o = new Option<FileInfo?>("--json")
        {
            Description = "Write the results as one JSON object to FILE.",
            HelpName = "FILE",
            Required = required,
        };
        o.Validators.Add(r =>
        {
            if (TryGetValue<FileInfo?>(r, out var f) && f is not null && Directory.Exists(f.FullName))
            {
                r.AddError($"--json: '{f.FullName}' is a directory; give a file name.");
            }
        });
        return o;
    }

    /// <summary><c>--lockdep on|off</c>: the lockdep tracker for this run (default on).</summary>
    public static Option<string> Lockdep()
    {
        var o = new Option<string>("--lockdep")
        {
            Description = $"Lockdep tracker: 'on' (default; every acquisition validated) or 'off'. {LockdepSwitch.Variable}=0/1 in the environment wins.",
            DefaultValueFactory = _ => "on",
            HelpName = "on|off",
        };
        o.AcceptOnlyFromAmong("on", "off");
        return o;
    }

    /// <summary>Warns on standard error when the tracker's state differs from what <c>--lockdep</c> asked for.</summary>
    public static void WarnIfLockdepOverridden(SimConsole console, bool wanted)
    {
        if (wanted != XeLocked.Locking.Lockdep.Enabled)
        {
            console.Error.WriteLine($"warning: lockdep is {(XeLocked.Locking.Lockdep.Enabled ? "on" : "off")} in this process, not {(wanted ? "on" : "off")} as --lockdep asked ({LockdepSwitch.Variable}={Environment.GetEnvironmentVariable(LockdepSwitch.Variable)}).");
        }
    }

    /// <summary>A latency option such as <c>--migrate-latency 200us</c>.</summary>
    public static Option<TimeSpan?> Latency(string name, string what) => DurationOption(
        name, $"Simulated {what} latency (e.g. 200us, 2ms); the model's default when absent.", "us", allowZero: true);

    /// <summary><c>--latency-scale X</c>: multiplier of every simulated latency, 0 to 100.</summary>
    public static Option<double?> LatencyScale(string extra = "")
    {
        var o = new Option<double?>("--latency-scale")
        {
            Description = "Multiply every simulated hardware latency by X (0 = no simulated time; 0 to 100)." + extra,
            HelpName = "X",
        };
        o.Validators.Add(r =>
        {
            if (TryGetValue<double?>(r, out var v) && v is { } x && (double.IsNaN(x) || x < 0 || x > 100))
            {
                r.AddError($"--latency-scale: {x} is out of range; expected 0 to 100.");
            }
        });
        return o;
    }

    /// <summary>The latency options, in help order.</summary>
    public sealed record LatencyOptions(Option<double?> Scale, Option<TimeSpan?> Migration, Option<TimeSpan?> PtUpdate, Option<TimeSpan?> GetPages, Option<string> HostCosts)
    {
        /// <summary>All five, to add to a command.</summary>
        public IEnumerable<Option> All => new Option[] { Scale, Migration, PtUpdate, GetPages, HostCosts };

        /// <summary>The values given on the command line (null = the model's default).</summary>
        public Scenarios.LatencySettings Read(ParseResult p) =>
            new(p.GetValue(Scale), p.GetValue(Migration), p.GetValue(PtUpdate), p.GetValue(GetPages), p.GetValue(HostCosts) != "off");
    }

    /// <summary>Creates the latency options: <c>--latency-scale</c>, <c>--migration-latency</c>, <c>--pt-update-latency</c>, <c>--get-pages-latency</c>, <c>--host-costs</c>.</summary>
    public static LatencyOptions Latencies(string scaleExtra = "") => new(
        LatencyScale(scaleExtra),
        Latency("--migration-latency", "fixed per-migration (copy-engine job)"),
        Latency("--pt-update-latency", "page-table update + TLB invalidation"),
        Latency("--get-pages-latency", "fixed get-pages (hmm_range_fault + DMA map)"),
        HostCostsOption());

    private static Option<string> HostCostsOption()
    {
        var o = new Option<string>("--host-costs")
        {
            Description = "Charge the fault path's host CPU costs (ASID, VMA and SVM-range lookups, the valid check, the CT ring write per ack): 'on' (the model's defaults) or 'off' (zero), to see what they contribute.",
            DefaultValueFactory = _ => "on",
            HelpName = "on|off",
        };
        o.AcceptOnlyFromAmong("on", "off");
        return o;
    }

    private static Option<TimeSpan?> DurationOption(string name, string description, string defaultUnit, bool allowZero) => new(name)
    {
        Description = description,
        HelpName = "DURATION",
        CustomParser = r =>
        {
            var token = r.Tokens.Count > 0 ? r.Tokens[0].Value : "";
            if (!DurationParser.TryParse(token, defaultUnit, out var value, out var error))
            {
                r.AddError($"{name}: {error}.");
                return null;
            }

            if (!allowZero && value == TimeSpan.Zero)
            {
                r.AddError($"{name}: must be more than zero.");
                return null;
            }

            return value;
        },
    };

    /// <summary>Adds a validator: the value must lie in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static void AddRange<T>(Option<T> option, T min, T max)
        where T : struct, System.Numerics.INumber<T>
    {
        option.Validators.Add(r =>
        {
            if (TryGetValue<T>(r, out var value) && (value < min || value > max))
            {
                r.AddError(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"{r.Option.Name}: {value} is out of range; expected {min} to {max:N0}."));
            }
        });
    }

    /// <summary>
    /// The converted value of an option, or false when the text does not convert (System.CommandLine
    /// reports that error itself; validators still run, and must not throw).
    /// </summary>
    public static bool TryGetValue<T>(OptionResult r, out T value)
    {
        try
        {
            value = r.GetValueOrDefault<T>();
            return true;
        }
        catch (InvalidOperationException)
        {
            value = default!;
            return false;
        }
    }
}
