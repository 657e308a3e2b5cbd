using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using XeLocked.Analyzers.Contracts;
using XeLocked.Analyzers.Dataflow;
using XeLocked.Analyzers.Ownership;
using XeLocked.Analyzers.Shared;

namespace XeLocked.Analyzers.Rules
{
    /// <summary>
    /// XL0014: a lock is acquired while another is held, both lock classes carry <c>[LockOrder]</c>
    /// (so they are meant to be part of the declared hierarchy), and the declared order says
    /// nothing about the pair: the reverse nesting elsewhere would not be caught by XL0001.
    /// Reported on the acquisition (direct, or through a callee's <c>[Acquires]</c>), like XL0001;
    /// not when either lock is owned by the body (<see cref="OwnedObjects.IsLockOwned"/>): such a nesting cannot deadlock.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class UnorderedNestingAnalyzer : FlowRuleAnalyzer
    {
        /// <inheritdoc/>
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
            DiagnosticDescriptors.UnorderedNesting);

        internal override void Check(CompilationModel model, BodyFlow body, Action<Diagnostic> report)
        {
            var lockOrder = model.Known.LockOrder;
            if (lockOrder == null)
            {
                return;
            }

            foreach (var e in body.Events)
            {
                if (!(e is AcquireEvent acquire))
                {
                    continue;
                }

                bool? innerOwned = null;

                foreach (var nesting in LockNesting.At(acquire))
                {
                    if (KnownSymbols.HasAttribute(nesting.InnerClass, lockOrder) &&
                        KnownSymbols.HasAttribute(nesting.OuterClass, lockOrder) &&
                        !model.Order.MustPrecede(nesting.OuterClass, nesting.InnerClass) &&
                        !model.Order.MustPrecede(nesting.InnerClass, nesting.OuterClass) &&
                        !(innerOwned ??= OwnedObjects.IsLockOwned(model, body, acquire.Operation, nesting.Inner.Path)) &&
                        !OwnedObjects.IsLockOwned(model, body, acquire.Operation, nesting.Outer.Path))
                    {
                        report(Diagnostic.Create(DiagnosticDescriptors.UnorderedNesting, acquire.Operation.Syntax.GetLocation(),
                            nesting.Inner.Path.ToString(), nesting.Outer.Path.ToString(),
                            LockOrderGraph.ClassName(nesting.InnerClass), LockOrderGraph.ClassName(nesting.OuterClass)));
                    }
                }
            }
        }
    }
}
