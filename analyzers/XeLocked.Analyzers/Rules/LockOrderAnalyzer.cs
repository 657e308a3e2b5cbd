using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using XeLocked.Analyzers.Contracts;
using XeLocked.Analyzers.Dataflow;

namespace XeLocked.Analyzers.Rules
{
    /// <summary>
    /// XL0001: a lock is acquired while a lock that the declared <c>[LockOrder]</c> (transitively)
    /// puts after it is held. Reported on the acquisition, naming both locks and both classes.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class LockOrderAnalyzer : FlowRuleAnalyzer
    {
        /// <inheritdoc/>
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
            DiagnosticDescriptors.LockOrderViolation);

        internal override void Check(CompilationModel model, BodyFlow body, Action<Diagnostic> report)
        {
            var order = model.Order;
            if (order.IsEmpty)
            {
                return;
            }

            foreach (var e in body.Events)
            {
                if (!(e is AcquireEvent acquire) || acquire.IsUpgrade || !(acquire.Acquired.LockClass is ISymbol acquiredClass))
                {
                    continue;
                }

                foreach (var held in acquire.Before.Certain)
                {
                    if (held.LockClass is ISymbol heldClass &&
                        !SymbolEqualityComparer.Default.Equals(heldClass, acquiredClass) &&
                        order.MustPrecede(acquiredClass, heldClass))
                    {
                        report(Diagnostic.Create(DiagnosticDescriptors.LockOrderViolation, acquire.Operation.Syntax.GetLocation(),
                            RequirementText.Properties(RequirementText.HeldLockKey, RequirementText.PathText(held.Path, body.Method)),
                            acquire.Acquired.Path.ToString(), held.Path.ToString(),
                            LockOrderGraph.ClassName(acquiredClass), LockOrderGraph.ClassName(heldClass)));
                    }
                }
            }
        }
    }
}
