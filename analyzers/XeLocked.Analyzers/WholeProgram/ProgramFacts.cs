using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using XeLocked.Analyzers.Contracts;

namespace XeLocked.Analyzers.WholeProgram
{
    /// <summary>
    /// Everything the whole-program rule gathers from one compilation. The per-block callbacks run
    /// concurrently and only add to the concurrent queues; <see cref="Build"/> runs once at
    /// compilation end, sorts everything into a stable order and computes the summaries and the graph.
    /// </summary>
    internal sealed class ProgramFacts
    {
        /// <summary>Longer call chains are shown with their middle elided.</summary>
        private const int MaxChainShown = 8;

        private readonly ConcurrentQueue<BodyFacts> _bodies = new ConcurrentQueue<BodyFacts>();
        private readonly ConcurrentQueue<CallEdge> _calls = new ConcurrentQueue<CallEdge>();

        public void Add(BodyFacts body) => _bodies.Enqueue(body);

        public void Add(IEnumerable<CallEdge> calls)
        {
            foreach (var c in calls)
            {
                _calls.Enqueue(c);
            }
        }

        /// <summary>
        /// The acquisition graph: direct nestings, plus for each call made with classes held every
        /// class the callee may acquire (through its summary). A nesting against the declared order
        /// is never an edge: a direct one is XL0001 in the body (<c>LockOrderAnalyzer</c>), one
        /// through calls is XL0001 at the call, collected into <paramref name="violations"/> (once per
        /// call site, held class and acquired class). A nesting the body exempts with
        /// <c>[NoLockEdge]</c> is not an edge either; an exemption whose bodies make no such nesting
        /// at all (whatever the order says of it) is collected into <paramref name="unused"/>.
        /// </summary>
        public AcquisitionGraph Build(LockOrderGraph order, List<CallOrderViolation> violations, List<EdgeExemption> unused, CancellationToken ct)
        {
            var bodies = _bodies.ToList();
            var acquires = new Dictionary<CallNode, Dictionary<ISymbol, (Location At, Anchor Anchor)>>();
            foreach (var b in bodies)
            {
                var node = CallNode.Body(b.Method);
                if (!acquires.TryGetValue(node, out var own))
                {
                    acquires[node] = own = new Dictionary<ISymbol, (Location, Anchor)>(SymbolEqualityComparer.Default);
                }

                foreach (var kv in b.Acquires)
                {
                    var anchor = b.AcquireAnchors[kv.Key];
                    if (!own.TryGetValue(kv.Key, out var old))
                    {
                        own[kv.Key] = (kv.Value, anchor);
                    }
                    else
                    {
                        own[kv.Key] = (Witness.Before(kv.Value, old.At) ? kv.Value : old.At, Anchor.Join(old.Anchor, anchor));
                    }
                }
            }

            var methods = acquires.Keys.OrderBy(n => n.Key, System.StringComparer.Ordinal).ToList();
            var summaries = new AcquisitionSummaries(methods, acquires, _calls.ToList(), ct);

            var graph = new AcquisitionGraph();
            var reported = new HashSet<(Location, ISymbol, ISymbol)>(SiteClassesComparer.Instance);
            var exemptions = new Dictionary<Location, EdgeExemption>();
            var used = new HashSet<Location>();
            foreach (var b in bodies)
            {
                foreach (var e in b.Exempt)
                {
                    exemptions[e.At] = e;
                    if (e.IsInstanceOrder && b.SameClassNestings.Contains(e.Outer))
                    {
                        used.Add(e.At);
                    }
                }

                foreach (var kv in b.Nestings)
                {
                    var exempt = b.FindExempt(kv.Key.Outer, kv.Key.Inner);
                    if (exempt != null)
                    {
                        used.Add(exempt.At);
                    }

                    // Against the declared order: XL0001 reports it at this acquisition; not an edge of the graph.
                    if ((order.IsEmpty || !order.MustPrecede(kv.Key.Inner, kv.Key.Outer)) && exempt == null)
                    {
                        graph.Add(kv.Key.Outer, kv.Key.Inner, kv.Value.At, string.Empty, kv.Value.Delta);
                    }
                }

                foreach (var call in b.HeldCalls)
                {
                    foreach (var (cls, anchor) in summaries.Entries(call.Callee))
                    {
                        // On a new object as its construction left it: no other thread holds or waits for those locks (XL0001 still applies).
                        var fresh = call.Fresh != null && AcquisitionSummaries.OnFreshGraph(anchor, call.Fresh);

                        for (var i = 0; i < call.HeldClasses.Count; i++)
                        {
                            var held = call.HeldClasses[i];
                            if (SymbolEqualityComparer.Default.Equals(held, cls))
                            {
                                continue;
                            }

                            var exempt = b.FindExempt(held, cls);
                            if (exempt != null)
                            {
                                used.Add(exempt.At);
                            }

                            if (!order.IsEmpty && order.MustPrecede(cls, held))
                            {
                                // The callee's own [Acquires] made it an acquisition in the body: XL0001 there already.
                                if (!call.ByContract.Contains(cls) && reported.Add((call.Site, held, cls)))
                                {
                                    violations.Add(new CallOrderViolation(call.Site, cls, held, call.HeldPaths[i], Chain(summaries, call.Callee, cls)));
                                }

                                continue;
                            }

                            if (exempt == null && !fresh)
                            {
                                graph.Add(held, cls, call.Site, " (through " + Chain(summaries, call.Callee, cls) + ")",
                                    LockDepths.Add(call.ReceiverDepths[i], anchor.Depth));
                            }
                        }
                    }
                }
            }

            violations.Sort((x, y) => Witness.Compare(x.Site, y.Site));
            unused.AddRange(exemptions.Where(kv => !used.Contains(kv.Key)).Select(kv => kv.Value).OrderBy(e => e.At, Comparer<Location>.Create(Witness.Comparison)));
            return graph;
        }

        /// <summary>
        /// <c>F()</c>, <c>new Probe()</c>, <c>Size.get</c>, <c>this[].set</c>, <c>Changed.add</c>,
        /// <c>operator +</c>, <c>implicit operator Money</c>, <c>_cache initializer</c>.
        /// </summary>
        private static string Label(ISymbol symbol)
        {
            if (!(symbol is IMethodSymbol m))
            {
                return symbol.Name + " initializer";
            }

            var owner = m.AssociatedSymbol is ISymbol associated ? Plain(associated) : Plain(m);
            return m.MethodKind switch
            {
                MethodKind.Constructor => "new " + m.ContainingType?.Name + "()",
                MethodKind.PropertyGet => owner + ".get",
                MethodKind.PropertySet => owner + ".set",
                MethodKind.EventAdd => owner + ".add",
                MethodKind.EventRemove => owner + ".remove",
                MethodKind.UserDefinedOperator or MethodKind.Conversion => m.ToDisplayString(OperatorFormat),
                _ => Plain(m) + "()",
            };
        }

        /// <summary>A member's name, without the interface an explicit implementation spells in it.</summary>
        private static string Plain(ISymbol symbol) => symbol switch
        {
            IMethodSymbol m when !m.ExplicitInterfaceImplementations.IsEmpty => m.ExplicitInterfaceImplementations[0].Name,
            IPropertySymbol p when !p.ExplicitInterfaceImplementations.IsEmpty => p.ExplicitInterfaceImplementations[0].Name,
            IEventSymbol e when !e.ExplicitInterfaceImplementations.IsEmpty => e.ExplicitInterfaceImplementations[0].Name,
            _ => symbol.Name,
        };

        /// <summary>The label of step <paramref name="i"/> of a chain: a constructor chained to is <c>this(…)</c> or <c>base(…)</c>.</summary>
        private static string StepLabel(List<ISymbol> chain, int i)
        {
            var m = chain[i];
            if (m is IMethodSymbol { MethodKind: MethodKind.Constructor } constructor && i > 0 &&
                chain[i - 1] is IMethodSymbol { MethodKind: MethodKind.Constructor } caller)
            {
                return SymbolEqualityComparer.Default.Equals(caller.ContainingType, constructor.ContainingType) ? "this(…)" : "base(…)";
            }

            // An interface method and its implementation (an override and its base) share a name: those are shown with their types.
            var sameName = (i > 0 && Plain(chain[i - 1]) == Plain(m)) || (i + 1 < chain.Count && Plain(chain[i + 1]) == Plain(m));
            return sameName && !(m is IMethodSymbol { MethodKind: MethodKind.Constructor })
                ? m.ContainingType?.Name + "." + Label(m)
                : Label(m);
        }

        private static readonly SymbolDisplayFormat OperatorFormat = new SymbolDisplayFormat(
            typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameOnly,
            memberOptions: SymbolDisplayMemberOptions.None,
            miscellaneousOptions: SymbolDisplayMiscellaneousOptions.UseSpecialTypes);

        /// <summary><c>F() → G(), which acquires it at File.cs:40</c>: how a call to <paramref name="callee"/> acquires <paramref name="cls"/>.</summary>
        private static string Chain(AcquisitionSummaries summaries, CallNode callee, ISymbol cls)
        {
            var (nodes, at) = summaries.Explain(callee, cls);
            // A virtual call and the body it runs are one step: each symbol is shown once.
            var chain = new List<ISymbol>();
            foreach (var n in nodes)
            {
                if (chain.Count == 0 || !SymbolEqualityComparer.Default.Equals(chain[chain.Count - 1], n.Symbol))
                {
                    chain.Add(n.Symbol);
                }
            }

            var labels = chain.Select((_, i) => StepLabel(chain, i)).ToList();
            var shown = labels.Count <= MaxChainShown
                ? labels
                : labels.Take(MaxChainShown - 2).Concat(new[] { "…", labels[labels.Count - 1] });
            var names = string.Join(" → ", shown);
            return at == Location.None ? names : $"{names}, which acquires it at {Witness.FileLine(at)}";
        }

        private sealed class SiteClassesComparer : IEqualityComparer<(Location Site, ISymbol Outer, ISymbol Inner)>
        {
            public static readonly SiteClassesComparer Instance = new SiteClassesComparer();

            public bool Equals((Location Site, ISymbol Outer, ISymbol Inner) x, (Location Site, ISymbol Outer, ISymbol Inner) y) =>
                x.Site.Equals(y.Site) && SymbolEqualityComparer.Default.Equals(x.Outer, y.Outer) && SymbolEqualityComparer.Default.Equals(x.Inner, y.Inner);

            public int GetHashCode((Location Site, ISymbol Outer, ISymbol Inner) obj) =>
                (obj.Site.GetHashCode() * 397) ^ SymbolEqualityComparer.Default.GetHashCode(obj.Inner);
        }
    }
}
