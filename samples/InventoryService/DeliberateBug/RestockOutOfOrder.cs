// ============================================================================================
// DELIBERATE BUG. This file exists to show XL0001: it takes _stockLock and then _catalogLock,
// against [LockOrder(Before = "InventoryService._stockLock")] on _catalogLock. A thread running
// Reserve (catalog, then stock) and one running this method (stock, then catalog) can deadlock.
//
//   dotnet build                              -> error XL0001 at the marked line, build fails
//   dotnet build -p:IncludeDeliberateBug=false -> this file is left out, the build is clean
//
// The fix: take _catalogLock first, as AddProduct does.
// ============================================================================================

namespace Inventory;

public sealed partial class InventoryService
{
    /// <summary>Restocks a product and renames it, taking the locks in the WRONG order.</summary>
    public void RestockAndRename(string sku, int quantity, string name)
    {
        lock (_stockLock)
        {
            _onHand[sku] = AvailableLocked(sku) + quantity;
            lock (_catalogLock) // XL0001: _catalogLock must be taken before _stockLock
            {
                _names[sku] = name;
            }
        }
    }
}
