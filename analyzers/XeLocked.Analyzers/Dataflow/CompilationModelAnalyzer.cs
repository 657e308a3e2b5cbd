using Microsoft.CodeAnalysis.Diagnostics;

namespace XeLocked.Analyzers.Dataflow
{
    /// <summary>
    /// Base of the XeLocked analyzers: the start they all share. Generated code is not analyzed,
    /// callbacks may run concurrently, and the rule registers its actions at the start of each
    /// compilation, with that compilation's shared <see cref="CompilationModel"/>, only when the
    /// compilation can have something to report.
    /// </summary>
    public abstract class CompilationModelAnalyzer : DiagnosticAnalyzer
    {
        /// <inheritdoc/>
        public sealed override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                var model = CompilationModel.Get(start.Compilation);
                if (AppliesTo(model))
                {
                    OnCompilationStart(start, model);
                }
            });
        }

        /// <summary>Whether the rule runs on a compilation: by default, one that references the XeLocked annotations.</summary>
        private protected virtual bool AppliesTo(CompilationModel model) => model.Known.HasAnnotations;

        /// <summary>Registers the rule's actions for one compilation.</summary>
        private protected abstract void OnCompilationStart(CompilationStartAnalysisContext start, CompilationModel model);
    }
}
