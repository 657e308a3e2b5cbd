using System.Runtime.CompilerServices;

namespace XeLocked.Locking;

/// <summary>
/// The chain key: a 64-bit hash of the sequence of (class, read mode) a thread holds, including
/// the lock being acquired (the kernel's <c>iterate_chain_key(key, hlock_id)</c>). Each step is
/// one multiply-xorshift mix; as in lockdep, the key is assumed unique per chain (a collision, at
/// odds of 2^-64 per pair, would skip one validation).
/// </summary>
internal static class ChainKey
{
    /// <summary>The key of the empty sequence (<c>INITIAL_CHAIN_KEY</c>).</summary>
    public const ulong Initial = 0x5EED_1DEA_0C0F_FEE5;

    /// <summary>The key after appending (<paramref name="classId"/>, <paramref name="read"/>) to <paramref name="key"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Next(ulong key, int classId, int read)
    {
        var x = key ^ (((ulong)(uint)read << 32) | (uint)classId);
        x *= 0x9E37_79B9_7F4A_7C15;
        x ^= x >> 29;
        x *= 0xBF58_476D_1CE4_E5B9;
        x ^= x >> 32;
        return x == 0 ? 1 : x;
    }
}
