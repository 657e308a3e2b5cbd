namespace XeLocked.Locking;

/// <summary>
/// One dependency <c>From → To</c>: <c>To</c> was acquired while <c>From</c> was held (the kernel's
/// <c>struct lock_list</c>), with the dependency types seen for the pair and where it was first
/// recorded. Mutable fields are guarded by the graph lock.
/// </summary>
internal sealed class DependencyEdge
{
    /// <summary>-(SR)->: shared holder, recursive reader acquired.</summary>
    public const int SR = 1 << 0;

    /// <summary>-(ER)->: exclusive holder, recursive reader acquired.</summary>
    public const int ER = 1 << 1;

    /// <summary>-(SN)->: shared holder, non-recursive (writer or plain reader) acquired.</summary>
    public const int SN = 1 << 2;

    /// <summary>-(EN)->: exclusive holder, non-recursive acquired.</summary>
    public const int EN = 1 << 3;

    public DependencyEdge(LockClass from, LockClass to, int dep, string fromFile, int fromLine, string toFile, int toLine, string thread)
    {
        From = from;
        To = to;
        Dep = dep;
        FromFile = fromFile;
        FromLine = fromLine;
        ToFile = toFile;
        ToLine = toLine;
        Thread = thread;
    }

    public LockClass From { get; }

    public LockClass To { get; }

    /// <summary>Mask of <see cref="SR"/>, <see cref="ER"/>, <see cref="SN"/>, <see cref="EN"/>.</summary>
    public int Dep;

    /// <summary>Where <see cref="From"/> had been acquired when the edge was first recorded.</summary>
    public string FromFile { get; }

    public int FromLine { get; }

    /// <summary>Where <see cref="To"/> was acquired when the edge was first recorded.</summary>
    public string ToFile { get; }

    public int ToLine { get; }

    /// <summary>The thread that first recorded the edge, <c>name/id</c>.</summary>
    public string Thread { get; }

    /// <summary>
    /// The declared order the edge was last validated against (no cycle through it): a later
    /// <see cref="DeclaredOrder.Load"/> makes the next validation of a chain ending in it search
    /// again, since new declared edges may close a cycle through it.
    /// </summary>
    public DeclaredOrder? CheckedAgainst;

    /// <summary>The dependency bit for a holder in mode <paramref name="prevRead"/> and an acquisition in mode <paramref name="nextRead"/> (<c>__calc_dep_bit</c>).</summary>
    public static int DepBit(int prevRead, int nextRead) =>
        1 << ((prevRead == ReadKind.Exclusive ? 1 : 0) + ((nextRead != ReadKind.SharedRecursive ? 1 : 0) << 1));

    /// <summary>The types in <paramref name="dep"/>, e.g. <c>"EN|SN"</c>.</summary>
    public static string Describe(int dep)
    {
        var parts = new List<string>(4);
        if ((dep & EN) != 0)
        {
            parts.Add("EN");
        }

        if ((dep & SN) != 0)
        {
            parts.Add("SN");
        }

        if ((dep & ER) != 0)
        {
            parts.Add("ER");
        }

        if ((dep & SR) != 0)
        {
            parts.Add("SR");
        }

        return string.Join('|', parts);
    }
}
