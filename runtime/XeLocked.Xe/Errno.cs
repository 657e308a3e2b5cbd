namespace XeLocked.Xe;

/// <summary>
/// The Linux error numbers the driver returns, as positive constants. Functions of the model return
/// them negated, as the kernel does (<c>return -Errno.ENOENT;</c>), and 0 for success.
/// </summary>
public static class Errno
{
    /// <summary>Operation not permitted (write fault on a read-only VMA).</summary>
    public const int EPERM = 1;

    /// <summary>No such entry (the VM is closed or banned).</summary>
    public const int ENOENT = 2;

    /// <summary>Try again (userptr or SVM pages invalidated before the bind committed; vm.Lock trylock failed).</summary>
    public const int EAGAIN = 11;

    /// <summary>Out of memory (VRAM allocation; validation retries once in exhaustive mode).</summary>
    public const int ENOMEM = 12;

    /// <summary>Permission denied (a devmem-only fault on a range that cannot migrate).</summary>
    public const int EACCES = 13;

    /// <summary>Bad address (NACK fault from the producer; CPU address not mapped).</summary>
    public const int EFAULT = 14;

    /// <summary>Busy (migration collision; unmap of an SVM range with live GPU mappings).</summary>
    public const int EBUSY = 16;

    /// <summary>Invalid argument (unknown ASID; no VMA at the faulting address).</summary>
    public const int EINVAL = 22;

    /// <summary>No space left (the page-fault queue is full; the fault is dropped with a warning).</summary>
    public const int ENOSPC = 28;

    /// <summary>Deadlock avoided (drm_exec contention backoff; the prefetch watchdog fired).</summary>
    public const int EDEADLK = 35;

    /// <summary>No data (prefetch of a range the garbage collector removed).</summary>
    public const int ENODATA = 61;

    /// <summary>Not supported (mixed CPU mappings in a range: evict and retry).</summary>
    public const int EOPNOTSUPP = 95;

    /// <summary>Timed out (a bounded wait of the model expired).</summary>
    public const int ETIMEDOUT = 110;

    /// <summary>Cancelled (the work was cancelled).</summary>
    public const int ECANCELED = 125;

    /// <summary>The kernel-style name of an error code (<c>-22</c> gives <c>"-EINVAL"</c>), for logs and reports.</summary>
    /// <param name="err">0 or a negated error number.</param>
    public static string Name(int err) => err switch
    {
        0 => "0",
        -EPERM => "-EPERM",
        -ENOENT => "-ENOENT",
        -EAGAIN => "-EAGAIN",
        -ENOMEM => "-ENOMEM",
        -EACCES => "-EACCES",
        -EFAULT => "-EFAULT",
        -EBUSY => "-EBUSY",
        -EINVAL => "-EINVAL",
        -ENOSPC => "-ENOSPC",
        -EDEADLK => "-EDEADLK",
        -ENODATA => "-ENODATA",
        -EOPNOTSUPP => "-EOPNOTSUPP",
        -ETIMEDOUT => "-ETIMEDOUT",
        -ECANCELED => "-ECANCELED",
        _ => err.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
