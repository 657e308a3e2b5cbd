using XeLocked.Annotations;

namespace XeLocked.Xe;

/// <summary>P10: the queue's part of the pagefault_info snapshot.</summary>
public sealed partial class PageFaultQueue
{
    /// <summary>Takes this queue's <see cref="QueueInfo"/> under its lock.</summary>
    [Excludes("Lock")]
    public QueueInfo Info()
    {
        using var g = Lock.Guard();
        int free = 0, queued = 0, chained = 0, active = 0;
        foreach (var s in _state)
        {
            switch (s)
            {
                case AllocState.Free: free++; break;
                case AllocState.Queued: queued++; break;
                case AllocState.Chained: chained++; break;
                default: active++; break;
            }
        }

        var workers = new List<WorkerInfo>();
        for (var i = 0; i < Workers.Length; i++)
        {
            var c = _caches[i];
            workers.Add(new WorkerInfo
            {
                Id = Workers[i].Id, CacheValid = c.IsValid, CacheStart = c.Start, CacheEnd = c.End, CacheAsid = c.Asid,
                LeaderSlot = c.Pf?.Slot ?? -1,
            });
        }

        return new QueueInfo
        {
            Index = Index, SizeBytes = Size * 64, Head = _head * 64, Tail = _tail * 64, CurrentPfWork = _currentPfWork,
            Free = free, Queued = queued, Chained = chained, Active = active, Workers = workers,
        };
    }

    /// <summary>The alloc state of every slot (tests: "all slots FREE afterwards").</summary>
    [Excludes("Lock")]
    public AllocState[] SlotStates()
    {
        using var g = Lock.Guard();
        return (AllocState[])_state.Clone();
    }
}
