using XeLocked.Annotations;

namespace Inventory;

/// <summary>
/// A read-mostly price cache behind a <see cref="ReaderWriterLockSlim"/>: lookups share the lock
/// in read mode, updates take it in write mode.
/// </summary>
/// <remarks>
/// Locking: <c>_lock</c> protects <c>_prices</c> and <c>_generation</c>. Reading either needs
/// <c>_lock</c> in read (or write) mode; assigning <c>_generation</c> needs write mode (XL0003
/// otherwise). The dictionary is only mutated under the write lock; the analyzer checks accesses
/// to the field, not calls on the object it refers to, so that part is by convention.
/// </remarks>
public sealed class PriceCache : IDisposable
{
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);

    /// <summary>SKU to unit price.</summary>
    [GuardedBy("_lock")]
    private readonly Dictionary<string, decimal> _prices = new();

    /// <summary>Bumped by every update, so that readers can tell whether prices changed.</summary>
    [GuardedBy("_lock")]
    private long _generation;

    /// <summary>Looks a price up under the read lock.</summary>
    public bool TryGet(string sku, out decimal price)
    {
        _lock.EnterReadLock();
        try
        {
            return _prices.TryGetValue(sku, out price);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>The number of updates so far, read under the read lock.</summary>
    public long Generation
    {
        get
        {
            _lock.EnterReadLock();
            try
            {
                return _generation;
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
    }

    /// <summary>Sets a price under the write lock.</summary>
    public void Set(string sku, decimal price)
    {
        _lock.EnterWriteLock();
        try
        {
            _prices[sku] = price;
            BumpGenerationLocked();
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Records an update; the caller holds <c>_lock</c> in write mode.</summary>
    [Requires("_lock:write")]
    private void BumpGenerationLocked() => _generation++;

    /// <summary>Frees the lock. No thread may be using the cache.</summary>
    public void Dispose() => _lock.Dispose();
}
