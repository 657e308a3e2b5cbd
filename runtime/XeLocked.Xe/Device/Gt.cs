namespace XeLocked.Xe;

/// <summary>A GT (graphics tile unit: the primary or media GT of a tile): its GuC CT channel and statistics.</summary>
public sealed class Gt
{
    internal Gt(XeDevice xe, int id)
    {
        Id = id;
        TileId = 0;
        Stats = new GtStats();
        Guc = new GucCt(xe, this);
    }

    /// <summary>GT id (0-based).</summary>
    public int Id { get; }

    /// <summary>The tile the GT belongs to (the model has one tile; binds target <c>BIT(tile->id)</c>).</summary>
    public int TileId { get; }

    /// <summary>The tile mask bit for binds on behalf of this GT.</summary>
    public byte TileMask => (byte)(1 << TileId);

    /// <summary>Per-GT statistics (<c>xe_gt_stats</c>).</summary>
    public GtStats Stats { get; }

    /// <summary>The GuC CT channel that carries this GT's fault acks.</summary>
    public GucCt Guc { get; }

    /// <inheritdoc/>
    public override string ToString() => $"gt{Id}";
}
