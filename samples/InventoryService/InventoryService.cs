using XeLocked.Annotations;

namespace Inventory;

/// <summary>
/// A small stock-keeping service with two locks and a fixed order between them.
/// </summary>
/// <remarks>
/// Locking (outer to inner):
/// <list type="number">
/// <item><c>_catalogLock</c> (a <see cref="Lock"/>) protects <c>_names</c>, the product catalog.</item>
/// <item><c>_stockLock</c> (a plain monitor object) protects <c>_onHand</c> and <c>_reserved</c>.</item>
/// </list>
/// A thread that needs both takes <c>_catalogLock</c> first. The analyzer enforces this order
/// (XL0001) from the <see cref="LockOrderAttribute"/> below, and every access to a guarded
/// field (XL0002) from the <see cref="GuardedByAttribute"/>s.
/// </remarks>
public sealed partial class InventoryService
{
    /// <summary>Protects the catalog; taken before <c>_stockLock</c>.</summary>
    [LockOrder(Before = new[] { "InventoryService._stockLock" })]
    private readonly Lock _catalogLock = new();

    /// <summary>Protects the stock counts; taken after <c>_catalogLock</c>.</summary>
    private readonly object _stockLock = new();

    /// <summary>SKU to product name.</summary>
    [GuardedBy("_catalogLock")]
    private readonly Dictionary<string, string> _names = new();

    /// <summary>SKU to units on hand.</summary>
    [GuardedBy("_stockLock")]
    private readonly Dictionary<string, int> _onHand = new();

    /// <summary>Units reserved since start.</summary>
    [GuardedBy("_stockLock")]
    private long _reserved;

    /// <summary>Adds a product with its initial stock. Takes both locks, in order.</summary>
    public void AddProduct(string sku, string name, int initialStock)
    {
        lock (_catalogLock)
        {
            _names[sku] = name;
            lock (_stockLock)
            {
                _onHand[sku] = initialStock;
            }
        }
    }

    /// <summary>Reserves units of a catalogued product; false if unknown or not enough stock.</summary>
    public bool Reserve(string sku, int quantity)
    {
        lock (_catalogLock)
        {
            if (!_names.ContainsKey(sku))
            {
                return false;
            }

            lock (_stockLock)
            {
                int available = AvailableLocked(sku);
                if (available < quantity)
                {
                    return false;
                }

                _onHand[sku] = available - quantity;
                _reserved += quantity;
                return true;
            }
        }
    }

    /// <summary>Adds units to the stock of a product. Takes only <c>_stockLock</c>.</summary>
    public void Restock(string sku, int quantity)
    {
        lock (_stockLock)
        {
            _onHand[sku] = AvailableLocked(sku) + quantity;
        }
    }

    /// <summary>Units on hand and reserved so far, read consistently under <c>_stockLock</c>.</summary>
    public (int OnHand, long Reserved) Stock(string sku)
    {
        lock (_stockLock)
        {
            return (AvailableLocked(sku), _reserved);
        }
    }

    /// <summary>The product name, or null when the SKU is not in the catalog.</summary>
    public string? NameOf(string sku)
    {
        lock (_catalogLock)
        {
            return _names.TryGetValue(sku, out var name) ? name : null;
        }
    }

    /// <summary>Units on hand; the caller holds <c>_stockLock</c>.</summary>
    [Requires("_stockLock")]
    private int AvailableLocked(string sku) => _onHand.TryGetValue(sku, out var n) ? n : 0;
}
