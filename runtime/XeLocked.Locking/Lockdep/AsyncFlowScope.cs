namespace XeLocked.Locking;

/// <summary>
/// A new async flow begun by <see cref="Lockdep.BeginAsyncFlow"/>; disposing it makes the calling
/// context's previous flow current again (the flow's held locks are not released).
/// </summary>
public sealed class AsyncFlowScope : IDisposable
{
    private readonly AsyncFlow? _previous;
    private readonly AsyncFlow? _flow;
    private bool _disposed;

    internal AsyncFlowScope(string? name)
    {
        if (Lockdep.Enabled)
        {
            _previous = AsyncFlow.Begin(name, out var flow);
            _flow = flow;
        }
    }

    /// <summary>How reports name the flow (<c>name#id</c>); empty when the tracker is off.</summary>
    public string Label => _flow?.Label ?? string.Empty;

    /// <summary>Ends the scope.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_flow is not null)
        {
            AsyncFlow.Restore(_previous);
        }
    }
}
