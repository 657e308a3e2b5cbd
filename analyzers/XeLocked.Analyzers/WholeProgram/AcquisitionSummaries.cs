using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace XeLocked.Analyzers.WholeProgram
{
    /// <summary>
    /// Per-node summaries (<see cref="CallNode"/>: a body, or a virtual call of a method): the lock
    /// classes a call may acquire, the body's own acquisitions plus those of everything it calls in
    /// this compilation, computed to a fixpoint over the call graph (so <c>f() → g() → takes B</c>
    /// puts B in f's summary). Deltas are propagated from
    /// callees to callers with a worklist, so each (method, class) pair is added once and the work
    /// is O(call edges × lock classes). Each entry remembers how it got there (acquired at a place
    /// in the body, or through one callee and call site) so that a report can spell the chain out.
    /// Built at compilation end, single-threaded.
    /// </summary>
    internal sealed class AcquisitionSummaries
    {
        private readonly Dictionary<CallNode, Dictionary<ISymbol, Source>> _may = new Dictionary<CallNode, Dictionary<ISymbol, Source>>();

        /// <summary>
        /// Computes the summaries from the bodies' own acquisitions (<paramref name="acquires"/>, body →
        /// class → first place) and the call edges; <paramref name="methods"/> is the stable processing order.
        /// </summary>
        public AcquisitionSummaries(IReadOnlyList<CallNode> methods,
            IReadOnlyDictionary<CallNode, Dictionary<ISymbol, Location>> acquires, IReadOnlyList<CallEdge> calls, CancellationToken ct)
        {
            // callee → callers (each with its first call site), in a stable order.
            var callers = new Dictionary<CallNode, List<(CallNode Caller, Location Site)>>();
            var seenCalls = new HashSet<(CallNode, CallNode)>();
            foreach (var call in calls.OrderBy(c => c.Site, Comparer<Location>.Create(Witness.Comparison)).ThenBy(c => c.Caller.Key, System.StringComparer.Ordinal)
                .ThenBy(c => c.Callee.Key, System.StringComparer.Ordinal))
            {
                if (!seenCalls.Add((call.Callee, call.Caller)))
                {
                    continue;
                }

                if (!callers.TryGetValue(call.Callee, out var list))
                {
                    callers[call.Callee] = list = new List<(CallNode, Location)>();
                }

                list.Add((call.Caller, call.Site));
            }

            var delta = new Dictionary<CallNode, List<ISymbol>>();
            var queue = new Queue<CallNode>();
            foreach (var m in methods)
            {
                if (acquires.TryGetValue(m, out var own) && own.Count > 0)
                {
                    var summary = Summary(m);
                    var added = new List<ISymbol>();
                    foreach (var kv in own.OrderBy(kv => Witness.Key(kv.Key), System.StringComparer.Ordinal))
                    {
                        summary[kv.Key] = new Source(kv.Value, null);
                        added.Add(kv.Key);
                    }

                    delta[m] = added;
                    queue.Enqueue(m);
                }
            }

            while (queue.Count > 0)
            {
                ct.ThrowIfCancellationRequested();
                var m = queue.Dequeue();
                var changes = delta[m];
                delta.Remove(m);
                if (!callers.TryGetValue(m, out var list))
                {
                    continue;
                }

                foreach (var (caller, site) in list)
                {
                    var summary = Summary(caller);
                    foreach (var cls in changes)
                    {
                        if (summary.ContainsKey(cls))
                        {
                            continue;
                        }

                        summary[cls] = new Source(site, m);
                        if (!delta.TryGetValue(caller, out var pending))
                        {
                            delta[caller] = pending = new List<ISymbol>();
                            queue.Enqueue(caller);
                        }

                        pending.Add(cls);
                    }
                }
            }
        }

        /// <summary>The classes a call to <paramref name="method"/> may acquire (empty when none or unknown).</summary>
        public IEnumerable<ISymbol> MayAcquire(CallNode method) =>
            _may.TryGetValue(method, out var s) ? (IEnumerable<ISymbol>)s.Keys : System.Array.Empty<ISymbol>();

        /// <summary>
        /// How a call to <paramref name="method"/> comes to acquire <paramref name="lockClass"/>: the
        /// chain of callees (starting with <paramref name="method"/>) and where the last one acquires it.
        /// </summary>
        public (List<CallNode> Chain, Location AcquiredAt) Explain(CallNode method, ISymbol lockClass)
        {
            var chain = new List<CallNode> { method };
            var current = method;
            // Each step goes to a method that had the class before: the chain ends, within as many steps as there are methods.
            for (var guard = 0; guard <= _may.Count; guard++)
            {
                var source = _may[current][lockClass];
                if (source.Via == null)
                {
                    return (chain, source.At);
                }

                current = source.Via.Value;
                chain.Add(current);
            }

            return (chain, Location.None);
        }

        private Dictionary<ISymbol, Source> Summary(CallNode m)
        {
            if (!_may.TryGetValue(m, out var s))
            {
                _may[m] = s = new Dictionary<ISymbol, Source>(SymbolEqualityComparer.Default);
            }

            return s;
        }

        /// <summary>Acquired in the body at <see cref="At"/> (Via null), or through a call to <see cref="Via"/> at <see cref="At"/>.</summary>
        private readonly struct Source
        {
            public Source(Location at, CallNode? via)
            {
                At = at;
                Via = via;
            }

            public Location At { get; }

            public CallNode? Via { get; }
        }
    }
}
