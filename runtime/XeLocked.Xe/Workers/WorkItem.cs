namespace XeLocked.Xe;

/// <summary>
/// A <c>work_struct</c>: a function that runs on a <see cref="WorkQueue"/> thread. Queuing an item
/// that is already pending does nothing; an item never runs on two threads at once; an item queued
/// while it runs runs again afterwards (kernel workqueue semantics). Its pending/running state is
/// kept by its <see cref="WorkQueue"/>, under the pool lock.
/// </summary>
internal sealed class WorkItem
{
    public WorkItem(string name, Action func, WorkQueue queue)
    {
        Name = name;
        Func = func;
        Queue = queue;
    }

    public string Name { get; }

    public Action Func { get; }

    public WorkQueue Queue { get; }

    /// <summary>Set while neither pending nor running (for flush).</summary>
    public ManualResetEventSlim Idle { get; } = new(true);

    /// <summary><c>queue_work</c>.</summary>
    public bool QueueWork() => Queue.Enqueue(this);

    /// <summary><c>flush_work</c> with a bound: true when the item became idle in time.</summary>
    public bool Flush(TimeSpan timeout) => Idle.Wait(timeout);

    /// <summary><c>cancel_work</c>: removes a pending item that has not started. True when it was pending.</summary>
    public bool Cancel() => Queue.Cancel(this);

    public override string ToString() => Name;
}
