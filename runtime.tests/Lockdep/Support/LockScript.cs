using System.Text.RegularExpressions;
using XeLocked.Locking;

namespace XeLocked.Runtime.Tests.Lockdep.Support;

/// <summary>
/// Runs a lockdep selftest scenario written as a script on the calling thread, in the style of
/// <c>lib/locking-selftest.c</c>: <c>"L(A) L(B) U(B) U(A) L(B) L(A)"</c>.
/// </summary>
/// <remarks>
/// <para>Operations: <c>L</c> lock (exclusive; <c>LockWrite</c> on an rw-semaphore),
/// <c>W</c> write lock, <c>R</c> read lock, <c>RR</c> recursive read lock, <c>N1</c>..<c>N7</c>
/// <c>LockNested(n)</c>, <c>T</c>/<c>TR</c> trylock / read trylock expected to succeed, <c>T!</c>
/// a trylock expected to fail, <c>U</c> unlock in the mode held, <c>UR</c>/<c>UW</c> read/write
/// unlock, <c>D</c> downgrade, <c>F</c> free (dispose), <c>H</c> <c>AssertNoLocksHeld</c>,
/// <c>AH</c>/<c>AR</c>/<c>AW</c>/<c>AN</c> assert held / held read / held write / not held.</para>
/// <para>Locks: <c>A</c>, <c>B</c>, … each its own class; <c>X1</c>, <c>X2</c> two instances of class
/// <c>X</c>. A lock used with <c>RR</c> is a <see cref="RecursiveReadLock"/>; one used with another
/// read or write operation is a <see cref="TrackedRwSemaphore"/>; every other lock is the primitive
/// under test (<c>mutex</c>, <c>spin</c> or <c>rwsem</c>).</para>
/// </remarks>
internal sealed partial class LockScript
{
    private readonly List<(string Op, string? Lock)> _ops;
    private readonly Dictionary<string, ITestLock> _locks = new();
    private readonly List<(string Lock, bool Read)> _held = new();

    public LockScript(string script, string plainKind)
    {
        _ops = script.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(Parse).ToList();
        var prefix = Names.Prefix("St");
        foreach (var name in _ops.Where(o => o.Lock is not null).Select(o => o.Lock!).Distinct())
        {
            var uses = _ops.Where(o => o.Lock == name).Select(o => o.Op).ToList();
            var cls = $"{prefix}.{name.TrimEnd('0', '1', '2', '3', '4', '5', '6', '7', '8', '9')}";
            _locks[name] = uses.Contains("RR") ? new RecursiveReadLock(cls)
                : uses.Any(u => u is "R" or "W" or "TR" or "UR" or "UW" or "D" or "AR") ? new RwSemLock(cls)
                : plainKind switch
                {
                    "mutex" => new MutexLock(cls),
                    "spin" => new SpinLockLock(cls),
                    "rwsem" => new RwSemLock(cls),
                    _ => throw new ArgumentException(plainKind),
                };
        }
    }

    public int Count => _ops.Count;

    public ITestLock this[string name] => _locks[name];

    /// <summary>True when the script's book-keeping says <paramref name="name"/> is held by this thread.</summary>
    public bool ScriptHolds(string name) => _held.Any(h => h.Lock == name);

    /// <summary>Runs operation <paramref name="i"/>; the book-keeping follows only if it completes.</summary>
    public void Step(int i)
    {
        var (op, name) = _ops[i];
        var l = name is null ? null : _locks[name];
        switch (op)
        {
            case "L":
            case "W":
                l!.Lock();
                _held.Add((name!, false));
                break;
            case "R":
                l!.LockRead();
                _held.Add((name!, true));
                break;
            case "RR":
                l!.LockRecursiveRead();
                _held.Add((name!, true));
                break;
            case var n when n.Length == 2 && n[0] == 'N':
                l!.LockNested(n[1] - '0');
                _held.Add((name!, false));
                break;
            case "T":
                if (!l!.TryLock())
                {
                    throw new InvalidOperationException($"trylock of {name} failed");
                }

                _held.Add((name!, false));
                break;
            case "TR":
                if (!l!.TryLockRead())
                {
                    throw new InvalidOperationException($"read trylock of {name} failed");
                }

                _held.Add((name!, true));
                break;
            case "T!":
                if (l!.TryLock())
                {
                    throw new InvalidOperationException($"trylock of {name} succeeded");
                }

                break;
            case "U":
                var idx = _held.FindLastIndex(h => h.Lock == name);
                if (idx >= 0 && _held[idx].Read)
                {
                    l!.UnlockRead();
                }
                else
                {
                    l!.Unlock();
                }

                Forget(name!, idx);
                break;
            case "UR":
                l!.UnlockRead();
                Forget(name!, _held.FindLastIndex(h => h.Lock == name && h.Read));
                break;
            case "UW":
                l!.Unlock();
                Forget(name!, _held.FindLastIndex(h => h.Lock == name && !h.Read));
                break;
            case "D":
                l!.Downgrade();
                var d = _held.FindLastIndex(h => h.Lock == name);
                _held[d] = (name!, true);
                break;
            case "F":
                l!.Free();
                break;
            case "H":
                XeLocked.Locking.Lockdep.AssertNoLocksHeld();
                break;
            case "AH":
                XeLocked.Locking.Lockdep.AssertHeld(l!.Tracked);
                break;
            case "AR":
                XeLocked.Locking.Lockdep.AssertHeldRead(l!.Tracked);
                break;
            case "AW":
                XeLocked.Locking.Lockdep.AssertHeldWrite(l!.Tracked);
                break;
            case "AN":
                XeLocked.Locking.Lockdep.AssertNotHeld(l!.Tracked);
                break;
            default:
                throw new ArgumentException($"unknown operation {op}");
        }
    }

    /// <summary>Releases everything the script still holds, newest first, recording (not throwing) anything found.</summary>
    public void Cleanup()
    {
        using var scope = XeLocked.Locking.Lockdep.CaptureReports(LockdepMode.Record);
        for (var i = _held.Count - 1; i >= 0; i--)
        {
            var (name, read) = _held[i];
            if (read)
            {
                _locks[name].UnlockRead();
            }
            else
            {
                _locks[name].Unlock();
            }
        }

        _held.Clear();
    }

    private void Forget(string name, int idx)
    {
        if (idx >= 0)
        {
            _held.RemoveAt(idx);
        }
    }

    private static (string, string?) Parse(string token)
    {
        var m = OpPattern().Match(token);
        if (!m.Success)
        {
            throw new ArgumentException($"bad script token '{token}'");
        }

        return (m.Groups["op"].Value, m.Groups["lock"].Success ? m.Groups["lock"].Value : null);
    }

    [GeneratedRegex(@"^(?<op>[A-Z][A-Z1-7]?!?)(\((?<lock>[A-Za-z]+\d*)\))?$")]
    private static partial Regex OpPattern();
}
