using System.Collections.Concurrent;

namespace XeLocked.Xe;

/// <summary>
/// The model's own bookkeeping of every accepted fault (not a driver structure): how many times it
/// was acked and with which error, or whether a GT reset squashed it or a full queue dropped it.
/// It is what "every fault acked exactly once" is checked against. Lock-free.
/// </summary>
public sealed class FaultLedger
{
    private readonly ConcurrentDictionary<long, FaultRecord> _records = new();

    /// <summary>The record of fault <paramref name="faultId"/>, or null when no such fault was accepted.</summary>
    public FaultRecord? this[long faultId] => _records.TryGetValue(faultId, out var r) ? r : null;

    /// <summary>Every record (a snapshot).</summary>
    public IReadOnlyCollection<FaultRecord> Records => _records.Values.ToArray();

    internal FaultRecord Accept(long faultId, uint asid, ulong address, int gt, long submitTimestamp)
    {
        var r = new FaultRecord(faultId, asid, address, gt, submitTimestamp);
        _records[faultId] = r;
        return r;
    }

    internal void Forget(long faultId) => _records.TryRemove(faultId, out _);

    /// <summary>Checks every record: each accepted fault acked exactly once, squashed by a reset, or dropped with a warning.</summary>
    public LedgerSummary Summarize()
    {
        var s = new LedgerSummary();
        foreach (var r in _records.Values)
        {
            s.Accepted++;
            var acks = r.Acks;
            if (acks == 1 && r.Squashed == 0 && r.Dropped == 0)
            {
                s.AckedOnce++;
            }
            else if (acks == 0 && r.Squashed + r.Dropped == 1)
            {
                if (r.Squashed == 1)
                {
                    s.Squashed++;
                }
                else
                {
                    s.Dropped++;
                }
            }
            else if (acks == 0 && r.Squashed == 0 && r.Dropped == 0)
            {
                s.NeverAcked.Add(r.FaultId);
            }
            else
            {
                s.Inconsistent.Add(r.FaultId);
            }
        }

        return s;
    }
}

/// <summary>What happened to one accepted fault.</summary>
public sealed class FaultRecord
{
    private int _acks;
    private int _lastError;
    private int _squashed;
    private int _dropped;
    private long _ackTimestamp;

    internal FaultRecord(long faultId, uint asid, ulong address, int gt, long submitTimestamp)
    {
        FaultId = faultId;
        Asid = asid;
        Address = address;
        Gt = gt;
        SubmitTimestamp = submitTimestamp;
    }

    /// <summary>The fault's id.</summary>
    public long FaultId { get; }

    /// <summary>Its ASID.</summary>
    public uint Asid { get; }

    /// <summary>Its page address.</summary>
    public ulong Address { get; }

    /// <summary>The GT that faulted.</summary>
    public int Gt { get; }

    /// <summary>When it was submitted (a <see cref="System.Diagnostics.Stopwatch"/> timestamp).</summary>
    public long SubmitTimestamp { get; }

    /// <summary>How many acks were sent for it (1 is right).</summary>
    public int Acks => Volatile.Read(ref _acks);

    /// <summary>The error of the last ack (0 = success).</summary>
    public int LastError => Volatile.Read(ref _lastError);

    /// <summary>
    /// When its first ack was written (a <see cref="System.Diagnostics.Stopwatch"/> timestamp), 0
    /// while it has none.
    /// </summary>
    public long AckTimestamp => Interlocked.Read(ref _ackTimestamp);

    /// <summary>Submission to first ack in microseconds, or null while it has no ack.</summary>
    public double? AckLatencyMicroseconds =>
        AckTimestamp is var t and not 0 ? System.Diagnostics.Stopwatch.GetElapsedTime(SubmitTimestamp, t).TotalMicroseconds : null;

    /// <summary>1 when a GT reset freed it without an ack.</summary>
    public int Squashed => Volatile.Read(ref _squashed);

    /// <summary>1 when a full queue dropped it on requeue (with a warning).</summary>
    public int Dropped => Volatile.Read(ref _dropped);

    internal void Acked(int err)
    {
        Interlocked.CompareExchange(ref _ackTimestamp, System.Diagnostics.Stopwatch.GetTimestamp(), 0);
        Volatile.Write(ref _lastError, err);
        Interlocked.Increment(ref _acks);
    }

    internal void MarkSquashed() => Interlocked.Increment(ref _squashed);

    internal void MarkDropped() => Interlocked.Increment(ref _dropped);

    /// <inheritdoc/>
    public override string ToString() =>
        $"fault {FaultId} asid={Asid} addr=0x{Address:x} gt={Gt} acks={Acks} err={Errno.Name(LastError)} squashed={Squashed} dropped={Dropped}";
}

/// <summary>The result of <see cref="FaultLedger.Summarize"/>.</summary>
public sealed class LedgerSummary
{
    /// <summary>Faults accepted.</summary>
    public int Accepted { get; internal set; }

    /// <summary>Faults acked exactly once.</summary>
    public int AckedOnce { get; internal set; }

    /// <summary>Faults a GT reset squashed (no ack, by design).</summary>
    public int Squashed { get; internal set; }

    /// <summary>Faults dropped by a full queue on requeue (warning).</summary>
    public int Dropped { get; internal set; }

    /// <summary>Faults never acked, squashed or dropped: lost (or still in flight).</summary>
    public List<long> NeverAcked { get; } = new();

    /// <summary>Faults acked twice, or acked and squashed: a bug.</summary>
    public List<long> Inconsistent { get; } = new();

    /// <summary>True when every accepted fault is accounted for exactly once.</summary>
    public bool AllAccountedFor => NeverAcked.Count == 0 && Inconsistent.Count == 0;

    /// <inheritdoc/>
    public override string ToString() =>
        $"accepted={Accepted} ackedOnce={AckedOnce} squashed={Squashed} dropped={Dropped} neverAcked={NeverAcked.Count} inconsistent={Inconsistent.Count}";
}
