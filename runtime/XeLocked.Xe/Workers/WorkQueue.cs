using XeLocked.Annotations;
using XeLocked.Locking;

namespace XeLocked.Xe;

/// <summary>
/// An unbound, high-priority kernel workqueue with <c>max_active</c> dedicated threads
/// (<c>usm.pf_wq</c>, the prefetch queue). Each item runs with no lock held on entry and must hold
/// none on return: the thread calls <see cref="Lockdep.AssertNoLocksHeld"/> after every item.
/// Exceptions escaping an item are caught, counted (<see cref="ModelCounter.WorkerExceptions"/>)
/// and kept for diagnosis; the thread survives.
/// </summary>
internal sealed class WorkQueue : IDisposable
{
    private readonly XeDevice _xe;
    private readonly Thread[] _threads;
    private readonly SemaphoreSlim _wake = new(0);
    private volatile bool _stopping;

    /// <summary>
    /// The pool lock (the workqueue's internal lock, the kernel's raw <c>pool->lock</c>): innermost,
    /// protects item states and the run queue. Nothing is acquired under it, and <c>queue_work</c>
    /// may be called with any driver lock held, so it comes after every other class: the
    /// model queues work under <c>Vm.Lock</c> (GC and prefetch items), <c>CpuMm.MmapLock</c> (the
    /// notifier's GC kick), <c>PageFaultQueue.Lock</c> (worker kicks) and <c>XeDevice.UsmLock</c>.
    /// The other names make it after the sinks of the hierarchy, hence (transitively) after every
    /// class.
    /// </summary>
    [LockOrder(After = new[]
    {
        "Vm.Lock", "CpuMm.MmapLock", "PageFaultQueue.Lock", "XeDevice.UsmLock",
        "GarbageCollector.ListLock", "Vm.UserptrInvalidatedLock", "Svm.NotifierLock",
    })]
    public readonly TrackedSpinLock PoolLock = new("WorkQueue.PoolLock");

    [GuardedBy("PoolLock")]
    private readonly LinkedList<WorkItem> _runQueue = new();

    /// <summary>Items queued and not yet started, with their run-queue node.</summary>
    [GuardedBy("PoolLock")]
    private readonly Dictionary<WorkItem, LinkedListNode<WorkItem>?> _pending = new();

    /// <summary>Items running on a pool thread.</summary>
    [GuardedBy("PoolLock")]
    private readonly HashSet<WorkItem> _running = new();

    [GuardedBy("PoolLock")]
    private int _busy;

    public WorkQueue(XeDevice xe, string name, int maxActive)
    {
        _xe = xe;
        Name = name;
        MaxActive = maxActive;
        _threads = new Thread[maxActive];
        for (var i = 0; i < maxActive; i++)
        {
            _threads[i] = new Thread(ThreadMain) { IsBackground = true, Name = $"{name}/{i}" };
            _threads[i].Start();
        }
    }

    public string Name { get; }

    public int MaxActive { get; }

    /// <summary>True when nothing is pending or running.</summary>
    public bool IsIdle
    {
        [Excludes("PoolLock")]
        get
        {
            using var g = PoolLock.Guard();
            return _runQueue.Count == 0 && _busy == 0;
        }
    }

    [Excludes("PoolLock")]
    public bool Enqueue(WorkItem w)
    {
        if (_stopping)
        {
            return false;
        }

        using (PoolLock.Guard())
        {
            if (_pending.ContainsKey(w))
            {
                return false;
            }

            w.Idle.Reset();
            _pending[w] = _running.Contains(w) ? null : _runQueue.AddLast(w);
        }

        _wake.Release();
        return true;
    }

    [Excludes("PoolLock")]
    public bool Cancel(WorkItem w)
    {
        using var g = PoolLock.Guard();
        if (!_pending.TryGetValue(w, out var node) || node == null || _running.Contains(w))
        {
            return false;
        }

        _runQueue.Remove(node);
        _pending.Remove(w);
        w.Idle.Set();
        return true;
    }

    public void Dispose()
    {
        _stopping = true;
        _wake.Release(_threads.Length);
        foreach (var t in _threads)
        {
            t.Join(TimeSpan.FromSeconds(10));
        }
    }

    private void ThreadMain()
    {
        while (true)
        {
            _wake.Wait();
            if (_stopping)
            {
                return;
            }

            WorkItem? w;
            using (PoolLock.Guard())
            {
                w = _runQueue.First?.Value;
                if (w == null)
                {
                    continue;
                }

                _runQueue.RemoveFirst();
                _pending.Remove(w);
                _running.Add(w);
                _busy++;
            }

            RunOne(w);

            var again = false;
            using (PoolLock.Guard())
            {
                _running.Remove(w);
                _busy--;
                if (_pending.ContainsKey(w))
                {
                    _pending[w] = _runQueue.AddLast(w);
                    again = true;
                }
                else
                {
                    w.Idle.Set();
                }
            }

            if (again)
            {
                _wake.Release();
            }
        }
    }

    private void RunOne(WorkItem w)
    {
        try
        {
            w.Func();
        }
        catch (Exception e)
        {
            _xe.RecordWorkerException(w.Name, e);
        }

        try
        {
            // Lockdep's check at return to user space: a work item ends with no lock held.
            Lockdep.AssertNoLocksHeld();
        }
        catch (LockdepViolationException e)
        {
            _xe.RecordWorkerException(w.Name, e);
        }
    }
}
