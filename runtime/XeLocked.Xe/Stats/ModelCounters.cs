namespace XeLocked.Xe;

/// <summary>The storage of the <see cref="ModelCounter"/>s: one atomic per counter.</summary>
internal sealed class ModelCounters
{
    private readonly long[] _c = new long[Enum.GetValues<ModelCounter>().Length];

    public void Add(ModelCounter c, long n = 1) => Interlocked.Add(ref _c[(int)c], n);

    public long this[ModelCounter c] => Interlocked.Read(ref _c[(int)c]);

    /// <summary>Raises a maximum to at least <paramref name="value"/>.</summary>
    public void Max(ModelCounter c, long value)
    {
        ref var slot = ref _c[(int)c];
        long seen;
        while (value > (seen = Interlocked.Read(ref slot)))
        {
            if (Interlocked.CompareExchange(ref slot, value, seen) == seen)
            {
                return;
            }
        }
    }
}
