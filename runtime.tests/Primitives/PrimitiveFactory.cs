using XeLocked.Locking;

namespace XeLocked.Runtime.Tests.Primitives;

/// <summary>The three primitives behind one exclusive-lock shape, for tests that apply to all of them.</summary>
internal sealed class ExclusiveLock
{
    private readonly Action _lock;
    private readonly Func<bool> _try;
    private readonly Action _unlock;

    private ExclusiveLock(ITrackedLock tracked, Action @lock, Func<bool> @try, Action unlock)
    {
        Tracked = tracked;
        _lock = @lock;
        _try = @try;
        _unlock = unlock;
    }

    public ITrackedLock Tracked { get; }

    public static IEnumerable<object[]> Kinds => new[] { new object[] { "mutex" }, new object[] { "spin" }, new object[] { "rwsem" } };

    public static ExclusiveLock Create(string kind, string cls) => kind switch
    {
        "mutex" => From(new TrackedMutex(cls)),
        "spin" => From(new TrackedSpinLock(cls)),
        "rwsem" => From(new TrackedRwSemaphore(cls)),
        _ => throw new ArgumentException(kind),
    };

    public void Lock() => _lock();

    public bool TryLock() => _try();

    public void Unlock() => _unlock();

    private static ExclusiveLock From(TrackedMutex m) => new(m, () => m.Lock(), () => m.TryLock(), () => m.Unlock());

    private static ExclusiveLock From(TrackedSpinLock s) => new(s, () => s.Lock(), () => s.TryLock(), () => s.Unlock());

    private static ExclusiveLock From(TrackedRwSemaphore s) => new(s, () => s.LockWrite(), () => s.TryLockWrite(), () => s.UnlockWrite());
}

/// <summary>Bounded waiting helpers: poll a condition with <see cref="SpinWait"/>, never sleep for a race.</summary>
internal static class Bounded
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    public static void Until(Func<bool> condition, string what)
    {
        if (!SpinWait.SpinUntil(condition, Timeout))
        {
            throw new TimeoutException($"timed out waiting for: {what}");
        }
    }

    public static Thread Start(Action body, string name)
    {
        var t = new Thread(() => body()) { IsBackground = true, Name = name };
        t.Start();
        return t;
    }

    public static void Join(params Thread[] threads)
    {
        foreach (var t in threads)
        {
            if (!t.Join(Timeout))
            {
                throw new TimeoutException($"thread {t.Name} did not finish");
            }
        }
    }
}
