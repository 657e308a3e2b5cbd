using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using XeLocked.Analyzers.Dataflow;
using XeLocked.Analyzers.Ownership;
using XeLocked.Analyzers.Shared;

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
                        foreach (var held in HeldClasses(model, body, acquire.Operation, acquire.Before))
                        {
                            if (!SymbolEqualityComparer.Default.Equals(held, cls))
                            {
                                facts.AddNesting(held, cls, at);
                            }
                        }

                        break;
                    case HeldCallEvent call:
                        var classes = HeldClasses(model, body, call.Operation, call.Before);
                        if (classes.Count > 0)
                        {
                            facts.HeldCalls.Add(new HeldCall(classes, CallNode.For(call.Callee, call.Dispatched), call.Site));
                        }

                        break;
                }
            }

            return facts;
        }

        /// <summary>The classes of the locks certainly held at <paramref name="site"/>, except owned ones (no other thread can hold them).</summary>
        private static List<ISymbol> HeldClasses(CompilationModel model, BodyFlow body, IOperation site, LockState state)
        {
            var result = new List<ISymbol>();
            foreach (var h in state.Certain)
            {
                if (h.LockClass is ISymbol c && !result.Contains(c.OriginalDefinition, SymbolEqualityComparer.Default) &&
                    !OwnedObjects.IsLockOwned(model, body, site, h.Path))
                {
                    result.Add(c.OriginalDefinition);
                }
            }

            return result;
        }
    }
}
