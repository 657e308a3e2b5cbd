using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using XeLocked.Analyzers.Dataflow;
using XeLocked.Analyzers.Ownership;

namespace XeLocked.Analyzers.WholeProgram
{
    /// <summary>
    /// Reads the events of one analyzed body (<see cref="BodyFlow"/>) into its <see cref="BodyFacts"/>:
    /// acquisitions (not upgrades, and not try-acquires, which cannot deadlock and produce no
    /// acquire event), nestings of two different lock classes, and calls into the compilation made
    /// while certainly holding lock classes. Locks named only by a bare variable have no class and
    /// are left out, as in the declared-order rules; so are owned locks (<see cref="OwnedObjects.IsLockOwned"/>):
    /// acquiring one adds nothing to the summary and no edge, and holding one makes no edge.
    /// </summary>
    internal static class BodyFactsBuilder
    {
        /// <param name="model">the compilation's model</param>
        /// <param name="body">the body to read</param>
        /// <param name="inlined">
        /// the local functions of the same code block analyzed from the locks held at their calls
        /// (<see cref="BodyFlow.InheritsCallerLocks"/>): a call of one is not a held call, since its
        /// own body already nests what it acquires inside those locks (one report, at the acquisition
        /// or call inside it, not a second one at the call of the local function)
        /// </param>
        public static BodyFacts Build(CompilationModel model, BodyFlow body, ISet<IMethodSymbol>? inlined = null)
        {
            var facts = new BodyFacts(Witness.Canonical(body.Method));
            var innerLocks = model.Known.InnerLocks;
            var calls = new Dictionary<IOperation, HeldCall>();
            foreach (var e in body.Events)
            {
                switch (e)
                {
                    case AcquireEvent acquire when !acquire.IsUpgrade && acquire.Acquired.LockClass is ISymbol acquired:
                        if (OwnedObjects.IsLockOwned(model, body, acquire.Operation, acquire.Acquired.Path))
                        {
                            // No other thread can wait for an owned lock: no edge, and not in the summary.
                            break;
                        }

                        var cls = acquired.OriginalDefinition;
                        var at = acquire.Operation.Syntax.GetLocation();
                        facts.AddAcquire(cls, at, AnchorOf.Lock(acquire.Acquired.Path, innerLocks));
                        if (calls.TryGetValue(acquire.Operation, out var byContract))
                        {
                            byContract.ByContract.Add(cls);
                        }

                        if (acquire.Before.Certain.Any(h => h.LockClass is ISymbol c && SymbolEqualityComparer.Default.Equals(c.OriginalDefinition, cls) &&
                                                            !h.Path.Equals(acquire.Acquired.Path)))
                        {
                            facts.SameClassNestings.Add(cls);
                        }

                        var target = AnchorOf.LockHolder(acquire.Acquired.Path);
                        foreach (var nesting in LockNesting.At(acquire))
                        {
                            if (!OwnedObjects.IsLockOwned(model, body, acquire.Operation, nesting.Outer.Path))
                            {
                                facts.AddNesting(nesting.OuterClass, nesting.InnerClass, at,
                                    AnchorOf.Below(AnchorOf.LockHolder(nesting.Outer.Path), target, innerLocks));
                            }
                        }

                        break;
                    case HeldCallEvent call when inlined != null && inlined.Contains(call.Callee.OriginalDefinition):
                        break;
                    case HeldCallEvent call:
                        var holding = Held(model, body, call.Operation, call.Before);
                        if (holding.Count > 0)
                        {
                            var receiver = ReceiverMembers(model, call.Operation);
                            var fresh = call.Operation is IInvocationOperation invocation && invocation.Instance is ILocalReferenceOperation
                                ? FreshReceiver.FreshMembersAt(model.Ownership, invocation)
                                : null;
                            var held = new HeldCall(holding.Select(h => h.Class).ToList(), holding.Select(h => h.Path).ToList(),
                                holding.Select(h => Below(h.Holders, receiver, innerLocks)).ToList(),
                                CallNode.For(call.Callee, call.Dispatched), call.Site, fresh);
                            facts.HeldCalls.Add(held);
                            calls[call.Operation] = held;
                        }

                        break;
                }
            }

            return facts;
        }

        /// <summary>
        /// The members of <c>this</c> leading to the receiver of the call <paramref name="operation"/> makes, or default;
        /// a receiver the graph captured (<c>Inner?.Write()</c>) and the collection of a <c>foreach</c>
        /// variable are read from the operation tree.
        /// </summary>
        private static ImmutableArray<ISymbol> ReceiverMembers(CompilationModel model, IOperation operation)
        {
            if (!(AnchorOf.Instance(operation) is IOperation instance))
            {
                return default;
            }

            var members = AnchorOf.ThisMembers(instance, model.Ownership.OperationOf);
            if (members.IsDefault && KnownLockApis.UnwrapConversions(instance) is IFlowCaptureReferenceOperation &&
                model.Ownership.OperationOf(operation.Syntax) is IOperation original && AnchorOf.Instance(original) is IOperation written)
            {
                members = AnchorOf.ThisMembers(written, model.Ownership.OperationOf);
            }

            return members;
        }

        /// <summary>The depth of <paramref name="target"/> below every held lock of one class (their join).</summary>
        private static LockDepth Below(List<ImmutableArray<ISymbol>> holders, ImmutableArray<ISymbol> target, INamedTypeSymbol? innerLocks)
        {
            LockDepth? result = null;
            foreach (var holder in holders)
            {
                var d = AnchorOf.Below(holder, target, innerLocks);
                result = result == null ? d : LockDepths.Join(result.Value, d);
            }

            return result ?? LockDepth.Unknown;
        }

        /// <summary>
        /// The classes of the locks certainly held at <paramref name="site"/>, except owned ones (no other
        /// thread can hold them), each with the access path of its first held lock (for messages) and,
        /// for every held lock of the class, the members of <c>this</c> leading to its object.
        /// </summary>
        private static List<(ISymbol Class, string Path, List<ImmutableArray<ISymbol>> Holders)> Held(CompilationModel model, BodyFlow body, IOperation site, LockState state)
        {
            var result = new List<(ISymbol Class, string Path, List<ImmutableArray<ISymbol>> Holders)>();
            foreach (var h in state.Certain)
            {
                if (!(h.LockClass is ISymbol c) || OwnedObjects.IsLockOwned(model, body, site, h.Path))
                {
                    continue;
                }

                var cls = c.OriginalDefinition;
                var index = result.FindIndex(r => SymbolEqualityComparer.Default.Equals(r.Class, cls));
                if (index < 0)
                {
                    result.Add((cls, h.Path.ToString(), new List<ImmutableArray<ISymbol>>()));
                    index = result.Count - 1;
                }

                result[index].Holders.Add(AnchorOf.LockHolder(h.Path));
            }

            return result;
        }
    }
}
