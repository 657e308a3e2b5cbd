using XeLocked.Annotations;

namespace XeLocked.Xe;

/// <summary>
/// The guard of a <c>Vm.Lock</c> hold taken through the <see cref="LockingPolicy"/>: read mode under
/// fine locking, write mode under coarse locking. Disposing it releases the hold in the mode taken.
/// </summary>
[ScopedLock]
internal readonly struct VmLockHold : IDisposable
{
    private readonly Vm? _vm;
    private readonly bool _write;

    internal VmLockHold(Vm vm, bool write)
    {
        _vm = vm;
        _write = write;
    }

    /// <summary>True when the hold is in write mode.</summary>
    public bool IsWrite => _write;

    /// <summary>Releases the hold in the mode it was taken.</summary>
    public void Dispose()
    {
        if (_vm == null)
        {
            return;
        }

        if (_write)
        {
            _vm.Lock.UnlockWrite();
        }
        else
        {
            _vm.Lock.UnlockRead();
        }
    }
}
