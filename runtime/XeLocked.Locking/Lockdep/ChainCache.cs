using System.Runtime.CompilerServices;

namespace XeLocked.Locking;

/// <summary>
/// The set of validated chain keys (lockdep's <c>chainhash_table</c>): a chain already seen is not
/// validated again, so the steady-state cost of an acquisition is one hash step and this lookup.
/// Open addressing with linear probing over a power-of-two <c>ulong[]</c>; 0 marks an empty slot.
/// <see cref="Contains"/> is lock-free (a reader that races a resize sees the old table and at
/// worst takes the slow path, which re-checks under the graph lock); <see cref="Add"/> and
/// <see cref="Clear"/> are called only under the graph lock.
/// </summary>
internal static class ChainCache
{
    private const int InitialCapacity = 1024;
    private static ulong[] s_table = new ulong[InitialCapacity];
    private static int s_count;

    /// <summary>Number of cached chains (guarded by the graph lock).</summary>
    public static int Count => s_count;

    /// <summary>True when the chain <paramref name="key"/> was validated already.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Contains(ulong key)
    {
        var table = Volatile.Read(ref s_table);
        var mask = table.Length - 1;
        var i = (int)(key >> 40) & mask;
        while (true)
        {
            var k = Volatile.Read(ref table[i]);
            if (k == key)
            {
                return true;
            }

            if (k == 0)
            {
                return false;
            }

            i = (i + 1) & mask;
        }
    }

    /// <summary>Adds a validated chain. Caller holds the graph lock.</summary>
    public static void Add(ulong key)
    {
        if ((s_count + 1) * 2 > s_table.Length)
        {
            var bigger = new ulong[s_table.Length * 2];
            foreach (var k in s_table)
            {
                if (k != 0)
                {
                    Insert(bigger, k);
                }
            }

            Volatile.Write(ref s_table, bigger);
        }

        if (Insert(s_table, key))
        {
            s_count++;
        }
    }

    /// <summary>Forgets every chain. Caller holds the graph lock.</summary>
    public static void Clear()
    {
        Volatile.Write(ref s_table, new ulong[InitialCapacity]);
        s_count = 0;
    }

    private static bool Insert(ulong[] table, ulong key)
    {
        var mask = table.Length - 1;
        var i = (int)(key >> 40) & mask;
        while (true)
        {
            var k = table[i];
            if (k == key)
            {
                return false;
            }

            if (k == 0)
            {
                Volatile.Write(ref table[i], key);
                return true;
            }

            i = (i + 1) & mask;
        }
    }
}
