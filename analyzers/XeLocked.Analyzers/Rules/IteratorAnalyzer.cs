using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using XeLocked.Analyzers.Dataflow;
using XeLocked.Analyzers.Resolution;

namespace XeLocked.Analyzers.Rules
{
    /// <summary>
    /// XL0016: an iterator holds a lock that is not async-aware at a <c>yield return</c>. The
    /// iterator is suspended there like a method at an <c>await</c>: the consumer's code runs
    /// between items with the lock held, and may resume (or dispose) the iterator on another thread.
    /// Only the locks the iterator acquired itself are reported (those of its <c>[Requires]</c> are
    /// held by its caller, not by the suspended iterator). Reported on the <c>yield return</c>
    /// statement, once per held lock.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class IteratorAnalyzer : FlowRuleAnalyzer
    {
        /// <inheritdoc/>
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
            DiagnosticDescriptors.LockHeldAcrossYield);

        internal override void Check(CompilationModel model, BodyFlow body, Action<Diagnostic> report)
        {
            if (body.IsLockImplementation)
            {
                return;
            }

            foreach (var e in body.Events)
            {
                if (!(e is YieldEvent suspension))
                {
                    continue;
                }

                foreach (var held in e.Before.Certain)
                {
                    if ((held.Kind == HoldKind.Explicit || held.Kind == HoldKind.Scoped) && Problem(model, held, body.Method) is string problem)
                    {
                        report(Diagnostic.Create(DiagnosticDescriptors.LockHeldAcrossYield, Where(suspension), held.Path.ToString(), problem));
                    }
                }
            }
        }

        /// <summary>Why <paramref name="held"/> must not be held while the consumer runs, or null for an async-aware lock.</summary>
        private static string? Problem(CompilationModel model, HeldLock held, IMethodSymbol body)
        {
            string? owned = held.Flavor switch
            {
                LockFlavor.Monitor => "a Monitor lock",
                LockFlavor.ThreadingLock => "a System.Threading.Lock",
                LockFlavor.ReaderWriterLockSlim => "a ReaderWriterLockSlim",
                _ => null,
            };
            if (owned != null)
            {
                return owned + " is owned by its thread, and the consumer may take the next item (or dispose the iterator) on another one";
            }

            // Tracked primitives: the same test as for an await (XL0013).
            return AsyncAwareLocks.Problem(model, held, body) == null
                ? null
                : "it is not an async-aware lock, and it stays held while the consumer runs its own code between items";
        }

        /// <summary>The <c>yield return</c> statement.</summary>
        private static Location Where(YieldEvent suspension) =>
            (suspension.Operation.Syntax as YieldStatementSyntax ?? suspension.Operation.Syntax.FirstAncestorOrSelf<YieldStatementSyntax>())?.GetLocation()
            ?? suspension.Operation.Syntax.GetLocation();
    }
}
