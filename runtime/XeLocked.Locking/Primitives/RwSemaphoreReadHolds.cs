namespace XeLocked.Locking;

/// <summary>
/// The semaphores one thread holds for read: a small array searched from the top, since holds
/// are few and usually released in reverse order (no set, no equality comparer). One object
/// per thread, so that a lock or an unlock reads thread-local storage once.
/// </summary>
internal sealed class RwSemaphoreReadHolds
{
    [ThreadStatic]
    private static RwSemaphoreReadHolds? t_current;

    private TrackedRwSemaphore?[] _held = new TrackedRwSemaphore?[4];
    private int _count;

    /// <summary>The calling thread's read holds.</summary>
    public static RwSemaphoreReadHolds Current => t_current ??= new RwSemaphoreReadHolds();

    public bool Contains(TrackedRwSemaphore s) => IndexOf(s) >= 0;

    public void Add(TrackedRwSemaphore s)
    {
        if (_count == _held.Length)
        {
            Array.Resize(ref _held, _count * 2);
        }

        _held[_count++] = s;
    }

    /// <summary>Removes <paramref name="s"/>; false when this thread does not hold it for read.</summary>
    public bool Remove(TrackedRwSemaphore s)
    {
        var i = IndexOf(s);
        if (i < 0)
        {
            return false;
        }

        var last = _count - 1;
        Array.Copy(_held, i + 1, _held, i, last - i);
        _held[last] = null;
        _count = last;
        return true;
    }

    private int IndexOf(TrackedRwSemaphore s)
    {
        for (var i = _count - 1; i >= 0; i--)
        {
            if (ReferenceEquals(_held[i], s))
            {
                return i;
            }
        }

        return -1;
    }
}
