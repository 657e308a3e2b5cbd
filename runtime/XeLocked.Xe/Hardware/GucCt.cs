using XeLocked.Annotations;
using XeLocked.Locking;

namespace XeLocked.Xe;

/// <summary>
/// The GuC command transport of one GT, host-to-GuC direction, as far as fault acks need it: a
/// bounded H2G buffer, write-only sends that defer the publish (P11), publishes that ring the
/// doorbell, and the GuC side that consumes what was published.
/// </summary>
/// <remarks>
/// <c>GucCt.Lock</c> (<c>ct->lock</c>, a mutex) protects the buffer state; P11 holds it across a whole
/// batch of acks (<see cref="AckBegin"/> … <see cref="AckEnd"/>), and the worker's ack walk takes
/// <c>PageFaultQueue.Lock</c> inside it (L13 → L11).
/// </remarks>
public sealed class GucCt
{
    private readonly XeDevice _xe;
    private readonly Gt _gt;

    internal GucCt(XeDevice xe, Gt gt)
    {
        _xe = xe;
        _gt = gt;
    }

    /// <summary><c>ct->lock</c>: protects the H2G buffer and the batch counter.</summary>
    [LockOrder(Before = new[] { "PageFaultQueue.Lock" })]
    public readonly TrackedMutex Lock = new("GucCt.Lock");

    /// <summary>Messages written to the buffer but not yet published (invisible to the GuC).</summary>
    [GuardedBy("Lock")]
    private int _unpublished;

    /// <summary>P11 <c>guc->pagefault_ack_counter</c>.</summary>
    [GuardedBy("Lock")]
    private int _ackCounter;

    /// <summary>True between <see cref="AckBegin"/> and <see cref="AckEnd"/>.</summary>
    [GuardedBy("Lock")]
    private bool _inBatch;

    /// <summary>Acks written in the current batch.</summary>
    [GuardedBy("Lock")]
    private int _batchAcks;

    /// <summary>The batch-relative ack numbers (1-based) at which the current or last batch published.</summary>
    [GuardedBy("Lock")]
    private readonly List<int> _batchPublishes = new();

    /// <summary>Messages the GuC has consumed (published).</summary>
    private long _consumed;

    /// <summary>Messages written.</summary>
    private long _written;

    /// <summary>Publishes (doorbells).</summary>
    private long _doorbells;

    /// <summary>Messages the GuC side has seen (published and consumed). Lock-free snapshot.</summary>
    public long Consumed => Interlocked.Read(ref _consumed);

    /// <summary>Messages written. Lock-free snapshot.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Publishes (doorbells). Lock-free snapshot.</summary>
    public long Doorbells => Interlocked.Read(ref _doorbells);

    /// <summary>The batch-relative ack numbers at which the last batch published (the final flush included).</summary>
    [Excludes("Lock")]
    public IReadOnlyList<int> LastBatchPublishes()
    {
        using var g = Lock.Guard();
        return _batchPublishes.ToArray();
    }

    /// <summary>P11 <c>ack_fault_begin</c>: takes the CT lock for a batch and primes the counter ("ack the 2th, then 18th…").</summary>
    [Acquires("Lock")]
    internal void AckBegin()
    {
        Lock.Lock();
        _ackCounter = _xe.Options.AckFlushPeriod - 2;
        _batchAcks = 0;
        _batchPublishes.Clear();
        _inBatch = true;
    }

    /// <summary>P11 <c>ack_fault</c> inside a batch: write-only unless the counter hits the flush period.</summary>
    [Requires("Lock")]
    internal void AckInBatch(PageFault pf, int err)
    {
        var writeOnly = (_ackCounter++ & (_xe.Options.AckFlushPeriod - 1)) != 0;
        _batchAcks++;
        SendLocked(pf, err, writeOnly);
    }

    /// <summary>P11 <c>ack_fault_end</c>: publishes what is pending (<c>xe_guc_ct_send_flush</c>) and drops the CT lock.</summary>
    [Releases("Lock")]
    internal void AckEnd()
    {
        if (_unpublished > 0)
        {
            _batchPublishes.Add(_batchAcks);
            PublishLocked();
        }

        _inBatch = false;
        Lock.Unlock();
    }

    /// <summary>Unbatched <c>guc_ack_fault</c>: a full CT send (lock, write, publish, doorbell, unlock).</summary>
    [Excludes("Lock")]
    internal void Ack(PageFault pf, int err)
    {
        using var g = Lock.Guard();
        SendLocked(pf, err, writeOnly: false);
    }

    [Requires("Lock")]
    private void SendLocked(PageFault pf, int err, bool writeOnly)
    {
        if (_unpublished >= _xe.Options.CtCapacityMessages)
        {
            // H14: the buffer is full of our own unpublished writes; the GuC cannot drain what it
            // cannot see. Flush before waiting for space, or this is a self-deadlock.
            _xe.Counters.Add(ModelCounter.CtSpaceFlushes);
            if (_inBatch)
            {
                _batchPublishes.Add(_batchAcks - 1);
            }

            PublishLocked();
        }

        _xe.Time.Spin(_xe.Options.CtWriteLatency); // h2g_write of the descriptor, under the CT lock
        _unpublished++;
        Interlocked.Increment(ref _written);
        _xe.Counters.Add(ModelCounter.H2gMessages);
        _xe.RecordAck(pf, err);
        if (!writeOnly)
        {
            if (_inBatch)
            {
                _batchPublishes.Add(_batchAcks);
            }

            PublishLocked();
        }
    }

    [Requires("Lock")]
    private void PublishLocked()
    {
        _xe.Engines.Doorbell();
        Interlocked.Add(ref _consumed, _unpublished);
        _unpublished = 0;
        Interlocked.Increment(ref _doorbells);
        _xe.Counters.Add(ModelCounter.Doorbells);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{_gt}.guc.ct";
}
