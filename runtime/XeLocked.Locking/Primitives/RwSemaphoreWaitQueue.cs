namespace XeLocked.Locking;

/// <summary>
/// The wait queue of a <see cref="TrackedRwSemaphore"/>: a <see cref="Monitor"/> (this object) with
/// the numbers of waiting readers and writers and the readers' passes, all guarded by it. Writers
/// are preferred: a reader that arrives while a writer waits queues behind it. When a writer
/// releases (or downgrades), the readers that were waiting at that moment get a pass and are let
/// in before the next waiting writer, so neither side starves.
/// </summary>
/// <remarks>
/// The count word's slow bit mirrors "someone waits or holds a pass", so that the uncontended
/// paths, which never take this monitor, cannot skip a wake-up or a waiting writer.
/// </remarks>
internal sealed class RwSemaphoreWaitQueue
{
    // Under this object's monitor.
    private int _writersWaiting;
    private int _readersWaiting;
    private int _readerPasses;

    /// <summary>Number of writers waiting now (a snapshot).</summary>
    public int WritersWaiting { get { lock (this) { return _writersWaiting; } } }

    /// <summary>Number of readers waiting now (a snapshot).</summary>
    public int ReadersWaiting { get { lock (this) { return _readersWaiting; } } }

    /// <summary>A try-acquisition for read that missed the fast path: a reader in, unless a writer holds or waits.</summary>
    public bool TryAddReader(ref RwSemaphoreCount count)
    {
        lock (this)
        {
            return _writersWaiting == 0 && count.TryAddReader();
        }
    }

    /// <summary>A try-acquisition for write that missed the fast path: the writer in, unless anyone holds or a reader has a pass.</summary>
    public bool TrySetWriter(ref RwSemaphoreCount count)
    {
        lock (this)
        {
            return _readerPasses == 0 && count.TrySetWriter();
        }
    }

    /// <summary>Waits until a reader may enter (no writer holds, and none waits or this reader has a pass), then adds it.</summary>
    public void WaitAsReader(ref RwSemaphoreCount count)
    {
        lock (this)
        {
            _readersWaiting++;
            UpdateSlowBit(ref count);
            try
            {
                while (true)
                {
                    if (_writersWaiting == 0 || _readerPasses > 0)
                    {
                        if (count.TryAddReader())
                        {
                            if (_writersWaiting > 0)
                            {
                                _readerPasses--;
                            }

                            break;
                        }
                    }

                    Monitor.Wait(this);
                }
            }
            finally
            {
                _readersWaiting--;

                // Passes never outnumber the readers waiting for them, or a writer would wait forever.
                if (_readerPasses > _readersWaiting)
                {
                    _readerPasses = _readersWaiting;
                    Monitor.PulseAll(this);
                }

                UpdateSlowBit(ref count);
            }
        }
    }

    /// <summary>Waits until a writer may enter (nobody holds it and no reader has a pass), then sets the writer bit.</summary>
    public void WaitAsWriter(ref RwSemaphoreCount count)
    {
        lock (this)
        {
            _writersWaiting++;
            UpdateSlowBit(ref count);
            try
            {
                while (_readerPasses > 0 || !count.TrySetWriter())
                {
                    Monitor.Wait(this);
                }
            }
            finally
            {
                // If the wait was interrupted, readers held back by this waiting writer may go now.
                if (--_writersWaiting == 0)
                {
                    Monitor.PulseAll(this);
                }

                UpdateSlowBit(ref count);
            }
        }
    }

    /// <summary>A read release that found the slow bit: drops the reader and wakes the waiters when it was the last.</summary>
    public void ExitRead(ref RwSemaphoreCount count)
    {
        lock (this)
        {
            if ((count.Change(add: -1) & RwSemaphoreCount.ReaderMask) == 0)
            {
                Monitor.PulseAll(this);
            }
        }
    }

    /// <summary>
    /// The writer lets go: clears the writer bit (adding one reader, itself, when it
    /// <paramref name="downgrades"/>), gives the readers waiting now their passes and wakes everyone.
    /// </summary>
    public void ExitWrite(ref RwSemaphoreCount count, bool downgrades)
    {
        lock (this)
        {
            count.Change(clear: RwSemaphoreCount.WriterBit, add: downgrades ? 1 : 0);
            _readerPasses = _readersWaiting;
            UpdateSlowBit(ref count);
            Monitor.PulseAll(this);
        }
    }

    /// <summary>Under the monitor: the slow bit set exactly while someone waits or holds a pass.</summary>
    private void UpdateSlowBit(ref RwSemaphoreCount count)
    {
        if (_writersWaiting + _readersWaiting + _readerPasses > 0)
        {
            count.Change(set: RwSemaphoreCount.SlowBit);
        }
        else
        {
            count.Change(clear: RwSemaphoreCount.SlowBit);
        }
    }
}
