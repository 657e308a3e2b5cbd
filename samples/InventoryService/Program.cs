using System.Reflection;
using Inventory;
using XeLocked.Annotations;

// Runs the service from a few threads at once: shoppers reserve, a supplier restocks, and a
// pricing job updates the read-mostly price cache while shoppers read it.
var service = new InventoryService();
using var prices = new PriceCache();
service.AddProduct("bolt-m6", "M6 bolt", initialStock: 1_000);
service.AddProduct("nut-m6", "M6 nut", initialStock: 1_000);
prices.Set("bolt-m6", 0.12m);
prices.Set("nut-m6", 0.05m);

const int Shoppers = 4;
const int Rounds = 10_000;
long reserved = 0;
var threads = new List<Thread>();
for (int i = 0; i < Shoppers; i++)
{
    string sku = i % 2 == 0 ? "bolt-m6" : "nut-m6";
    threads.Add(new Thread(() =>
    {
        for (int r = 0; r < Rounds; r++)
        {
            if (prices.TryGet(sku, out _) && service.Reserve(sku, 1))
            {
                Interlocked.Increment(ref reserved);
            }
        }
    }));
}
threads.Add(new Thread(() =>
{
    for (int r = 0; r < Rounds; r++)
    {
        service.Restock(r % 2 == 0 ? "bolt-m6" : "nut-m6", 1);
    }
}));
threads.Add(new Thread(() =>
{
    for (int r = 0; r < Rounds / 10; r++)
    {
        prices.Set("bolt-m6", 0.12m + r % 3 * 0.01m);
    }
}));
threads.ForEach(t => t.Start());
threads.ForEach(t => t.Join());

// Every unit is either on hand or reserved: the two locks keep the books balanced.
long onHandTotal = 0;
long reservedTotal = 0;
foreach (var sku in new[] { "bolt-m6", "nut-m6" })
{
    var (onHand, reservedSoFar) = service.Stock(sku);
    onHandTotal += onHand;
    reservedTotal = reservedSoFar;
    Console.WriteLine($"{service.NameOf(sku)}: {onHand} on hand");
}

// The annotations are ordinary attributes, there at run time too: this is how XeLocked's
// lockdep tracker learns the declared order (Lockdep.LoadDeclaredOrder reads [LockOrder]).
foreach (var field in typeof(InventoryService).GetFields(BindingFlags.Instance | BindingFlags.NonPublic))
{
    if (field.GetCustomAttribute<LockOrderAttribute>() is { } order)
    {
        foreach (var inner in order.Before)
        {
            Console.WriteLine($"declared lock order: {nameof(InventoryService)}.{field.Name} before {inner}");
        }
    }
}

long received = 2 * 1_000 + Rounds;
Console.WriteLine($"reserved {reserved} units, {prices.Generation} price updates");
Console.WriteLine(onHandTotal + reservedTotal == received && reservedTotal == reserved
    ? $"books balance: {onHandTotal} on hand + {reservedTotal} reserved = {received} received"
    : $"BOOKS DO NOT BALANCE: {onHandTotal} on hand + {reservedTotal} reserved != {received} received");
return onHandTotal + reservedTotal == received ? 0 : 1;
