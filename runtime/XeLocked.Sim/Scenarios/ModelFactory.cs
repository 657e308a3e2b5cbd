using XeLocked.Xe;

namespace XeLocked.Sim.Scenarios;

/// <summary>Turns command-line settings into the model's <see cref="XeOptions"/>.</summary>
internal static class ModelFactory
{
    /// <summary>The model's options for <paramref name="s"/>: locking, workers and latencies; every other knob at its default.</summary>
    public static XeOptions Options(ModelSettings s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var o = new XeOptions
        {
            Locking = s.Locking == "coarse" ? LockingMode.Coarse : LockingMode.Fine,
            NumPfWork = s.Workers,
        };
        var l = s.Latencies;
        if (l.Scale is { } scale)
        {
            o = o with { LatencyScale = scale };
        }

        if (l.MigrationBase is { } m)
        {
            o = o with { MigrationBaseLatency = m };
        }

        if (l.PtUpdate is { } pt)
        {
            o = o with { PtUpdateLatency = pt };
        }

        if (l.GetPagesBase is { } gp)
        {
            o = o with { GetPagesBaseLatency = gp };
        }

        if (!l.HostCosts)
        {
            o = o with
            {
                AsidLookupLatency = TimeSpan.Zero,
                VmaLookupLatency = TimeSpan.Zero,
                RangeLookupLatency = TimeSpan.Zero,
                ValidCheckLatency = TimeSpan.Zero,
                CtWriteLatency = TimeSpan.Zero,
            };
        }

        return o;
    }
}
