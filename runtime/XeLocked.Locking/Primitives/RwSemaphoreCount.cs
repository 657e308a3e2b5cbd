namespace XeLocked.Locking;

/// <summary>
/// The count word of a <see cref="TrackedRwSemaphore"/> (the kernel's <c>sem-&gt;count</c>): the
/// number of readers in the low 28 bits, a writer bit and a "slow" bit. Changed only by
/// compare-and-swap; the slow bit only under the <see cref="RwSemaphoreWaitQueue"/>'s monitor.
/// While the slow bit is clear an uncontended read or write acquisition or release is one
/// compare-and-swap; while it is set, acquisitions and releases go through the wait queue.
/// </summary>
/// <remarks>A mutable struct: it lives in one field of its semaphore and is passed by reference, never copied.</remarks>
internal struct RwSemaphoreCount
{
    /// <summary>The readers' bits.</summary>
    public const int ReaderMask = (1 << 28) - 1;

    /// <summary>Set while a writer holds the semaphore.</summary>
    public const int WriterBit = 1 << 28;

    /// <summary>Set while a thread waits or a reader pass is outstanding (see <see cref="RwSemaphoreWaitQueue"/>).</summary>
    public const int SlowBit = 1 << 29;

    private int _value;

    /// <summary>Number of readers holding the semaphore now (a snapshot).</summary>
    public int Readers => Volatile.Read(ref _value) & ReaderMask;

    /// <summary>True when a writer holds the semaphore (a snapshot).</summary>
    public bool IsWriteLocked => (Volatile.Read(ref _value) & WriterBit) != 0;

    /// <summary>True when a reader or a writer holds the semaphore (a snapshot).</summary>
    public bool IsHeld => (Volatile.Read(ref _value) & (ReaderMask | WriterBit)) != 0;

    /// <summary>One reader in by one compare-and-swap, when no writer holds and nothing waits.</summary>
    public bool TryEnterReadFast()
    {
        var s = Volatile.Read(ref _value);
        return (s & (WriterBit | SlowBit)) == 0 && Interlocked.CompareExchange(ref _value, s + 1, s) == s;
    }

    /// <summary>One reader out by one compare-and-swap, when nothing waits; false: the wait queue must release it.</summary>
    public bool TryExitReadFast()
    {
        var s = Volatile.Read(ref _value);
        return (s & SlowBit) == 0 && Interlocked.CompareExchange(ref _value, s - 1, s) == s;
    }

    /// <summary>The writer in by one compare-and-swap, when the word is zero (nobody holds, nothing waits).</summary>
    public bool TryEnterWriteFast() => Interlocked.CompareExchange(ref _value, WriterBit, 0) == 0;

    /// <summary>The writer out by one compare-and-swap, when nothing waits; false: the wait queue must release it.</summary>
    public bool TryExitWriteFast() => Interlocked.CompareExchange(ref _value, 0, WriterBit) == WriterBit;

    /// <summary>Adds a reader unless a writer holds (under the wait queue's monitor; the word may change beside us).</summary>
    public bool TryAddReader()
    {
        while (true)
        {
            var s = Volatile.Read(ref _value);
            if ((s & WriterBit) != 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _value, s + 1, s) == s)
            {
                return true;
            }
        }
    }

    /// <summary>Sets the writer bit unless anyone holds (under the wait queue's monitor).</summary>
    public bool TrySetWriter()
    {
        while (true)
        {
            var s = Volatile.Read(ref _value);
            if ((s & (WriterBit | ReaderMask)) != 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _value, s | WriterBit, s) == s)
            {
                return true;
            }
        }
    }

    /// <summary>
    /// Changes the word by compare-and-swap (under the wait queue's monitor; the uncontended paths
    /// may change it beside us): clears <paramref name="clear"/>, sets <paramref name="set"/>, adds
    /// <paramref name="add"/> readers. Returns the new word.
    /// </summary>
    public int Change(int clear = 0, int set = 0, int add = 0)
    {
        while (true)
        {
            var s = Volatile.Read(ref _value);
            var next = ((s & ~clear) | set) + add;
            if (Interlocked.CompareExchange(ref _value, next, s) == s)
            {
                return next;
            }
        }
    }
}
