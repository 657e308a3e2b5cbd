using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using XeLocked.Analyzers.Dataflow;
using XeLocked.Analyzers.Shared;

namespace XeLocked.Analyzers.Rules
{
    /// <summary>
    /// Base of the rules that read the lock-set dataflow: registers one operation-block action,
    /// fetches the shared per-block result and hands each analyzed body to the rule; identical
    /// diagnostics (the same finding along several entry alternatives) are reported once.
    /// </summary>
    public abstract class FlowRuleAnalyzer : CompilationModelAnalyzer
    {
        /// <inheritdoc/>
        private protected sealed override void OnCompilationStart(CompilationStartAnalysisContext start, CompilationModel model)
        {
            start.RegisterOperationBlockAction(block => AnalyzerGuard.Run(() =>
            {
                var result = model.Flow.Get(block);
                if (result.Bodies.Count == 0)
                {
                    return;
                }

                var seen = new HashSet<(string, Location, string)>();
                void Report(Diagnostic d)
                {
                    if (seen.Add((d.Id, d.Location, d.GetMessage())))
                    {
                        block.ReportDiagnostic(d);
                    }
                }

                foreach (var body in result.Bodies)
                {
                    Check(model, body, Report);
                }
            }, block.CancellationToken));
        }

        /// <summary>Reports the rule's findings in one analyzed body.</summary>
        internal abstract void Check(CompilationModel model, BodyFlow body, System.Action<Diagnostic> report);
    }
}
