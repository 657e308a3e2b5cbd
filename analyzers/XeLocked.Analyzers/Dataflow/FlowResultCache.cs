using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using XeLocked.Analyzers.Shared;

namespace XeLocked.Analyzers.Dataflow
{
    /// <summary>
    /// Runs the lock-set dataflow once per code block and shares the result among the rule
    /// analyzers (each asks for it from its own operation-block callback). Keyed by the block's
    /// syntax; thread-safe (the first caller computes, the others wait for the same result).
    /// </summary>
    internal sealed class FlowResultCache
    {
        private readonly CompilationModel _model;
        private readonly ConcurrentDictionary<SyntaxNode, Lazy<FlowResult>> _results = new ConcurrentDictionary<SyntaxNode, Lazy<FlowResult>>();

        public FlowResultCache(CompilationModel model) => _model = model;

        public FlowResult Get(OperationBlockAnalysisContext context)
        {
            if (!(context.OwningSymbol is IMethodSymbol method))
            {
                return FlowResult.Empty;
            }

            var bodies = new List<BodyFlow>();
            var roots = new HashSet<IOperation>();
            foreach (var block in context.OperationBlocks)
            {
                // The graph is built for the root of the block (the method body around the body block).
                var root = block;
                while (root.Parent != null)
                {
                    root = root.Parent;
                }

                if (!(root is IMethodBodyBaseOperation || root is IBlockOperation) || !roots.Add(root))
                {
                    continue;
                }

                var lazy = _results.GetOrAdd(root.Syntax, _ => new Lazy<FlowResult>(
                    () => Compute(context, method, block, root), LazyThreadSafetyMode.ExecutionAndPublication));
                bodies.AddRange(lazy.Value.Bodies);
            }

            return new FlowResult(bodies);
        }

        private FlowResult Compute(OperationBlockAnalysisContext context, IMethodSymbol method, IOperation block, IOperation root)
        {
            var output = new List<BodyFlow>();
            try
            {
                if (!Relevance.IsRelevant(_model, method, root))
                {
                    return FlowResult.Empty;
                }

                var cfg = context.GetControlFlowGraph(block);
                BodyAnalyzer.Analyze(_model, method, cfg, null, output, context.CancellationToken);
            }
            catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception) when (!AnalyzerGuard.Rethrow)
            {
                // See AnalyzerGuard: an unexpected shape loses this block's diagnostics, never the analyzer.
                return FlowResult.Empty;
            }

            return new FlowResult(output);
        }
    }
}
