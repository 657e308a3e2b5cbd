using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
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
        public static BodyFacts Build(CompilationModel model, BodyFlow body)
        {
            var facts = new BodyFacts(Witness.Canonical(body.Method));
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
                        facts.AddAcquire(cls, at);
                        if (calls.TryGetValue(acquire.Operation, out var byContract))
                        {
                            byContract.ByContract.Add(cls);
                        }

                        foreach (var nesting in LockNesting.At(acquire))
                        {
                            if (!OwnedObjects.IsLockOwned(model, body, acquire.Operation, nesting.Outer.Path))
                            {
                                facts.AddNesting(nesting.OuterClass, nesting.InnerClass, at);
                            }
                        }

                        break;
                    case HeldCallEvent call:
                        var (classes, paths) = HeldClassesAndPaths(model, body, call.Operation, call.Before);
                        if (classes.Count > 0)
                        {
                            var held = new HeldCall(classes, paths, CallNode.For(call.Callee, call.Dispatched), call.Site);
                            facts.HeldCalls.Add(held);
                            calls[call.Operation] = held;
                        }

                        break;
                }
            }

            return facts;
        }

        /// <summary>
        /// The classes of the locks certainly held at <paramref name="site"/>, except owned ones (no other
        /// thread can hold them), each with the access path of its first held lock.
        /// </summary>
        private static (List<ISymbol> Classes, List<string> Paths) HeldClassesAndPaths(CompilationModel model, BodyFlow body, IOperation site, LockState state)
        {
            var result = new List<ISymbol>();
            var paths = new List<string>();
            foreach (var h in state.Certain)
            {
                if (h.LockClass is ISymbol c && !result.Contains(c.OriginalDefinition, SymbolEqualityComparer.Default) &&
                    !OwnedObjects.IsLockOwned(model, body, site, h.Path))
                {
                    result.Add(c.OriginalDefinition);
                    paths.Add(h.Path.ToString());
                }
            }

            return (result, paths);
        }
    }
}
