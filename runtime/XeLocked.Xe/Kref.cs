namespace XeLocked.Xe;

/// <summary>
/// A reference count with the rules of the kernel's <c>struct kref</c>: it starts at one (the
/// creator's reference, <c>kref_init</c>); <see cref="Get"/> adds one (<c>kref_get</c>);
/// <see cref="Put"/> drops one and returns true exactly once, for the put that dropped the last
/// reference (<c>kref_put</c>): that caller then frees the object. It protects the counted
/// object's lifetime (nobody frees it while a reference is out), not its contents, which keep
/// their own locks. Taking a reference needs one already: the caller holds one, or a lock keeps the
/// object alive while it is looked up.
/// </summary>
/// <remarks>
/// <para>Lock-free: every change is one compare-and-swap. A misuse is an error, never a silent
/// corruption: a get or a put of a count already at zero (a use after free, or a put without a
/// matching get) throws <see cref="InvalidOperationException"/> and leaves the count at zero.</para>
/// <para>A mutable struct: embed it in one field of the counted object and never copy it (a copy
/// counts on its own).</para>
/// </remarks>
internal struct Kref
{
    private int _count;

    /// <summary>A count of one: the creator's reference (<c>kref_init</c>).</summary>
    public Kref() => _count = 1;

    /// <summary>The references out now (a snapshot, for diagnostics); 0 once released.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Takes one more reference (<c>kref_get</c>).</summary>
    /// <param name="owner">The counted object, named in the exception.</param>
    /// <exception cref="InvalidOperationException">The count is zero: the object was released (use after free); the count stays zero.</exception>
    public void Get(object owner)
    {
        while (true)
        {
            var n = Volatile.Read(ref _count);
            if (n <= 0)
            {
                throw new InvalidOperationException($"{owner}: reference taken after the last one was put (use after free).");
            }

            if (Interlocked.CompareExchange(ref _count, n + 1, n) == n)
            {
                return;
            }
        }
    }

    /// <summary>Drops one reference (<c>kref_put</c>).</summary>
    /// <param name="owner">The counted object, named in the exception.</param>
    /// <returns>True for the put that dropped the last reference, exactly once: the caller frees the object.</returns>
    /// <exception cref="InvalidOperationException">The count is zero already (reference count underflow: a put without a matching get); the count stays zero.</exception>
    public bool Put(object owner)
    {
        while (true)
        {
            var n = Volatile.Read(ref _count);
            if (n <= 0)
            {
                throw new InvalidOperationException($"{owner}: reference count underflow (a put without a matching get, after the last reference was put).");
            }

            if (Interlocked.CompareExchange(ref _count, n - 1, n) == n)
            {
                return n == 1;
            }
        }
    }
}
