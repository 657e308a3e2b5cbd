using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using XeLocked.Analyzers.Contracts;
using XeLocked.Analyzers.Resolution;
using XeLocked.Analyzers.Shared;

namespace XeLocked.Analyzers.Dataflow
{
    /// <summary>
    /// Analyzes one body: builds the entry states from the method's own contract (each alternative
    /// of a disjunctive <c>[Requires]</c> in turn), runs <see cref="LockDataflow"/> for each, adds
    /// the exit events, and recurses into the lambdas and local functions of the graph. A lambda or
    /// local function starts from its own contract, plus the locks certainly held where it runs when
    /// that is known to be within this body's flow (<see cref="NestedBodyEntry"/>).
    /// </summary>
    internal static class BodyAnalyzer
    {
        private const int MaxEntryAlternatives = 16;

        public static void Analyze(CompilationModel model, IMethodSymbol method, ControlFlowGraph cfg, PathBuilder? parent,
            List<BodyFlow> output, CancellationToken ct, IReadOnlyList<LockState>? inherited = null, SemanticModel? semanticModel = null)
        {
            // The graph's own operations carry no semantic model; the one of the method's tree answers for its lambdas too.
            semanticModel ??= cfg.OriginalOperation.SemanticModel;
            ct.ThrowIfCancellationRequested();
            // A contract-less wrapper is analyzed under its inferred contract (see InferredContractStore).
            var contract = model.Inferred.Effective(method, ct);
            var entryKind = WrapperInference.EntryKind(contract);
            var paths = new PathBuilder(cfg, parent);
            var events = new List<LockEvent>();
            var uses = new FlowUses(cfg, method.RefKind);
            if (!contract.SkipBody)
            {
                var location = method.Locations.FirstOrDefault() ?? Location.None;
                var optional = contract.TryAcquires.Select(t => t.Factor.Path).ToImmutableArray();
                foreach (var start in inherited ?? new[] { LockState.Empty })
                {
                    foreach (var alternative in EntryAlternatives(contract))
                    {
                        var entry = start;
                        foreach (var f in alternative)
                        {
                            entry = entry.With(AsContract(f));
                        }

                        foreach (var f in contract.Releases)
                        {
                            // A mode-less [Releases] on a reader-writer lock: held on entry in read or write mode.
                            entry = entry.With(new HeldLock(f.Path, f.Flavor, CallEffects.ReleasedModeOf(f), entryKind, null));
                        }

                        var expected = alternative.Concat(contract.Acquires).Select(AsContract).Concat(start.Held.Values).ToImmutableArray();
                        var atReturn = start;
                        foreach (var f in alternative.Concat(contract.Acquires))
                        {
                            atReturn = atReturn.With(AsContract(f));
                        }

                        var flow = new LockDataflow(cfg, new TransferFunction(model, paths, uses, atReturn, semanticModel));
                        var found = flow.Run(entry);
                        if (flow.GaveUp)
                        {
                            continue;
                        }

                        events.AddRange(found);
                        foreach (var (site, state) in flow.Exits)
                        {
                            events.Add(new ExitEvent(site, state, expected, optional, location, method.Name));
                        }
                    }
                }

                output.Add(new BodyFlow(method, IsLockImplementation(model, method), events,
                    thisOwned => new Ownership.OwnershipFlow(cfg, paths, model.Ownership, thisOwned && !method.IsStatic), inherited != null));
            }

            var nested = new NestedBodyEntry(cfg, uses, events);
            foreach (var local in cfg.LocalFunctions)
            {
                Analyze(model, local, cfg.GetLocalFunctionControlFlowGraph(local, ct), paths, output, ct, nested.ForLocalFunction(local), semanticModel);
            }

            foreach (var lambda in Lambdas(cfg))
            {
                Analyze(model, lambda.Symbol, cfg.GetAnonymousFunctionControlFlowGraph(lambda, ct), paths, output, ct, nested.ForLambda(lambda), semanticModel);
            }
        }

        private static HeldLock AsContract(ResolvedFactor f) => new HeldLock(f.Path, f.Flavor, CallEffects.ModeOf(f), HoldKind.Contract, null);

        private static IEnumerable<IFlowAnonymousFunctionOperation> Lambdas(ControlFlowGraph cfg)
        {
            foreach (var block in cfg.Blocks)
            {
                foreach (var op in block.Operations.Concat(block.BranchValue != null ? new[] { block.BranchValue } : Enumerable.Empty<IOperation>()))
                {
                    foreach (var lambda in op.DescendantsAndSelf().OfType<IFlowAnonymousFunctionOperation>())
                    {
                        yield return lambda;
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
                if (model.Classifier.PrimitiveKind(t) != LockFlavor.None || KnownSymbols.HasAttribute(t, model.Known.ScopedLock))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
