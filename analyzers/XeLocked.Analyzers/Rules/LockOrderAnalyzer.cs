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
                if (!(e is AcquireEvent acquire))
                {
                    continue;
                }

                foreach (var nesting in LockNesting.At(acquire))
                {
                    if (order.MustPrecede(nesting.InnerClass, nesting.OuterClass))
                    {
                        report(Diagnostic.Create(DiagnosticDescriptors.LockOrderViolation, acquire.Operation.Syntax.GetLocation(),
                            RequirementText.Properties(RequirementText.HeldLockKey, RequirementText.PathText(nesting.Outer.Path, body.Method)),
                            nesting.Inner.Path.ToString(), nesting.Outer.Path.ToString(),
                            LockOrderGraph.ClassName(nesting.InnerClass), LockOrderGraph.ClassName(nesting.OuterClass)));
                    }
                }
            }
        }
    }
}
