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
    /// is O(call edges × lock classes × the small height of <see cref="Anchor"/>). Each entry also keeps
    /// its <see cref="Anchor"/>: where the lock is relative to the method's <c>this</c>, joined over
    /// every way it is acquired, so that a call on a new object drops the acquisitions on the graph its
    /// construction built (<see cref="OnFreshGraph"/>) and a nesting can tell how deep in an
    /// <c>[InnerLocks]</c> tree its inner lock is. Each entry remembers how it got there (acquired at a place
    /// in the body, or through one callee and call site) so that a report can spell the chain out.
    /// Built at compilation end, single-threaded.
    /// </summary>
    internal sealed class AcquisitionSummaries
    {
        private readonly Dictionary<CallNode, Dictionary<ISymbol, Source>> _may = new Dictionary<CallNode, Dictionary<ISymbol, Source>>();

        /// <summary>
        /// Computes the summaries from the bodies' own acquisitions (<paramref name="acquires"/>, body →
        /// class → first place and anchor) and the call edges; <paramref name="methods"/> is the stable processing order.
        /// </summary>
        public AcquisitionSummaries(IReadOnlyList<CallNode> methods,
            IReadOnlyDictionary<CallNode, Dictionary<ISymbol, (Location At, Anchor Anchor)>> acquires, IReadOnlyList<CallEdge> calls, CancellationToken ct)
        {
            // callee → callers (each with its first call site, the join of its receivers, and whether every such call is on a new object), in a stable order.
            var callers = new Dictionary<CallNode, List<CallerLink>>();
            var links = new Dictionary<(CallNode, CallNode), CallerLink>();
            foreach (var call in calls.OrderBy(c => c.Site, Comparer<Location>.Create(Witness.Comparison)).ThenBy(c => c.Caller.Key, System.StringComparer.Ordinal)
                .ThenBy(c => c.Callee.Key, System.StringComparer.Ordinal))
            {
                if (links.TryGetValue((call.Callee, call.Caller), out var link))
                {
                    link.Receiver = Anchor.Join(link.Receiver, call.Receiver);
                    link.Fresh = SameFresh(link.Fresh, call.Fresh);
                    continue;
                }

                if (!callers.TryGetValue(call.Callee, out var list))
                {
                    callers[call.Callee] = list = new List<CallerLink>();
                }

                link = new CallerLink(call.Caller, call.Site, call.Receiver, call.Fresh);
                links[(call.Callee, call.Caller)] = link;
                list.Add(link);
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
                        summary[kv.Key] = new Source(kv.Value.At, null, kv.Value.Anchor);
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

                var from = _may[m];
                foreach (var link in list)
                {
                    var summary = Summary(link.Caller);
                    foreach (var cls in changes)
                    {
                        var entry = from[cls];
                        if (link.Fresh != null && OnFreshGraph(entry.Anchor, link.Fresh))
                        {
                            // A call on a new object: its own locks and those of what its construction built belong to no other thread.
                            continue;
                        }

                        var anchor = link.Receiver.Then(entry.Anchor);
                        if (summary.TryGetValue(cls, out var old))
                        {
                            var joined = Anchor.Join(old.Anchor, anchor);
                            if (joined.Equals(old.Anchor))
                            {
                                continue;
                            }

                            summary[cls] = new Source(old.At, old.Via, joined);
                        }
                        else
                        {
                            summary[cls] = new Source(link.Site, m, anchor);
                        }

                        if (!delta.TryGetValue(link.Caller, out var pending))
                        {
                            delta[link.Caller] = pending = new List<ISymbol>();
                            queue.Enqueue(link.Caller);
                        }

                        if (!pending.Contains(cls, SymbolEqualityComparer.Default))
                        {
                            pending.Add(cls);
                        }
                    }
                }
            }
        }

        /// <summary>The classes a call to <paramref name="method"/> may acquire (empty when none or unknown).</summary>
        public IEnumerable<ISymbol> MayAcquire(CallNode method) =>
            _may.TryGetValue(method, out var s) ? (IEnumerable<ISymbol>)s.Keys : System.Array.Empty<ISymbol>();

        /// <summary>The classes a call to <paramref name="method"/> may acquire, each with where it is relative to the callee's <c>this</c>.</summary>
        public IEnumerable<(ISymbol Class, Anchor Anchor)> Entries(CallNode method) =>
            _may.TryGetValue(method, out var s) ? s.Select(kv => (kv.Key, kv.Value.Anchor)) : Enumerable.Empty<(ISymbol, Anchor)>();

        /// <summary>
        /// An acquisition at <paramref name="anchor"/> (relative to the callee's <c>this</c>) is on the
        /// graph a new receiver's construction built: on the object itself, or reached through members
        /// its construction left fresh.
        /// </summary>
        public static bool OnFreshGraph(Anchor anchor, IReadOnlyCollection<ISymbol> fresh) =>
            anchor.IsRelative && anchor.Fields.All(f => fresh.Contains(f, SymbolEqualityComparer.Default));

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

        private static IReadOnlyCollection<ISymbol>? SameFresh(IReadOnlyCollection<ISymbol>? a, IReadOnlyCollection<ISymbol>? b) =>
            a != null && b != null && a.Count == b.Count && a.All(x => b.Contains(x, SymbolEqualityComparer.Default)) ? a : null;

        private Dictionary<ISymbol, Source> Summary(CallNode m)
        {
            if (!_may.TryGetValue(m, out var s))
            {
                _may[m] = s = new Dictionary<ISymbol, Source>(SymbolEqualityComparer.Default);
            }

            return s;
        }

        /// <summary>
        /// Acquired in the body at <see cref="At"/> (Via null), or through a call to <see cref="Via"/> at
        /// <see cref="At"/>; <see cref="Anchor"/> joins every way the class is acquired.
        /// </summary>
        private readonly struct Source
        {
            public Source(Location at, CallNode? via, Anchor anchor)
            {
                At = at;
                Via = via;
                Anchor = anchor;
            }

            public Location At { get; }

            public CallNode? Via { get; }

            public Anchor Anchor { get; }
        }

        /// <summary>The calls of one caller to one callee: the first site, the join of the receivers, the fresh members common to all.</summary>
        private sealed class CallerLink
        {
            public CallerLink(CallNode caller, Location site, Anchor receiver, IReadOnlyCollection<ISymbol>? fresh)
            {
                Caller = caller;
                Site = site;
                Receiver = receiver;
                Fresh = fresh;
            }

            public CallNode Caller { get; }

            public Location Site { get; }

            public Anchor Receiver { get; set; }

            public IReadOnlyCollection<ISymbol>? Fresh { get; set; }
        }
    }
}
