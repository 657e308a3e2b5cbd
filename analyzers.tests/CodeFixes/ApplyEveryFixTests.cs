using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace XeLocked.Analyzers.Tests.CodeFixes;

/// <summary>
/// Applies the first offered fix, again and again, to a realistic lock-heavy class, as a
/// developer adopting XeLocked would: the diagnostic count must go down and never up, and the
/// file must keep compiling.
/// </summary>
[TestClass]
public sealed class ApplyEveryFixTests
{
    private const string SessionCache = """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using XeLocked.Annotations;

        public sealed class SessionCache
        {
            [LockOrder(Before = new[] { "SessionCache._statsLock" })]
            private readonly object _sync = new();
            private readonly ReaderWriterLockSlim _rw = new();
            private readonly Lock _statsLock = new();
            private readonly Mutex _io = new();

            [GuardedBy("_sync")] private readonly Dictionary<string, int> _sessions = new();
            [GuardedBy("_sync")] private int _evictions;
            [GuardedBy("_rw")] private string[] _routes = Array.Empty<string>();
            [GuardedBy("_statsLock")] private long _hits;
            [GuardedBy("_statsLock")] private long _misses;
            [GuardedBy("_io")] private int _pendingWrites;

            public int Count => _sessions.Count;

            public bool TryGet(string key, out int value)
            {
                if (_sessions.TryGetValue(key, out value))
                {
                    _hits++;
                    return true;
                }

                _misses++;
                return false;
            }

            public void Evict(string key)
            {
                _sessions.Remove(key);
                _evictions++;
            }

            public string Route(int i) => _routes[i % _routes.Length];

            public void SetRoutes(string[] routes)
            {
                var copy = (string[])routes.Clone();
                _routes = copy;
            }

            public void AddRoute(string route)
            {
                _rw.EnterReadLock();
                try
                {
                    _routes = [.. _routes, route];
                }
                finally
                {
                    _rw.ExitReadLock();
                }
            }

            public int Flush(bool fast)
            {
                _io.Lock();
                if (fast) return 0;
                _pendingWrites = 0;
                _io.Unlock();
                return 1;
            }

            [Requires("_io")]
            private void WriteOne() { _pendingWrites--; }

            public void Write() { WriteOne(); }

            public long Snapshot()
            {
                lock (_statsLock)
                {
                    lock (_sync)
                    {
                        return _hits + _evictions;
                    }
                }
            }
        }
        """;

    [TestMethod]
    public async Task EveryFirstFixLowersTheDiagnosticCount()
    {
        var loop = new FixLoop(SessionCache);
        Assert.AreEqual(0, (await loop.CompilerErrorsAsync()).Count, "the realistic file compiles");
        var initial = await loop.DiagnosticsAsync();
        Assert.IsTrue(initial.Count >= 10, $"the realistic file has about ten diagnostics, got {initial.Count}");
        Assert.IsTrue(initial.Select(d => d.Id).Distinct().Count() >= 4, "of several kinds");

        var previous = initial.Count;
        for (var step = 0; step < 3 * initial.Count && await loop.ApplyFirstAsync(); step++)
        {
            var errors = await loop.CompilerErrorsAsync();
            Assert.AreEqual(0, errors.Count, $"after '{loop.Applied[^1]}':\n{string.Join("\n", errors)}\n{await loop.TextAsync()}");
            var count = (await loop.DiagnosticsAsync()).Count;
            Assert.IsTrue(count < previous, $"'{loop.Applied[^1]}' took the count from {previous} to {count}:\n{await loop.TextAsync()}");
            previous = count;
        }

        var remaining = await loop.DiagnosticsAsync();
        Assert.AreEqual(0, remaining.Count, $"left: {string.Join("\n", remaining)}\napplied:\n{string.Join("\n", loop.Applied)}\n{await loop.TextAsync()}");
        foreach (var provider in new[] { "WrapInLockCodeFixProvider", "ScopeAcquisitionCodeFixProvider", "SwapToDeclaredOrderCodeFixProvider", "SwitchToWriteAcquisitionCodeFixProvider" })
        {
            Assert.IsTrue(loop.AppliedBy.Contains(provider), $"{provider} was applied: {string.Join(", ", loop.AppliedBy)}");
        }

        Assert.IsFalse(loop.AppliedBy.Contains("AddRequiresCodeFixProvider"), "wrapping is offered first, so [Requires] is never the first action here");
    }
}
