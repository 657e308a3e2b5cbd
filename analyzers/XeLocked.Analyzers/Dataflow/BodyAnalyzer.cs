using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using XeLocked.Analyzers.Contracts;
using XeLocked.Analyzers.Shared;

namespace XeLocked.Analyzers.Dataflow
{
    /// <summary>
    /// Analyzes one body: builds the entry states from the method's own contract (each alternative
    /// of a disjunctive <c>[Requires]</c> in turn), runs <see cref="LockDataflow"/> for each, adds
    /// the exit events, and recurses into the lambdas and local functions of the graph.
    /// </summary>
    internal static class BodyAnalyzer
    {
        private const int MaxEntryAlternatives = 16;

        public static void Analyze(CompilationModel model, IMethodSymbol method, ControlFlowGraph cfg, PathBuilder? parent,
            List<BodyFlow> output, CancellationToken ct)
        {
            ct.ThrowIfCancellationRequested();
            var contract = model.Contracts.GetMethod(method, ct);
            var paths = new PathBuilder(cfg, parent);
            if (!contract.SkipBody)
            {
                var transfer = new TransferFunction(model, paths);
                var events = new List<LockEvent>();
                foreach (var alternative in EntryAlternatives(contract))
                {
                    var flow = new LockDataflow(cfg, transfer);
                    var entry = LockState.Empty;
                    foreach (var f in alternative.Concat(contract.Releases))
                    {
                        entry = entry.With(new HeldLock(f.Path, f.Flavor, CallEffects.ModeOf(f), HoldKind.Contract, null));
                    }

                    var found = flow.Run(entry);
                    if (flow.GaveUp)
                    {
                        continue;
                    }

                    events.AddRange(found);
                    var expected = alternative.Concat(contract.Acquires)
                        .Select(f => new HeldLock(f.Path, f.Flavor, CallEffects.ModeOf(f), HoldKind.Contract, null))
                        .ToImmutableArray();
                    var location = method.Locations.FirstOrDefault() ?? Location.None;
                    foreach (var (site, state) in flow.Exits)
                    {
                        events.Add(new ExitEvent(site, state, expected, location, method.Name));
                    }
                }

                output.Add(new BodyFlow(method, IsLockImplementation(model, method), events));
            }

            foreach (var nested in NestedFunctions(cfg))
            {
                ct.ThrowIfCancellationRequested();
                var (symbol, graph) = nested;
                Analyze(model, symbol, graph, paths, output, ct);
            }
        }

        private static IEnumerable<(IMethodSymbol Symbol, ControlFlowGraph Graph)> NestedFunctions(ControlFlowGraph cfg)
        {
            foreach (var local in cfg.LocalFunctions)
            {
                yield return (local, cfg.GetLocalFunctionControlFlowGraph(local));
            }

            foreach (var block in cfg.Blocks)
            {
                foreach (var op in block.Operations.Concat(block.BranchValue != null ? new[] { block.BranchValue } : Enumerable.Empty<IOperation>()))
                {
                    foreach (var lambda in op.DescendantsAndSelf().OfType<IFlowAnonymousFunctionOperation>())
                    {
                        yield return (lambda.Symbol, cfg.GetAnonymousFunctionControlFlowGraph(lambda));
                    }
                }
            }
        }

        /// <summary>Every combination of one alternative per <c>[Requires]</c> (bounded).</summary>
        private static List<ImmutableArray<ResolvedFactor>> EntryAlternatives(MethodContract contract)
        {
            var result = new List<ImmutableArray<ResolvedFactor>> { ImmutableArray<ResolvedFactor>.Empty };
            foreach (var requires in contract.Requires)
            {
                var next = new List<ImmutableArray<ResolvedFactor>>();
                foreach (var prefix in result)
                {
                    foreach (var alternative in requires.Alternatives)
                    {
                        if (next.Count < MaxEntryAlternatives)
                        {
                            next.Add(prefix.AddRange(alternative));
                        }
                    }
                }

                result = next;
            }

            return result;
        }

        private static bool IsLockImplementation(CompilationModel model, IMethodSymbol method)
        {
            for (var t = method.ContainingType; t != null; t = t.ContainingType)
            {
                if (model.Classifier.PrimitiveKind(t) != Resolution.LockFlavor.None || KnownSymbols.HasAttribute(t, model.Known.ScopedLock))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
