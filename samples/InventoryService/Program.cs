using Inventory;

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

foreach (var sku in new[] { "bolt-m6", "nut-m6" })
{
    var (onHand, _) = service.Stock(sku);
    Console.WriteLine($"{service.NameOf(sku)}: {onHand} on hand");
}
Console.WriteLine($"reserved {reserved} units; price updates: {prices.Generation}");
