using XeLocked.Locking;

namespace XeLocked.Runtime.Tests.Lockdep.Support;

/// <summary>
/// Runs a lockdep selftest script (the notation of <see cref="LockScript"/>) with async locks in one
/// async flow, hopping threads between operations: <c>await Task.Yield()</c>, an await of pool work
/// with <c>ConfigureAwait(false)</c>, or no hop, in turn. Plain locks are
/// <see cref="TrackedAsyncMutex"/> (<c>amutex</c>) or <see cref="TrackedAsyncRwLock"/> write holds
/// (<c>arw</c>); a lock used with a read or write operation is a <see cref="TrackedAsyncRwLock"/>.
/// </summary>
/// <remarks>
/// Operations: <c>L</c>, <c>W</c>, <c>R</c> (acquire through a guard), <c>T</c>/<c>T!</c> (a
/// zero-timeout try expected to succeed / fail), <c>U</c> (dispose the newest guard of the lock, or
/// an explicit unlock when there is none), <c>UR</c>/<c>UW</c> (a guard of that mode, else an
/// explicit unlock of that mode), <c>F</c>, <c>H</c>, <c>AH</c>/<c>AR</c>/<c>AW</c>/<c>AN</c>.
/// </remarks>
internal sealed class AsyncLockScript
{
    private static readonly string[] Supported = { "L", "W", "R", "T", "T!", "U", "UR", "UW", "F", "H", "AH", "AR", "AW", "AN" };

    private readonly List<(string Op, string? Lock)> _ops;
    private readonly Dictionary<string, ITrackedLock> _locks = new();
    private readonly List<(string Lock, bool Read, IDisposable? Guard)> _held = new();

    public AsyncLockScript(string script, string plainKind)
    {
        _ops = script.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(Parse).ToList();
        var prefix = Names.Prefix("Ast");
        foreach (var name in _ops.Where(o => o.Lock is not null).Select(o => o.Lock!).Distinct())
        {
            var uses = _ops.Where(o => o.Lock == name).Select(o => o.Op).ToList();
            var cls = $"{prefix}.{name.TrimEnd('0', '1', '2', '3', '4', '5', '6', '7', '8', '9')}";
            _locks[name] = plainKind == "arw" || uses.Any(u => u is "R" or "W" or "UR" or "UW" or "AR")
                ? new TrackedAsyncRwLock(cls)
                : new TrackedAsyncMutex(cls);
        }
    }

    /// <summary>True when every operation of <paramref name="script"/> has an async form here.</summary>
    public static bool Applies(string script) =>
        script.Split(' ', StringSplitOptions.RemoveEmptyEntries).All(t => Supported.Contains(Parse(t).Op));

    public int Count => _ops.Count;

    public ITrackedLock this[string name] => _locks[name];

    /// <summary>Thread ids the steps ran on (to see that the flow hopped).</summary>
    public HashSet<int> Threads { get; } = new();

    public bool ScriptHolds(string name) => _held.Any(h => h.Lock == name);

    /// <summary>Hops (by <paramref name="i"/>), then runs operation <paramref name="i"/>; the book-keeping follows only if it completes.</summary>
    public async Task StepAsync(int i)
    {
        switch (i % 3)
        {
            case 0:
                await Task.Yield();
                break;
            case 1:
                await Task.Run(() => { }).ConfigureAwait(false);
                break;
        }

        Threads.Add(Environment.CurrentManagedThreadId);
        var (op, name) = _ops[i];
        var l = name is null ? null : _locks[name];
        switch (op)
        {
            case "L":
            case "W":
                _held.Add((name!, false, l is TrackedAsyncMutex m ? await m.LockAsync() : await ((TrackedAsyncRwLock)l!).WriteLockAsync()));
                break;
            case "R":
                _held.Add((name!, true, await ((TrackedAsyncRwLock)l!).ReadLockAsync()));
                break;
            case "T":
                if (!await TryAsync(l!))
                {
                    throw new InvalidOperationException($"trylock of {name} failed");
                }

                _held.Add((name!, false, null));
                break;
            case "T!":
                if (await TryAsync(l!))
                {
                    throw new InvalidOperationException($"trylock of {name} succeeded");
                }

                break;
            case "U":
                Release(name!, _held.FindLastIndex(h => h.Lock == name), read: null);
                break;
            case "UR":
                Release(name!, _held.FindLastIndex(h => h.Lock == name && h.Read), read: true);
                break;
            case "UW":
                Release(name!, _held.FindLastIndex(h => h.Lock == name && !h.Read), read: false);
                break;
            case "F":
                ((IDisposable)l!).Dispose();
                break;
            case "H":
                XeLocked.Locking.Lockdep.AssertNoLocksHeld();
                break;
            case "AH":
                XeLocked.Locking.Lockdep.AssertHeld(l!);
                break;
            case "AR":
                XeLocked.Locking.Lockdep.AssertHeldRead(l!);
                break;
            case "AW":
                XeLocked.Locking.Lockdep.AssertHeldWrite(l!);
                break;
            case "AN":
                XeLocked.Locking.Lockdep.AssertNotHeld(l!);
                break;
            default:
                throw new ArgumentException($"unknown operation {op}");
        }
    }

    /// <summary>Releases everything still held, newest first, recording (not throwing) anything found.</summary>
    public void Cleanup()
    {
        using var scope = XeLocked.Locking.Lockdep.CaptureReports(LockdepMode.Record);
        for (var i = _held.Count - 1; i >= 0; i--)
        {
            Release(_held[i].Lock, i, _held[i].Read);
        }
    }

    private static async Task<bool> TryAsync(ITrackedLock l) =>
        l is TrackedAsyncMutex m ? await m.TryLockAsync(TimeSpan.Zero) : await ((TrackedAsyncRwLock)l).TryWriteLockAsync(TimeSpan.Zero);

    /// <summary>Disposes the held entry's guard if it has one in the mode asked; otherwise unlocks explicitly in that mode.</summary>
    private void Release(string name, int idx, bool? read)
    {
        var l = _locks[name];
        if (idx >= 0 && _held[idx].Guard is { } guard && (read is null || read == _held[idx].Read))
        {
            guard.Dispose();
        }
        else if (l is TrackedAsyncMutex m)
        {
            m.Unlock();
        }
        else if (read ?? (idx >= 0 && _held[idx].Read))
        {
            ((TrackedAsyncRwLock)l).UnlockRead();
        }
        else
        {
            ((TrackedAsyncRwLock)l).UnlockWrite();
        }

        if (idx >= 0)
        {
            _held.RemoveAt(idx);
        }
    }

    private static (string Op, string? Lock) Parse(string token)
    {
        var open = token.IndexOf('(');
        return open < 0 ? (token, null) : (token[..open], token[(open + 1)..^1]);
    }
}
