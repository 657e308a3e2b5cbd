using System.Collections.Concurrent;

namespace XeLocked.Xe;

/// <summary>
/// Test and simulation hooks at named points of the model: a hook may block (a gate, to force an
/// interleaving) or return a negative error to inject a failure where the point allows it. With no
/// hook installed a point costs one dictionary read.
/// </summary>
/// <remarks>
/// Hooks run on the model's threads with the locks the <see cref="HookPoint"/> documents held: a
/// hook must not take the model's locks, and a hook at <see cref="HookPoint.FaultQueued"/> must
/// not block (it runs under a spinlock).
/// </remarks>
public sealed class XeHooks
{
    private readonly ConcurrentDictionary<HookPoint, Func<HookContext, int>> _hooks = new();

    /// <summary>Installs <paramref name="hook"/> at <paramref name="point"/> (replacing any earlier one).</summary>
    /// <param name="point">Where.</param>
    /// <param name="hook">Returns 0 to proceed, or a negated errno to inject where the point allows it.</param>
    public void Set(HookPoint point, Func<HookContext, int> hook)
    {
        ArgumentNullException.ThrowIfNull(hook);
        _hooks[point] = hook;
    }

    /// <summary>Installs an action that never injects an error.</summary>
    public void Set(HookPoint point, Action<HookContext> hook)
    {
        ArgumentNullException.ThrowIfNull(hook);
        _hooks[point] = ctx => { hook(ctx); return 0; };
    }

    /// <summary>Removes the hook at <paramref name="point"/>.</summary>
    public void Clear(HookPoint point) => _hooks.TryRemove(point, out _);

    /// <summary>True when a hook is installed at <paramref name="point"/>.</summary>
    public bool IsSet(HookPoint point) => _hooks.ContainsKey(point);

    internal int Fire(HookPoint point, ulong address = 0, uint asid = 0, long faultId = 0,
        SvmRange? range = null, Vma? vma = null, int attempt = 0, int timesliceMs = 0)
    {
        if (_hooks.IsEmpty || !_hooks.TryGetValue(point, out var hook))
        {
            return 0;
        }

        return hook(new HookContext
        {
            Point = point, Address = address, Asid = asid, FaultId = faultId, Range = range, Vma = vma, Attempt = attempt, TimesliceMs = timesliceMs,
        });
    }
}
