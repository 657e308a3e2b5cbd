namespace XeLocked.Locking;

/// <summary>
/// One entry of a thread's held-lock stack (the kernel's <c>struct held_lock</c>): the instance,
/// its class, how it is held, whether it came from a trylock, the chain key below it (so a release
/// restores the key in O(1)) and where it was acquired.
/// </summary>
internal struct HeldStackEntry
{
    /// <summary>The instance (the primitive's map).</summary>
    public LockdepMap Map;

    /// <summary>The subclass it was acquired as (0 but for <c>LockNested</c>).</summary>
    public int Subclass;

    /// <summary>The class, subclass included (from the map's class cache: not stored, which saves a GC write barrier per push).</summary>
    public readonly LockClass Class => Map.GetClass(Subclass);

    /// <summary><see cref="ReadKind"/>: 0 exclusive, 1 shared, 2 shared recursive.</summary>
    public int Read;

    /// <summary>Acquired by a successful trylock: no dependency was recorded into it.</summary>
    public bool Trylock;

    /// <summary>The chain key before this entry was pushed.</summary>
    public ulong PrevChainKey;

    /// <summary>Caller file of the acquisition.</summary>
    public string File;

    /// <summary>Caller line of the acquisition.</summary>
    public int Line;

    /// <summary>Orders entries of a thread's stack and an async flow's stack against each other (see <see cref="HeldStack.Merge"/>).</summary>
    public long Seq;
}
