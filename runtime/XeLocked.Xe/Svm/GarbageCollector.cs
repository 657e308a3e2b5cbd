using XeLocked.Annotations;
using XeLocked.Locking;

namespace XeLocked.Xe;

/// <summary>
/// The per-VM SVM garbage collector's state (<c>vm->svm.garbage_collector</c>): the single-runner
/// mutex (P01), the list spinlock, the list of unmapped ranges and the work item. The algorithm is
/// in <see cref="SvmGarbageCollection"/>.
/// </summary>
public sealed class GarbageCollector
{
    internal GarbageCollector(Vm vm) => Vm = vm;

    internal Vm Vm { get; }

    /// <summary>
    /// P01 <c>garbage_collector.lock</c>: "Ensures only one thread runs the garbage collector at a
    /// time. Locking order: inside vm->lock, outside range->lock and dma-resv."
    /// </summary>
    [LockOrder(After = new[] { "Vm.Lock" }, Before = new[] { "SvmRange.Lock", "DmaResv.Lock", "GarbageCollector.ListLock" })]
    public readonly TrackedMutex Lock = new("GarbageCollector.Lock");

    /// <summary>P01 <c>garbage_collector.list_lock</c> (the old spinlock, renamed): "Protect's range list". Innermost.</summary>
    [LockOrder(After = new[] { "GarbageCollector.Lock", "Svm.NotifierLock" })]
    public readonly TrackedSpinLock ListLock = new("GarbageCollector.ListLock");

    /// <summary><c>range_list</c>.</summary>
    [GuardedBy("ListLock")]
    private readonly LinkedList<SvmRange> _rangeList = new();

    /// <summary>The ranges' <c>garbage_collector_link</c>s.</summary>
    [GuardedBy("ListLock")]
    private readonly Dictionary<SvmRange, LinkedListNode<SvmRange>> _links = new();

    /// <summary>
    /// H7 fix: default-attribute resets the GC deferred to its write-locked pass ([start, end) of each
    /// collected range whose VMA has auto-reset attributes).
    /// </summary>
    [GuardedBy("Lock")]
    internal readonly List<(ulong Start, ulong End)> DeferredAttrResets = new();

    /// <summary>The GC work item, queued on the fault workqueue by the notifier.</summary>
    internal WorkItem? Work { get; set; }

    /// <summary><c>if (list_empty(&amp;range->garbage_collector_link)) list_add_tail(...)</c>.</summary>
    [Requires("ListLock")]
    internal void AddLocked(SvmRange range)
    {
        if (!_links.ContainsKey(range))
        {
            _links[range] = _rangeList.AddLast(range);
        }
    }

    /// <summary><c>list_first_entry_or_null</c> + <c>list_del</c>.</summary>
    [Requires("ListLock")]
    internal SvmRange? PopFirstLocked()
    {
        var first = _rangeList.First;
        if (first == null)
        {
            return null;
        }

        _rangeList.RemoveFirst();
        _links.Remove(first.Value);
        return first.Value;
    }

    /// <summary><c>list_del</c> if linked.</summary>
    [Requires("ListLock")]
    internal bool UnlinkLocked(SvmRange range)
    {
        if (!_links.Remove(range, out var node))
        {
            return false;
        }

        _rangeList.Remove(node);
        return true;
    }

    /// <summary>Ranges waiting for collection (a snapshot).</summary>
    public int PendingCount
    {
        [Excludes("ListLock")]
        get
        {
            using var g = ListLock.Guard();
            return _rangeList.Count;
        }
    }
}
